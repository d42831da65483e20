// A process-wide memory budget shared by the built-in server's connections: each connection charges the
// bytes its buffers hold (session buffers and its pending output); a connection that would take the total
// past the limit is closed (1009 when it alone is larger than the whole budget, else 1013) and the others
// keep going. Thread-safe (one atomic counter).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace framescope::app {

class MemoryBudget {
public:
    explicit MemoryBudget(uint64_t limit) : limit_(limit) {}

    uint64_t limit() const noexcept { return limit_; }
    uint64_t used() const noexcept { return used_.load(std::memory_order_relaxed); }
    // Moves this connection's charge from `charged` to `now`; returns the new total.
    uint64_t recharge(uint64_t& charged, uint64_t now) noexcept {
        const uint64_t total = now >= charged ? used_.fetch_add(now - charged) + (now - charged)
                                              : used_.fetch_sub(charged - now) - (charged - now);
        charged = now;
        return total;
    }
    // True if `more` bytes fit beside what is charged now.
    bool fits(uint64_t more) const noexcept { return used() + more <= limit_; }

private:
    uint64_t limit_;
    std::atomic<uint64_t> used_{0};
};

// glibc keeps freed blocks below its (growing) mmap threshold in the heap, so the memory a large message
// used stays in the RSS after it is freed. Fixing the threshold at 256 KiB returns large buffers to the
// system when they are freed. Process-wide; idempotent; nothing on other C libraries.
void returnLargeBuffersToTheSystem() noexcept;

}  // namespace framescope::app
