// Close status codes (RFC 6455 §7.4): names and which ones may appear on the wire.
#pragma once

#include <cstdint>

namespace framescope {

namespace close_code {
inline constexpr uint16_t kNormal = 1000;
inline constexpr uint16_t kGoingAway = 1001;
inline constexpr uint16_t kProtocolError = 1002;
inline constexpr uint16_t kUnsupportedData = 1003;
inline constexpr uint16_t kNoStatus = 1005;  // never on the wire
inline constexpr uint16_t kAbnormal = 1006;  // never on the wire
inline constexpr uint16_t kInvalidPayload = 1007;
inline constexpr uint16_t kPolicyViolation = 1008;
inline constexpr uint16_t kMessageTooBig = 1009;
inline constexpr uint16_t kMandatoryExtension = 1010;
inline constexpr uint16_t kInternalError = 1011;
inline constexpr uint16_t kTryAgainLater = 1013;  // IANA registry (RFC 6455 §11.7): e.g. out of memory
inline constexpr uint16_t kTlsHandshake = 1015;   // never on the wire
}  // namespace close_code

enum class CloseCodeClass : uint8_t {
    NotUsed,           // 0-999: RFC 6455 §7.4.2 says these are not used
    Standard,          // 1000-1003, 1007-1014: defined and valid on the wire
    ReservedLocal,     // 1004, 1005, 1006, 1015: must never be sent
    ReservedProtocol,  // 1016-2999: reserved for future RFCs; invalid until defined
    Registered,        // 3000-3999: IANA-registered libraries and frameworks
    Private,           // 4000-4999: private use
    OutOfRange,        // 5000-65535: not a close code
};

CloseCodeClass classifyCloseCode(uint16_t code) noexcept;
// True for the codes a peer may send: 1000-1003, 1007-1014, 3000-4999.
bool isValidWireCloseCode(uint16_t code) noexcept;
// "Normal closure", "Protocol error", ... or a description of the class for other codes.
const char* closeCodeName(uint16_t code) noexcept;

}  // namespace framescope
