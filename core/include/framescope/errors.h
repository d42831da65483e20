// Caller misuse of the codec (local errors), as opposed to the peer's misbehaviour, which is a
// ProtocolError event carrying a close code (see session.h).
#pragma once

#include <cstdint>
#include <system_error>

namespace framescope {

enum class LocalError : uint8_t {
    None = 0,
    NotOpen,                // the session has sent a close frame or has failed
    InvalidUtf8,            // a text message that is not valid UTF-8
    ControlPayloadTooLong,  // RFC 6455 §5.5: control frame payloads are at most 125 bytes
    InvalidCloseCode,       // RFC 6455 §7.4: not a code an endpoint may send
    CloseReasonTooLong,     // RFC 6455 §5.5.1: code + reason must fit in 125 bytes
    InvalidRawFrame,        // a crafted frame's fields are inconsistent (see RawFrameError)
    EventsPending,          // receive() while events are queued: read them with nextEvent() first
    OutOfMemory,  // the frame could not be built: memory ran out (std::bad_alloc, caught by callers)
};

const std::error_category& localErrorCategory() noexcept;
std::error_code make_error_code(LocalError error) noexcept;

}  // namespace framescope

template <>
struct std::is_error_code_enum<framescope::LocalError> : std::true_type {};
