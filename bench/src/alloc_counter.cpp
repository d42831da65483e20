#include "framescope/bench/alloc_counter.h"

#include <atomic>

namespace framescope::bench {
namespace {

std::atomic<uint64_t> allocationCount{0};
std::atomic<uint64_t> allocationBytes{0};
std::atomic<bool> available{false};

}  // namespace

bool allocCountingAvailable() noexcept {
    return available.load(std::memory_order_relaxed);
}

AllocSnapshot allocSnapshot() noexcept {
    return {allocationCount.load(std::memory_order_relaxed), allocationBytes.load(std::memory_order_relaxed)};
}

void recordAllocation(size_t size) noexcept {
    allocationCount.fetch_add(1, std::memory_order_relaxed);
    allocationBytes.fetch_add(size, std::memory_order_relaxed);
}

void markAllocCountingAvailable() noexcept {
    available.store(true, std::memory_order_relaxed);
}

}  // namespace framescope::bench
