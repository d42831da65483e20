// Allocation counting for benchmarks, at the malloc level: every call to glibc's malloc family (operator
// new, zlib, OpenSSL and Qt all allocate through it) adds one allocation and its size. The counting itself
// is the preloaded library framescope_malloc_count (LD_PRELOAD); this reads it when it is there.
#pragma once

#include <cstddef>
#include <cstdint>

namespace framescope::bench {

struct AllocSnapshot {
    uint64_t count = 0;  // malloc-family calls
    uint64_t bytes = 0;  // bytes asked for
};

// True when the counter is preloaded into this process (otherwise every snapshot is zero and allocation
// figures are reported as not counted).
bool allocCountingAvailable() noexcept;
// Every thread's allocations.
AllocSnapshot allocSnapshot() noexcept;
// The calling thread's allocations only (in-memory rows).
AllocSnapshot threadAllocSnapshot() noexcept;

}  // namespace framescope::bench
