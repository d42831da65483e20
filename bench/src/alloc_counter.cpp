#include "framescope/bench/alloc_counter.h"

#include <atomic>

namespace framescope::bench {
namespace {

std::atomic<uint64_t> allocationCount{0};
std::atomic<uint64_t> allocationBytes{0};
std::atomic<bool> available{false};
// The calling thread's own counts: in-memory rows read these, so that other threads of a host process
// (the window's event loop, its built-in server) do not add to a row's figures.
thread_local uint64_t threadAllocationCount = 0;
thread_local uint64_t threadAllocationBytes = 0;

}  // namespace

bool allocCountingAvailable() noexcept {
    return available.load(std::memory_order_relaxed);
}

AllocSnapshot allocSnapshot() noexcept {
    return {allocationCount.load(std::memory_order_relaxed), allocationBytes.load(std::memory_order_relaxed)};
}

AllocSnapshot threadAllocSnapshot() noexcept {
    return {threadAllocationCount, threadAllocationBytes};
}

void recordAllocation(size_t size) noexcept {
    ++threadAllocationCount;
    threadAllocationBytes += size;
    allocationCount.fetch_add(1, std::memory_order_relaxed);
    allocationBytes.fetch_add(size, std::memory_order_relaxed);
}

void markAllocCountingAvailable() noexcept {
    available.store(true, std::memory_order_relaxed);
}

}  // namespace framescope::bench
