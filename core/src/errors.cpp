#include "framescope/errors.h"

#include <string>

namespace framescope {

namespace {

class LocalErrorCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "framescope"; }
    std::string message(int value) const override {
        switch (static_cast<LocalError>(value)) {
            case LocalError::None:
                return "No error.";
            case LocalError::NotOpen:
                return "The connection is closing or closed; nothing more can be sent.";
            case LocalError::InvalidUtf8:
                return "A text message must be valid UTF-8.";
            case LocalError::ControlPayloadTooLong:
                return "A control frame payload may be at most 125 bytes (RFC 6455 §5.5).";
            case LocalError::InvalidCloseCode:
                return "That close code may not be sent (RFC 6455 §7.4).";
            case LocalError::CloseReasonTooLong:
                return "A close reason may be at most 123 bytes (RFC 6455 §5.5.1).";
            case LocalError::InvalidRawFrame:
                return "The crafted frame's fields are inconsistent.";
            case LocalError::OutOfMemory:
                return "There was not enough memory to build the frame; nothing was sent.";
            case LocalError::EventsPending:
                return "Events are still queued; read them with nextEvent() before receiving more bytes.";
        }
        return "Unknown error.";
    }
};

}  // namespace

const std::error_category& localErrorCategory() noexcept {
    static const LocalErrorCategory category;
    return category;
}

std::error_code make_error_code(LocalError error) noexcept {
    return {static_cast<int>(error), localErrorCategory()};
}

}  // namespace framescope
