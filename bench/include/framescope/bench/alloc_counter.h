// Heap allocation counting for benchmarks, as Go's -benchmem does: every call to the global operator new
// adds one allocation and its size. The counters live here; the operator new/delete replacement that feeds
// them is the object library framescope_bench_alloc, linked only into the executable that runs benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace framescope::bench {

struct AllocSnapshot {
    uint64_t count = 0;  // calls to operator new
    uint64_t bytes = 0;  // bytes asked for
};

// True when the replacement is linked into this executable (otherwise the counters stay at zero and
// allocation figures are reported as unknown).
bool allocCountingAvailable() noexcept;
// Every thread's allocations (end-to-end rows, where a server thread takes part).
AllocSnapshot allocSnapshot() noexcept;
// The calling thread's allocations only (in-memory rows).
AllocSnapshot threadAllocSnapshot() noexcept;

// Called by the replacement only.
void recordAllocation(size_t size) noexcept;
void markAllocCountingAvailable() noexcept;

}  // namespace framescope::bench
