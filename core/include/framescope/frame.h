// Pure wire format of one frame (RFC 6455 §5.2): header decode and encode, opcodes, length encodings.
// Knows nothing of roles, handshakes or sessions; the session, the fuzzers and the benchmarks share it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "framescope/byte_buffer.h"
#include "framescope/mask.h"
#include "framescope/parse_status.h"

namespace framescope {

namespace opcode {
inline constexpr uint8_t kContinuation = 0x0;
inline constexpr uint8_t kText = 0x1;
inline constexpr uint8_t kBinary = 0x2;
inline constexpr uint8_t kClose = 0x8;
inline constexpr uint8_t kPing = 0x9;
inline constexpr uint8_t kPong = 0xA;
}  // namespace opcode

// RFC 6455 §5.2: opcodes with the high bit set are control frames.
constexpr bool isControlOpcode(uint8_t op) noexcept {
    return (op & 0x8) != 0;
}
// RFC 6455 §5.2: 0x3-0x7 and 0xB-0xF are reserved.
constexpr bool isReservedOpcode(uint8_t op) noexcept {
    return (op >= 0x3 && op <= 0x7) || op >= 0xB;
}
// "continuation", "text", "binary", "close", "ping", "pong", or "reserved-data"/"reserved-control".
const char* opcodeName(uint8_t op) noexcept;

enum class LengthEncoding : uint8_t {
    Bits7,   // length in the 7-bit field (0-125)
    Bits16,  // 126 + 16-bit extended length
    Bits64,  // 127 + 64-bit extended length
};

// "7-bit", "16-bit" or "64-bit".
const char* lengthEncodingName(LengthEncoding encoding) noexcept;

inline constexpr size_t kMaxFrameHeaderSize = 14;
inline constexpr uint64_t kMaxPayloadLength = (uint64_t{1} << 63) - 1;  // RFC 6455 §5.2: top bit 0

struct FrameHeader {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    uint8_t opcode = opcode::kText;  // 4 bits on the wire
    bool masked = false;
    MaskKey maskKey{};
    uint64_t payloadLength = 0;  // as declared on the wire
    LengthEncoding lengthEncoding = LengthEncoding::Bits7;
    uint8_t headerSize = 2;  // bytes, including extended length and masking key
};

// The smallest encoding that can carry `length` (what RFC 6455 §5.2 requires of a sender).
constexpr LengthEncoding minimalLengthEncoding(uint64_t length) noexcept {
    return length <= 125 ? LengthEncoding::Bits7
                         : (length <= 0xFFFF ? LengthEncoding::Bits16 : LengthEncoding::Bits64);
}
constexpr size_t frameHeaderSize(LengthEncoding encoding, bool masked) noexcept {
    size_t size = encoding == LengthEncoding::Bits7 ? 2 : (encoding == LengthEncoding::Bits16 ? 4 : 10);
    return masked ? size + 4 : size;
}
constexpr bool lengthFitsEncoding(uint64_t length, LengthEncoding encoding) noexcept {
    switch (encoding) {
        case LengthEncoding::Bits7:
            return length <= 125;
        case LengthEncoding::Bits16:
            return length <= 0xFFFF;
        case LengthEncoding::Bits64:
            return true;  // even a top bit set: crafted frames may lie
    }
    return false;
}

enum class HeaderError : uint8_t {
    None,
    LengthTopBitSet,   // RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0
    NonMinimalLength,  // RFC 6455 §5.2: "the minimal number of bytes MUST be used"
};
const char* headerErrorText(HeaderError error) noexcept;

struct HeaderParseOptions {
    bool tolerateNonMinimalLength = false;
};

struct HeaderParseResult {
    ParseStatus status = ParseStatus::NeedMore;
    size_t consumed = 0;  // header bytes, when Done
    HeaderError error = HeaderError::None;
};

// Decodes one frame header from the start of `bytes`. Never reads past bytes.size(). On Error the
// header is still filled in (so a debugger can show the offending frame) and `consumed` is its size.
HeaderParseResult parseFrameHeader(std::span<const uint8_t> bytes, FrameHeader& header,
                                   const HeaderParseOptions& options = {}) noexcept;

// Writes `header` exactly as given (its lengthEncoding, even a non-minimal one) to `out`, which must
// hold kMaxFrameHeaderSize bytes. Returns the size written, or 0 if payloadLength does not fit the
// chosen encoding or the opcode does not fit in 4 bits.
size_t encodeFrameHeader(const FrameHeader& header, uint8_t* out) noexcept;

// What a frame's header may be, for the sender it came from (RFC 6455 §5.1-§5.5, RFC 7692 §6.1).
struct HeaderRules {
    bool fromClient = false;    // clients mask every frame, servers none (RFC 6455 §5.1)
    bool rsv1Allowed = false;   // permessage-deflate was negotiated
    bool minimalLength = true;  // the payload length must use the fewest bytes (RFC 6455 §5.2)
};

// The first rule `header` breaks on its own (without the message or close state around it), as one
// sentence citing its RFC section; nullptr when it breaks none. Used on received and crafted frames alike.
const char* headerRuleViolation(const FrameHeader& header, const HeaderRules& rules) noexcept;

// Everything a user may set on a crafted frame. The bytes come out exactly as asked, broken or not.
struct RawFrameSpec {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    uint8_t opcode = opcode::kText;  // any of the 16 values
    bool masked = false;
    MaskKey maskKey{};                 // used as is when masked
    std::span<const uint8_t> payload;  // unmasked; masked on the way out when `masked`
    bool overrideLength = false;       // declare `declaredLength` instead of payload.size()
    uint64_t declaredLength = 0;
    bool forceEncoding = false;  // use `encoding` instead of the minimal one
    LengthEncoding encoding = LengthEncoding::Bits7;
};

enum class RawFrameError : uint8_t { None, OpcodeOutOfRange, LengthDoesNotFitEncoding };
const char* rawFrameErrorText(RawFrameError error) noexcept;

// Appends the frame described by `spec` to `out`. On error nothing is appended.
RawFrameError encodeRawFrame(const RawFrameSpec& spec, ByteBuffer& out);

// The header a RawFrameSpec produces (for previews and captures of crafted frames).
FrameHeader rawFrameHeader(const RawFrameSpec& spec) noexcept;

}  // namespace framescope
