// MessagePack reader and writer (github.com/msgpack/msgpack/blob/master/spec.md) for SignalR's binary hub
// protocol.
//
// Theory of operation. The reader walks one value recursively with a depth budget (kMaxDepth). Every length
// is checked against the bytes that remain before anything is reserved, so memory follows the bytes that
// arrived, never a length a peer declared. The writer picks the shortest format for each value, so
// read(write(x)) == x holds for every Value (non-negative integers are normalised to Int by fromUInt).
#include <bit>
#include <cstring>

#include "framescope/decoders/value.h"

namespace framescope::decoders {
namespace {

class MsgPackReader {
public:
    MsgPackReader(std::span<const uint8_t> bytes, uint32_t base) : bytes_(bytes), base_(base) {}

    bool read(Value& v, int depth) {
        if (depth > kMaxDepth) return fail("MessagePack nested too deeply");
        const size_t start = pos_;
        uint8_t tag = 0;
        if (!byte(tag)) return false;
        const bool ok = readTagged(v, tag, depth);
        v.span = {uint32_t(base_ + start), uint32_t(pos_ - start)};
        return ok;
    }

    size_t pos_ = 0;
    std::string message_;
    size_t errorAt_ = 0;

private:
    bool fail(const char* message) {
        if (message_.empty()) message_ = message, errorAt_ = pos_;
        return false;
    }
    bool byte(uint8_t& b) {
        if (pos_ >= bytes_.size()) return fail("truncated MessagePack value");
        b = bytes_[pos_++];
        return true;
    }
    bool bigEndian(uint64_t& out, size_t n) {
        if (bytes_.size() - pos_ < n) return fail("truncated MessagePack value");
        out = 0;
        for (size_t i = 0; i < n; ++i)
            out = (out << 8) | bytes_[pos_++];
        return true;
    }
    bool raw(std::string& out, uint64_t n) {
        if (bytes_.size() - pos_ < n) return fail("MessagePack length runs past the end of the message");
        out.assign(reinterpret_cast<const char*>(bytes_.data() + pos_), size_t(n));
        pos_ += size_t(n);
        return true;
    }
    bool sized(Value& v, Value::Kind kind, size_t lengthBytes) {
        uint64_t n = 0;
        if (!bigEndian(n, lengthBytes)) return false;
        v.kind = kind;
        return raw(v.bytes, n);
    }
    bool ext(Value& v, uint64_t n) {
        uint8_t type = 0;
        if (!byte(type)) return false;
        v.kind = Value::Kind::Ext;
        v.extType = int8_t(type);
        return raw(v.bytes, n);
    }
    bool sizedExt(Value& v, size_t lengthBytes) {
        uint64_t n = 0;
        return bigEndian(n, lengthBytes) && ext(v, n);
    }
    bool container(Value& v, Value::Kind kind, uint64_t count, int depth) {
        v.kind = kind;
        const uint64_t elements = kind == Value::Kind::Map ? count * 2 : count;
        // Each element takes at least one byte: refuse counts the remaining bytes cannot hold.
        if (elements > bytes_.size() - pos_)
            return fail("MessagePack count runs past the end of the message");
        v.items.resize(size_t(elements));
        for (Value& item : v.items)
            if (!read(item, depth + 1)) return false;
        return true;
    }
    bool counted(Value& v, Value::Kind kind, size_t countBytes, int depth) {
        uint64_t n = 0;
        return bigEndian(n, countBytes) && container(v, kind, n, depth);
    }
    bool integer(Value& v, size_t n, bool isSigned) {
        uint64_t u = 0;
        if (!bigEndian(u, n)) return false;
        if (!isSigned) return v = Value::fromUInt(u), true;
        const int shift = int(64 - 8 * n);
        v = Value::fromInt(int64_t(u << shift) >> shift);
        return true;
    }
    bool floating(Value& v, size_t n) {
        uint64_t u = 0;
        if (!bigEndian(u, n)) return false;
        if (n == 4)
            v = Value::fromFloat(double(std::bit_cast<float>(uint32_t(u))));
        else
            v = Value::fromFloat(std::bit_cast<double>(u));
        return true;
    }

    bool readTagged(Value& v, uint8_t tag, int depth) {
        if (tag <= 0x7f) return v = Value::fromInt(tag), true;
        if (tag >= 0xe0) return v = Value::fromInt(int8_t(tag)), true;
        if ((tag & 0xf0) == 0x80) return container(v, Value::Kind::Map, tag & 0x0f, depth);
        if ((tag & 0xf0) == 0x90) return container(v, Value::Kind::Array, tag & 0x0f, depth);
        if ((tag & 0xe0) == 0xa0) return v.kind = Value::Kind::String, raw(v.bytes, tag & 0x1f);
        return readFormat(v, tag, depth);
    }

    // The formats with a type byte of their own (msgpack spec "Formats" table, 0xc0..0xdf).
    bool readFormat(Value& v, uint8_t tag, int depth) {
        switch (tag) {
            case 0xc0:
                v = Value::null();
                return true;
            case 0xc2:
                v = Value::fromBool(false);
                return true;
            case 0xc3:
                v = Value::fromBool(true);
                return true;
            case 0xc4:
                return sized(v, Value::Kind::Binary, 1);
            case 0xc5:
                return sized(v, Value::Kind::Binary, 2);
            case 0xc6:
                return sized(v, Value::Kind::Binary, 4);
            case 0xc7:
                return sizedExt(v, 1);
            case 0xc8:
                return sizedExt(v, 2);
            case 0xc9:
                return sizedExt(v, 4);
            case 0xca:
                return floating(v, 4);
            case 0xcb:
                return floating(v, 8);
            case 0xcc:
                return integer(v, 1, false);
            case 0xcd:
                return integer(v, 2, false);
            case 0xce:
                return integer(v, 4, false);
            case 0xcf:
                return integer(v, 8, false);
            case 0xd0:
                return integer(v, 1, true);
            case 0xd1:
                return integer(v, 2, true);
            case 0xd2:
                return integer(v, 4, true);
            case 0xd3:
                return integer(v, 8, true);
            case 0xd4:
                return ext(v, 1);
            case 0xd5:
                return ext(v, 2);
            case 0xd6:
                return ext(v, 4);
            case 0xd7:
                return ext(v, 8);
            case 0xd8:
                return ext(v, 16);
            case 0xd9:
                return sized(v, Value::Kind::String, 1);
            case 0xda:
                return sized(v, Value::Kind::String, 2);
            case 0xdb:
                return sized(v, Value::Kind::String, 4);
            case 0xdc:
                return counted(v, Value::Kind::Array, 2, depth);
            case 0xdd:
                return counted(v, Value::Kind::Array, 4, depth);
            case 0xde:
                return counted(v, Value::Kind::Map, 2, depth);
            case 0xdf:
                return counted(v, Value::Kind::Map, 4, depth);
            default:
                return fail("0xc1 is never used in MessagePack");
        }
    }

    std::span<const uint8_t> bytes_;
    uint32_t base_;
};

void putBigEndian(std::string& out, uint8_t tag, uint64_t value, size_t n) {
    out += char(tag);
    for (size_t i = n; i-- > 0;)
        out += char(uint8_t(value >> (8 * i)));
}

void writeLength(std::string& out, size_t n, uint8_t tag8, uint8_t tag16, uint8_t tag32) {
    if (n <= 0xff && tag8)
        putBigEndian(out, tag8, n, 1);
    else if (n <= 0xffff)
        putBigEndian(out, tag16, n, 2);
    else
        putBigEndian(out, tag32, n, 4);
}

void writeInt(std::string& out, int64_t i) {
    if (i >= 0) {
        const uint64_t u = uint64_t(i);
        if (u <= 0x7f)
            out += char(u);
        else if (u <= 0xff)
            putBigEndian(out, 0xcc, u, 1);
        else if (u <= 0xffff)
            putBigEndian(out, 0xcd, u, 2);
        else if (u <= 0xffffffff)
            putBigEndian(out, 0xce, u, 4);
        else
            putBigEndian(out, 0xcf, u, 8);
    } else if (i >= -32) {
        out += char(int8_t(i));
    } else if (i >= INT8_MIN) {
        putBigEndian(out, 0xd0, uint64_t(i), 1);
    } else if (i >= INT16_MIN) {
        putBigEndian(out, 0xd1, uint64_t(i), 2);
    } else if (i >= INT32_MIN) {
        putBigEndian(out, 0xd2, uint64_t(i), 4);
    } else {
        putBigEndian(out, 0xd3, uint64_t(i), 8);
    }
}

void writeExt(std::string& out, const Value& v) {
    const size_t n = v.bytes.size();
    const uint8_t fixed = n == 1 ? 0xd4 : n == 2 ? 0xd5 : n == 4 ? 0xd6 : n == 8 ? 0xd7 : n == 16 ? 0xd8 : 0;
    if (fixed)
        out += char(fixed);
    else
        writeLength(out, n, 0xc7, 0xc8, 0xc9);
    out += char(v.extType);
    out += v.bytes;
}

}  // namespace

std::optional<Value> readMsgPack(std::span<const uint8_t> bytes, size_t& consumed, ParseError* error,
                                 uint32_t baseOffset) {
    MsgPackReader reader(bytes, baseOffset);
    Value v;
    if (reader.read(v, 0)) {
        consumed = reader.pos_;
        return v;
    }
    if (error) *error = {baseOffset + reader.errorAt_, reader.message_};
    return std::nullopt;
}

void writeMsgPack(std::string& out, const Value& v) {
    switch (v.kind) {
        case Value::Kind::Null:
            out += char(0xc0);
            break;
        case Value::Kind::Bool:
            out += char(v.boolean ? 0xc3 : 0xc2);
            break;
        case Value::Kind::Int:
            writeInt(out, v.integer);
            break;
        case Value::Kind::UInt:
            putBigEndian(out, 0xcf, v.uinteger, 8);
            break;
        case Value::Kind::Float:
            putBigEndian(out, 0xcb, std::bit_cast<uint64_t>(v.number), 8);
            break;
        case Value::Kind::String:
            if (v.bytes.size() <= 31)
                out += char(0xa0 | v.bytes.size());
            else
                writeLength(out, v.bytes.size(), 0xd9, 0xda, 0xdb);
            out += v.bytes;
            break;
        case Value::Kind::Binary:
            writeLength(out, v.bytes.size(), 0xc4, 0xc5, 0xc6);
            out += v.bytes;
            break;
        case Value::Kind::Ext:
            writeExt(out, v);
            break;
        case Value::Kind::Array:
        case Value::Kind::Map: {
            const bool isMap = v.kind == Value::Kind::Map;
            const size_t n = isMap ? v.items.size() / 2 : v.items.size();
            if (n <= 15)
                out += char((isMap ? 0x80 : 0x90) | n);
            else if (isMap)
                writeLength(out, n, 0, 0xde, 0xdf);
            else
                writeLength(out, n, 0, 0xdc, 0xdd);
            for (size_t i = 0; i < (isMap ? n * 2 : n); ++i)
                writeMsgPack(out, v.items[i]);
            break;
        }
    }
}

}  // namespace framescope::decoders
