// One direction's data frames joined into whole messages for the decoders, the same way live (DecodingSink)
// and from a capture (StoreDecoder). Memory is bounded: a message keeps at most kMaxMessageBytes (later bytes
// are dropped, the decoder then reads it cut short), and a big buffer is freed once its message is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace framescope::app {

class MessageAssembler {
public:
    static constexpr size_t kMaxMessageBytes = size_t{16} << 20;

    struct Frame {
        uint8_t opcode = 0;                // text, binary, or continuation (0)
        bool rsv1 = false;                 // on a first frame: the message is deflate data (RFC 7692 §6)
        std::span<const uint8_t> payload;  // unmasked
        bool endsMessage = false;
        bool compressed = false;  // ends a compressed message: `inflated` is the message
        std::span<const uint8_t> inflated;
    };

    // Adds one data frame. When it ends a message, returns the message's bytes, valid until the next add().
    std::optional<std::span<const uint8_t>> add(const Frame& frame);
    bool binary() const noexcept { return binary_; }  // of the message being joined (or just returned)

private:
    std::string bytes_;
    bool binary_ = false;
    bool deflated_ = false;  // the message's frames carry deflate data: not joined (inflated comes whole)
    bool done_ = false;      // bytes_ holds a message already returned
};

}  // namespace framescope::app
