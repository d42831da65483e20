// The benchmark harness: calibrated runs (iterations grow until one run takes the target time), the
// median of several runs with their spread, ns/op, MB/s and heap allocations per op.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "framescope/bench/result.h"

namespace framescope::bench {

struct RunConfig {
    double targetSeconds = 0.06;  // one run; calibration grows the iteration count until it gets there
    int runs = 7;                 // measured runs after calibration; the median is reported
    static RunConfig normal() { return {0.06, 7}; }
    static RunConfig quick() { return {0.004, 3}; }
};

// Runs the operation `iterations` times.
using Batch = std::function<void(uint64_t iterations)>;

// Measures `batch`; `bytesPerOp` (payload) gives MB/s, 0 leaves it at 0.
Figures measureBatch(const RunConfig& config, size_t bytesPerOp, const Batch& batch);

// Measures several batches side by side: each is calibrated on its own, then the rounds interleave them
// (A B C A B C ...), so that each round of every batch ran under the same load. Allocations are counted per
// batch over its measured rounds, on the calling thread.
std::vector<Figures> measureSideBySide(const RunConfig& config, size_t bytesPerOp,
                                       const std::vector<Batch>& batches);

// Measures one operation; the loop is instantiated here so that `op` is inlined into it.
template <typename Op>
Figures measure(const RunConfig& config, size_t bytesPerOp, Op&& op) {
    return measureBatch(config, bytesPerOp, [&op](uint64_t iterations) {
        for (uint64_t i = 0; i < iterations; ++i)
            op();
    });
}

// Keeps the compiler from optimising away a value or the memory behind a pointer.
template <typename T>
inline void doNotOptimize(const T& value) {
    asm volatile("" : : "r,m"(value) : "memory");
}
inline void clobberMemory() {
    asm volatile("" : : : "memory");
}

// Median of sorted-in-place samples; percentiles of latencies.
double medianOf(std::vector<double>& samples);
double percentileOf(std::vector<double>& samples, double fraction);

}  // namespace framescope::bench
