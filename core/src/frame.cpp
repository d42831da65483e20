#include "framescope/frame.h"

#include <cstring>

namespace framescope {

namespace {

uint64_t readBigEndian(const uint8_t* bytes, size_t count) noexcept {
    uint64_t value = 0;
    for (size_t i = 0; i < count; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

void writeBigEndian(uint64_t value, uint8_t* out, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i)
        out[count - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

const char* opcodeName(uint8_t op) noexcept {
    switch (op) {
        case opcode::kContinuation:
            return "continuation";
        case opcode::kText:
            return "text";
        case opcode::kBinary:
            return "binary";
        case opcode::kClose:
            return "close";
        case opcode::kPing:
            return "ping";
        case opcode::kPong:
            return "pong";
        default:
            return isControlOpcode(op) ? "reserved-control" : "reserved-data";
    }
}

const char* lengthEncodingName(LengthEncoding encoding) noexcept {
    switch (encoding) {
        case LengthEncoding::Bits7:
            return "7-bit";
        case LengthEncoding::Bits16:
            return "16-bit";
        case LengthEncoding::Bits64:
            return "64-bit";
    }
    return "?";
}

const char* headerErrorText(HeaderError error) noexcept {
    switch (error) {
        case HeaderError::None:
            return "no error";
        case HeaderError::LengthTopBitSet:
            return "The 64-bit payload length has its most significant bit set (RFC 6455 §5.2).";
        case HeaderError::NonMinimalLength:
            return "The payload length is not encoded in the minimal number of bytes (RFC 6455 §5.2).";
    }
    return "unknown header error";
}

HeaderParseResult parseFrameHeader(std::span<const uint8_t> bytes, FrameHeader& header,
                                   const HeaderParseOptions& options) noexcept {
    HeaderParseResult result;
    if (bytes.size() < 2) return result;
    const uint8_t b0 = bytes[0];
    const uint8_t b1 = bytes[1];
    const uint8_t length7 = b1 & 0x7F;
    const bool masked = (b1 & 0x80) != 0;
    const LengthEncoding encoding = length7 == 127   ? LengthEncoding::Bits64
                                    : length7 == 126 ? LengthEncoding::Bits16
                                                     : LengthEncoding::Bits7;
    const size_t headerSize = frameHeaderSize(encoding, masked);
    if (bytes.size() < headerSize) return result;

    uint64_t length = length7;
    if (encoding == LengthEncoding::Bits16) length = readBigEndian(bytes.data() + 2, 2);
    if (encoding == LengthEncoding::Bits64) length = readBigEndian(bytes.data() + 2, 8);

    header.fin = (b0 & 0x80) != 0;
    header.rsv1 = (b0 & 0x40) != 0;
    header.rsv2 = (b0 & 0x20) != 0;
    header.rsv3 = (b0 & 0x10) != 0;
    header.opcode = b0 & 0x0F;
    header.masked = masked;
    header.payloadLength = length;
    header.lengthEncoding = encoding;
    header.headerSize = static_cast<uint8_t>(headerSize);
    if (masked) {
        std::memcpy(header.maskKey.data(), bytes.data() + headerSize - 4, 4);
    } else {
        header.maskKey = {};
    }
    result.consumed = headerSize;
    result.status = ParseStatus::Error;
    if (encoding == LengthEncoding::Bits64 && length > kMaxPayloadLength) {
        result.error = HeaderError::LengthTopBitSet;  // RFC 6455 §5.2
        return result;
    }
    if (!options.tolerateNonMinimalLength && minimalLengthEncoding(length) != encoding) {
        result.error = HeaderError::NonMinimalLength;  // RFC 6455 §5.2: minimal bytes MUST be used
        return result;
    }

    result.status = ParseStatus::Done;
    return result;
}

size_t encodeFrameHeader(const FrameHeader& header, uint8_t* out) noexcept {
    if (header.opcode > 0x0F || !lengthFitsEncoding(header.payloadLength, header.lengthEncoding)) return 0;
    out[0] = static_cast<uint8_t>((header.fin ? 0x80 : 0) | (header.rsv1 ? 0x40 : 0) |
                                  (header.rsv2 ? 0x20 : 0) | (header.rsv3 ? 0x10 : 0) | header.opcode);
    const uint8_t maskBit = header.masked ? 0x80 : 0;
    size_t size = 2;
    switch (header.lengthEncoding) {
        case LengthEncoding::Bits7:
            out[1] = static_cast<uint8_t>(maskBit | header.payloadLength);
            break;
        case LengthEncoding::Bits16:
            out[1] = maskBit | 126;
            writeBigEndian(header.payloadLength, out + 2, 2);
            size = 4;
            break;
        case LengthEncoding::Bits64:
            out[1] = maskBit | 127;
            writeBigEndian(header.payloadLength, out + 2, 8);
            size = 10;
            break;
    }
    if (header.masked) {
        std::memcpy(out + size, header.maskKey.data(), 4);
        size += 4;
    }
    return size;
}

const char* headerRuleViolation(const FrameHeader& header, const HeaderRules& rules) noexcept {
    const bool control = isControlOpcode(header.opcode);
    if (isReservedOpcode(header.opcode)) return "The frame uses a reserved opcode (RFC 6455 §5.2).";
    if (header.rsv2 || header.rsv3)
        return "RSV2 or RSV3 is set but no extension defines them (RFC 6455 §5.2).";
    if (header.rsv1 && !rules.rsv1Allowed) {
        return "RSV1 is set but permessage-deflate was not negotiated (RFC 6455 §5.2).";
    }
    if (header.rsv1 && (control || header.opcode == opcode::kContinuation)) {
        return "RSV1 is set on a control or continuation frame (RFC 7692 §6.1).";
    }
    if (header.masked != rules.fromClient) {
        return rules.fromClient ? "A client frame is unmasked (RFC 6455 §5.1)."
                                : "A server frame is masked (RFC 6455 §5.1).";
    }
    if (control && header.payloadLength > 125)
        return "A control frame carries more than 125 bytes (RFC 6455 §5.5).";
    if (control && !header.fin) return "A control frame is fragmented (RFC 6455 §5.5).";
    if (header.lengthEncoding == LengthEncoding::Bits64 && header.payloadLength > kMaxPayloadLength) {
        return headerErrorText(HeaderError::LengthTopBitSet);
    }
    if (rules.minimalLength && minimalLengthEncoding(header.payloadLength) != header.lengthEncoding) {
        return headerErrorText(HeaderError::NonMinimalLength);
    }
    return nullptr;
}

FrameHeader rawFrameHeader(const RawFrameSpec& spec) noexcept {
    FrameHeader header;
    header.fin = spec.fin;
    header.rsv1 = spec.rsv1;
    header.rsv2 = spec.rsv2;
    header.rsv3 = spec.rsv3;
    header.opcode = spec.opcode;
    header.masked = spec.masked;
    header.maskKey = spec.maskKey;
    header.payloadLength = spec.overrideLength ? spec.declaredLength : spec.payload.size();
    header.lengthEncoding = spec.forceEncoding ? spec.encoding : minimalLengthEncoding(header.payloadLength);
    header.headerSize = static_cast<uint8_t>(frameHeaderSize(header.lengthEncoding, header.masked));
    return header;
}

const char* rawFrameErrorText(RawFrameError error) noexcept {
    switch (error) {
        case RawFrameError::None:
            return "no error";
        case RawFrameError::OpcodeOutOfRange:
            return "The opcode must be between 0 and 15.";
        case RawFrameError::LengthDoesNotFitEncoding:
            return "The declared length does not fit the chosen length encoding.";
    }
    return "unknown raw frame error";
}

RawFrameError encodeRawFrame(const RawFrameSpec& spec, ByteBuffer& out) {
    if (spec.opcode > 0x0F) return RawFrameError::OpcodeOutOfRange;
    const FrameHeader header = rawFrameHeader(spec);
    if (!lengthFitsEncoding(header.payloadLength, header.lengthEncoding)) {
        return RawFrameError::LengthDoesNotFitEncoding;
    }
    uint8_t* dst = out.prepare(kMaxFrameHeaderSize + spec.payload.size());
    const size_t headerSize = encodeFrameHeader(header, dst);
    if (spec.masked) {
        copyMasked(dst + headerSize, spec.payload.data(), spec.payload.size(), spec.maskKey);
    } else if (!spec.payload.empty()) {
        std::memcpy(dst + headerSize, spec.payload.data(), spec.payload.size());
    }
    out.commit(headerSize + spec.payload.size());
    return RawFrameError::None;
}

}  // namespace framescope
