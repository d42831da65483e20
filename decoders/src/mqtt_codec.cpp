// MQTT 3.1.1 / 5.0 control packet codec.
//
// Theory of operation. A packet is a fixed header (type and flags in one byte, then the remaining length as a
// variable byte integer of at most four bytes, MQTT 5.0 §1.5.5) and a body of exactly that length. parse()
// answers NeedMore until the whole packet is there, so the caller can buffer across WebSocket messages; then
// a bounded Reader walks the body field by field, each read checked against the body's end, and adds a
// tree node with the field's bytes for highlighting. Properties (5.0 §2.2.2) are a length-prefixed list of
// (identifier, typed value) pairs; the identifier's type comes from one table. encode() writes the shortest
// form: 5.0 acknowledgements omit a Success reason code and empty properties (§3.4.2.1).
#include <array>

#include "framescope/decoders/mqtt.h"
#include "tree.h"

namespace framescope::decoders::mqtt {
namespace {

using namespace detail;

enum class PropType : uint8_t { None, Byte, U16, U32, VarInt, String, Binary, Pair };

PropType propertyType(uint8_t id) {
    switch (id) {
        case 1:
        case 23:
        case 25:
        case 36:
        case 37:
        case 40:
        case 41:
        case 42:
            return PropType::Byte;
        case 19:
        case 33:
        case 34:
        case 35:
            return PropType::U16;
        case 2:
        case 17:
        case 24:
        case 39:
            return PropType::U32;
        case 11:
            return PropType::VarInt;
        case 3:
        case 8:
        case 18:
        case 21:
        case 26:
        case 28:
        case 31:
            return PropType::String;
        case 9:
        case 22:
            return PropType::Binary;
        case 38:
            return PropType::Pair;
        default:
            return PropType::None;
    }
}

void putU16(std::string& out, size_t v) {
    out += char(uint8_t(v >> 8));
    out += char(uint8_t(v));
}
void putU32(std::string& out, uint32_t v) {
    putU16(out, v >> 16);
    putU16(out, v & 0xffff);
}
void putVarInt(std::string& out, uint32_t v) {
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (v) b |= 0x80;
        out += char(b);
    } while (v);
}
void putString(std::string& out, std::string_view s) {
    putU16(out, s.size());
    out += s;
}

void putProperties(std::string& out, const std::vector<Property>& properties) {
    std::string body;
    for (const Property& p : properties) {
        putVarInt(body, p.id);
        switch (propertyType(p.id)) {
            case PropType::Byte:
                body += char(uint8_t(p.number));
                break;
            case PropType::U16:
                putU16(body, p.number);
                break;
            case PropType::U32:
                putU32(body, p.number);
                break;
            case PropType::VarInt:
                putVarInt(body, p.number);
                break;
            case PropType::String:
            case PropType::Binary:
                putString(body, p.text);
                break;
            case PropType::Pair:
                putString(body, p.text), putString(body, p.value);
                break;
            case PropType::None:
                break;
        }
    }
    putVarInt(out, uint32_t(body.size()));
    out += body;
}

// 5.0 acknowledgements and DISCONNECT/AUTH: reason code and properties only when they say something.
void putReasonAndProperties(std::string& out, const Packet& p) {
    if (p.reasonCode == 0 && p.properties.empty()) return;
    out += char(p.reasonCode);
    if (!p.properties.empty()) putProperties(out, p.properties);
}

// MQTT 5.0 §3.1.2-3.1.3: variable header, then client id, will, user name and password as the flags say.
void putConnect(std::string& out, const Packet& p, bool v5) {
    putString(out, p.protocolName);
    out += char(p.protocolLevel);
    out += char(p.connectFlags);
    putU16(out, p.keepAlive);
    if (v5) putProperties(out, p.properties);
    putString(out, p.clientId);
    if (p.connectFlags & 0x04) {
        if (v5) putProperties(out, p.willProperties);
        putString(out, p.willTopic);
        putString(out, p.willPayload);
    }
    if (p.connectFlags & 0x80) putString(out, p.username);
    if (p.connectFlags & 0x40) putString(out, p.password);
}

std::string body(const Packet& p, bool v5) {
    std::string out;
    switch (p.type) {
        case Type::Connect:
            putConnect(out, p, v5);
            break;
        case Type::Connack:
            out += char(p.ackFlags);
            out += char(p.reasonCode);
            if (v5) putProperties(out, p.properties);
            break;
        case Type::Publish:
            putString(out, p.topic);
            if (p.qos() > 0) putU16(out, p.packetId);
            if (v5) putProperties(out, p.properties);
            out += p.payload;
            break;
        case Type::Puback:
        case Type::Pubrec:
        case Type::Pubrel:
        case Type::Pubcomp:
            putU16(out, p.packetId);
            if (v5) putReasonAndProperties(out, p);
            break;
        case Type::Subscribe:
        case Type::Unsubscribe:
            putU16(out, p.packetId);
            if (v5) putProperties(out, p.properties);
            for (const Subscription& s : p.subscriptions) {
                putString(out, s.topic);
                if (p.type == Type::Subscribe) out += char(s.options);
            }
            break;
        case Type::Suback:
        case Type::Unsuback:
            putU16(out, p.packetId);
            if (v5) putProperties(out, p.properties);
            if (v5 || p.type == Type::Suback)
                for (const uint8_t code : p.reasonCodes)
                    out += char(code);
            break;
        case Type::Pingreq:
        case Type::Pingresp:
            break;
        case Type::Disconnect:
        case Type::Auth:
            if (v5) putReasonAndProperties(out, p);
            break;
    }
    return out;
}

class Reader {
public:
    Reader(std::span<const uint8_t> bytes, size_t pos, size_t end) : b_(bytes), pos_(pos), end_(end) {}
    size_t pos() const { return pos_; }
    size_t left() const { return end_ - pos_; }
    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    size_t errorAt() const { return errorAt_; }
    bool fail(std::string message) {
        if (error_.empty()) error_ = std::move(message), errorAt_ = pos_;
        return false;
    }

    bool u8(uint8_t& v, const char* what) {
        if (left() < 1) return fail(std::string("packet ends before ") + what);
        v = b_[pos_++];
        return true;
    }
    bool u16(uint16_t& v, const char* what) {
        if (left() < 2) return fail(std::string("packet ends before ") + what);
        v = uint16_t((b_[pos_] << 8) | b_[pos_ + 1]);
        pos_ += 2;
        return true;
    }
    bool u32(uint32_t& v, const char* what) {
        uint16_t hi = 0, lo = 0;
        if (!u16(hi, what) || !u16(lo, what)) return false;
        v = (uint32_t(hi) << 16) | lo;
        return true;
    }
    bool varInt(uint32_t& v, const char* what) {
        v = 0;
        for (int i = 0; i < 4; ++i) {  // MQTT 5.0 §1.5.5: at most four bytes
            uint8_t b = 0;
            if (!u8(b, what)) return false;
            v |= uint32_t(b & 0x7f) << (7 * i);
            if (!(b & 0x80)) return true;
        }
        return fail(std::string("variable byte integer longer than four bytes in ") + what);
    }
    bool string(std::string& s, const char* what) {
        uint16_t n = 0;
        if (!u16(n, what)) return false;
        if (left() < n) return fail(std::string(what) + " runs past the end of the packet");
        s.assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
        pos_ += n;
        return true;
    }
    std::string rest() {
        std::string s(reinterpret_cast<const char*>(b_.data() + pos_), left());
        pos_ = end_;
        return s;
    }

private:
    std::span<const uint8_t> b_;
    size_t pos_, end_;
    std::string error_;
    size_t errorAt_ = 0;
};

// Adds fields to `tree` with the span since `start`.
struct TreeBuilder {
    Node* tree;
    void add(std::string name, std::string value, size_t start, size_t end) {
        if (tree)
            tree->children.push_back(text(std::move(name), std::move(value), spanOf(start, end - start)));
    }
    void add(Node node) {
        if (tree) tree->children.push_back(std::move(node));
    }
};

bool readProperty(Reader& r, Property& p, Node& node) {
    uint32_t id = 0;
    const size_t start = r.pos();
    if (!r.varInt(id, "a property identifier")) return false;
    const PropType type = id < 256 ? propertyType(uint8_t(id)) : PropType::None;
    if (type == PropType::None) return r.fail("unknown property identifier " + std::to_string(id));
    p.id = uint8_t(id);
    bool ok = true;
    uint8_t b = 0;
    uint16_t s = 0;
    switch (type) {
        case PropType::Byte:
            ok = r.u8(b, "a property value"), p.number = b;
            break;
        case PropType::U16:
            ok = r.u16(s, "a property value"), p.number = s;
            break;
        case PropType::U32:
            ok = r.u32(p.number, "a property value");
            break;
        case PropType::VarInt:
            ok = r.varInt(p.number, "a property value");
            break;
        case PropType::String:
            ok = r.string(p.text, "a property value");
            break;
        case PropType::Binary:
            ok = r.string(p.text, "a property value");
            break;
        case PropType::Pair:
            ok = r.string(p.text, "a user property") && r.string(p.value, "a user property");
            break;
        case PropType::None:
            break;
    }
    const std::string shown = type == PropType::Pair     ? p.text + " = " + p.value
                              : type == PropType::Binary ? hexPreview(p.text)
                              : type == PropType::String ? p.text
                                                         : std::to_string(p.number);
    node.children.push_back(text(propertyName(p.id), shown, spanOf(start, r.pos() - start)));
    return ok;
}

bool readProperties(Reader& r, std::vector<Property>& out, TreeBuilder& tree, const char* name) {
    uint32_t length = 0;
    const size_t start = r.pos();
    if (!r.varInt(length, "the properties length")) return false;
    if (length > r.left()) return r.fail("properties run past the end of the packet");
    Node node = group(name);
    const size_t end = r.pos() + length;
    while (r.pos() < end) {
        Property p;
        if (!readProperty(r, p, node)) return false;
        if (r.pos() > end) return r.fail("a property runs past the properties length");
        out.push_back(std::move(p));
    }
    node.span = spanOf(start, r.pos() - start);
    node.value = std::to_string(out.size()) + (out.size() == 1 ? " property" : " properties");
    tree.add(std::move(node));
    return true;
}

bool readString(Reader& r, std::string& out, TreeBuilder& tree, const char* name, bool binary = false) {
    const size_t start = r.pos();
    if (!r.string(out, name)) return false;
    tree.add(name, binary ? hexPreview(out) : out, start, r.pos());
    return true;
}

template <typename Int>
bool readNumber(Reader& r, Int& out, TreeBuilder& tree, const char* name) {
    const size_t start = r.pos();
    bool ok = false;
    if constexpr (sizeof(Int) == 1)
        ok = r.u8(out, name);
    else
        ok = r.u16(out, name);
    if (ok) tree.add(name, std::to_string(out), start, r.pos());
    return ok;
}

bool readConnect(Reader& r, Packet& p, TreeBuilder& t) {
    if (!readString(r, p.protocolName, t, "protocol name") ||
        !readNumber(r, p.protocolLevel, t, "protocol level"))
        return false;
    if (p.protocolLevel < 3 || p.protocolLevel > 5)
        return r.fail("unsupported protocol level " + std::to_string(p.protocolLevel));
    const bool v5 = p.protocolLevel == 5;
    if (!readNumber(r, p.connectFlags, t, "connect flags") || !readNumber(r, p.keepAlive, t, "keep alive"))
        return false;
    if (v5 && !readProperties(r, p.properties, t, "properties")) return false;
    if (!readString(r, p.clientId, t, "client id")) return false;
    if (p.connectFlags & 0x04) {
        if (v5 && !readProperties(r, p.willProperties, t, "will properties")) return false;
        if (!readString(r, p.willTopic, t, "will topic") ||
            !readString(r, p.willPayload, t, "will payload", true))
            return false;
    }
    if ((p.connectFlags & 0x80) && !readString(r, p.username, t, "username")) return false;
    if ((p.connectFlags & 0x40) && !readString(r, p.password, t, "password", true)) return false;
    return true;
}

bool readReasonAndProperties(Reader& r, Packet& p, TreeBuilder& t) {
    if (r.left() == 0) return true;
    if (!readNumber(r, p.reasonCode, t, "reason code")) return false;
    return r.left() == 0 || readProperties(r, p.properties, t, "properties");
}

bool readTopics(Reader& r, Packet& p, TreeBuilder& t) {
    Node topics = group("topics");
    TreeBuilder inner{&topics};
    const size_t start = r.pos();
    while (r.left() > 0) {
        Subscription s;
        if (!readString(r, s.topic, inner, "topic")) return false;
        if (p.type == Type::Subscribe && !readNumber(r, s.options, inner, "options")) return false;
        p.subscriptions.push_back(std::move(s));
    }
    if (p.subscriptions.empty()) return r.fail("no topic filter (MQTT 3.8.3-3, 3.10.3-2)");
    topics.span = spanOf(start, r.pos() - start);
    t.add(std::move(topics));
    return true;
}

bool readBody(Reader& r, Packet& p, bool v5, TreeBuilder& t) {
    switch (p.type) {
        case Type::Connect:
            return readConnect(r, p, t);
        case Type::Connack:
            if (!readNumber(r, p.ackFlags, t, "acknowledge flags") ||
                !readNumber(r, p.reasonCode, t, "reason code"))
                return false;
            return !v5 || readProperties(r, p.properties, t, "properties");
        case Type::Publish: {
            if (!readString(r, p.topic, t, "topic")) return false;
            if (p.qos() > 0 && !readNumber(r, p.packetId, t, "packet id")) return false;
            if (v5 && !readProperties(r, p.properties, t, "properties")) return false;
            const size_t start = r.pos();
            p.payload = r.rest();
            t.add("payload", plural(p.payload.size(), "byte"), start, r.pos());
            return true;
        }
        case Type::Puback:
        case Type::Pubrec:
        case Type::Pubrel:
        case Type::Pubcomp:
            if (!readNumber(r, p.packetId, t, "packet id")) return false;
            return !v5 || readReasonAndProperties(r, p, t);
        case Type::Subscribe:
        case Type::Unsubscribe:
            if (!readNumber(r, p.packetId, t, "packet id")) return false;
            if (v5 && !readProperties(r, p.properties, t, "properties")) return false;
            return readTopics(r, p, t);
        case Type::Suback:
        case Type::Unsuback: {
            if (!readNumber(r, p.packetId, t, "packet id")) return false;
            if (v5 && !readProperties(r, p.properties, t, "properties")) return false;
            const size_t start = r.pos();
            const std::string codes = r.rest();
            p.reasonCodes.assign(codes.begin(), codes.end());
            if (!codes.empty()) t.add("reason codes", hexPreview(codes), start, r.pos());
            return true;
        }
        case Type::Pingreq:
        case Type::Pingresp:
            return true;
        case Type::Disconnect:
        case Type::Auth:
            return !v5 || readReasonAndProperties(r, p, t);
    }
    return true;
}

// MQTT 5.0 §2.1.3: the flags each type must carry (PUBLISH's are its own).
bool flagsValid(Type type, uint8_t flags) {
    if (type == Type::Publish) return ((flags >> 1) & 3) != 3;  // §3.3.1.2: QoS 3 is malformed
    const bool two = type == Type::Pubrel || type == Type::Subscribe || type == Type::Unsubscribe;
    return flags == (two ? 2 : 0);
}

}  // namespace

std::string encode(const Packet& packet, uint8_t level) {
    const bool v5 = packet.type == Type::Connect ? packet.protocolLevel == 5 : level == 5;
    const std::string b = body(packet, v5);
    std::string out;
    out += char((uint8_t(packet.type) << 4) | (packet.flags & 0x0f));
    putVarInt(out, uint32_t(b.size()));
    return out + b;
}

ParseOutcome parse(std::span<const uint8_t> bytes, uint8_t level, Packet& out, Node* tree) {
    ParseOutcome o;
    if (bytes.empty()) return o.result = ParseResult::NeedMore, o;
    const uint8_t type = bytes[0] >> 4;
    uint32_t length = 0;
    size_t pos = 1;
    for (int i = 0;; ++i) {
        if (i == 4) return o.error = "remaining length longer than four bytes", o.errorAt = 1, o;
        if (pos >= bytes.size()) return o.result = ParseResult::NeedMore, o;
        const uint8_t b = bytes[pos++];
        length |= uint32_t(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) break;
    }
    if (bytes.size() - pos < length) return o.result = ParseResult::NeedMore, o;
    if (type == 0 || (type == 15 && level != 5))
        return o.error = "reserved packet type " + std::to_string(type), o;
    out = Packet{};
    out.type = Type(type);
    out.flags = bytes[0] & 0x0f;
    if (!flagsValid(out.type, out.flags))
        return o.error = std::string("invalid fixed header flags for ") + typeName(out.type), o;
    TreeBuilder t{tree};
    t.add("fixed header", std::string(typeName(out.type)) + ", remaining length " + std::to_string(length), 0,
          pos);
    Reader r(bytes, pos, pos + length);
    if (!readBody(r, out, level == 5, t)) return o.error = r.error(), o.errorAt = r.errorAt(), o;
    if (r.left() != 0) return o.error = "unexpected bytes at the end of the packet", o.errorAt = r.pos(), o;
    o.result = ParseResult::Done;
    o.consumed = pos + length;
    return o;
}

}  // namespace framescope::decoders::mqtt
