// Sequence numbers wrap (RFC 793 §3.3), so positions are compared as signed 32-bit distances from next_,
// and early segments are kept by their 64-bit stream offset, which does not wrap.
#include "capture/tcp_reassembly.h"

#include <algorithm>

namespace framescope::app {

void TcpReassembly::segment(uint32_t seq, bool syn, std::span<const uint8_t> payload, int64_t timestampUs,
                            const Deliver& deliver) {
    if (syn) {
        if (!started_) {
            started_ = true;
            next_ = seq + 1;  // RFC 793 §3.3: the SYN takes one sequence number
        }
        seq += 1;
    }
    if (payload.empty()) return;
    if (!started_) {
        started_ = true;
        next_ = seq;
    }
    const auto distance = static_cast<int32_t>(seq - next_);
    if (distance <= 0) {
        const auto already = static_cast<size_t>(-static_cast<int64_t>(distance));
        if (already >= payload.size()) {
            retransmitted_ += payload.size();
            return;
        }
        retransmitted_ += already;
        const auto fresh = payload.subspan(already);
        next_ += static_cast<uint32_t>(fresh.size());
        delivered_ += fresh.size();
        deliver(fresh, timestampUs);
        drain(deliver);
        return;
    }
    const uint64_t offset = delivered_ + static_cast<uint64_t>(distance);
    if (pending_.count(offset) != 0) {
        retransmitted_ += payload.size();
        return;
    }
    if (pendingBytes_ + payload.size() > kMaxPendingBytes) {
        dropped_ += payload.size();
        return;
    }
    pending_.emplace(offset, Early{timestampUs, std::vector<uint8_t>(payload.begin(), payload.end())});
    pendingBytes_ += payload.size();
}

// Early segments keep their own timestamps: a frame in them is dated when its bytes were captured.
void TcpReassembly::drain(const Deliver& deliver) {
    while (!pending_.empty() && pending_.begin()->first <= delivered_) {
        auto node = pending_.extract(pending_.begin());
        const uint64_t offset = node.key();
        const std::vector<uint8_t>& bytes = node.mapped().bytes;
        pendingBytes_ -= bytes.size();
        const uint64_t already = delivered_ - offset;
        if (already >= bytes.size()) {
            retransmitted_ += bytes.size();
            continue;
        }
        retransmitted_ += already;
        const std::span<const uint8_t> fresh =
            std::span<const uint8_t>(bytes).subspan(static_cast<size_t>(already));
        next_ += static_cast<uint32_t>(fresh.size());
        delivered_ += fresh.size();
        deliver(fresh, node.mapped().timestampUs);
    }
}

}  // namespace framescope::app
