// One direction of a TCP connection put back in order: segments in, in-order bytes out. Retransmitted and
// overlapping bytes are delivered once; segments that arrive early wait (up to kMaxPendingBytes) until the
// gap before them is filled. Qt-free; used by the pcap import.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

namespace framescope::app {

class TcpReassembly {
public:
    static constexpr size_t kMaxPendingBytes = size_t{64} << 20;
    using Deliver = std::function<void(std::span<const uint8_t> bytes, int64_t timestampUs)>;

    // A segment's sequence number, SYN flag and payload. The first SYN (or, without one, the first segment)
    // fixes where the stream starts.
    void segment(uint32_t seq, bool syn, std::span<const uint8_t> payload, int64_t timestampUs,
                 const Deliver& deliver);

    uint64_t delivered() const noexcept { return delivered_; }
    // True once every byte before sequence number `seq` has been delivered.
    bool reached(uint32_t seq) const noexcept { return started_ && static_cast<int32_t>(seq - next_) <= 0; }
    size_t pendingBytes() const noexcept { return pendingBytes_; }  // out of order, waiting for a gap
    uint64_t retransmittedBytes() const noexcept { return retransmitted_; }
    uint64_t droppedBytes() const noexcept { return dropped_; }  // past kMaxPendingBytes

private:
    void drain(const Deliver& deliver);

    bool started_ = false;
    uint32_t next_ = 0;       // sequence number of the next in-order byte
    uint64_t delivered_ = 0;  // stream offset of next_
    struct Early {
        int64_t timestampUs;
        std::vector<uint8_t> bytes;
    };
    std::map<uint64_t, Early> pending_;  // by stream offset
    size_t pendingBytes_ = 0;
    uint64_t retransmitted_ = 0;
    uint64_t dropped_ = 0;
};

}  // namespace framescope::app
