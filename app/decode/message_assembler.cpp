// Joining data frames into messages (see message_assembler.h).
#include "decode/message_assembler.h"

#include <algorithm>

#include "framescope/frame.h"

namespace framescope::app {

namespace {
constexpr size_t kKeptCapacity = size_t{1} << 20;
}  // namespace

std::optional<std::span<const uint8_t>> MessageAssembler::add(const Frame& frame) {
    if (done_ || frame.opcode != opcode::kContinuation) {
        if (bytes_.capacity() > kKeptCapacity) {
            std::string().swap(bytes_);  // a big message's memory is not kept for the connection's lifetime
        } else {
            bytes_.clear();
        }
        done_ = false;
    }
    if (frame.opcode != opcode::kContinuation) {
        binary_ = frame.opcode == opcode::kBinary;
        deflated_ = frame.rsv1;
    }
    if (!deflated_) {
        const size_t room = kMaxMessageBytes - std::min(kMaxMessageBytes, bytes_.size());
        bytes_.append(reinterpret_cast<const char*>(frame.payload.data()),
                      std::min(room, frame.payload.size()));
    }
    if (!frame.endsMessage) return std::nullopt;
    done_ = true;
    if (frame.compressed) return frame.inflated;
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes_.data()), bytes_.size());
}

}  // namespace framescope::app
