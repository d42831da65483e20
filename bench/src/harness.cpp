// Calibration: the iteration count grows (at most 100x a step) until one run takes the target time; the
// calibration runs double as warm-up. Then `runs` runs of that many iterations; ns/op is their median, the
// spread their min and max. Allocations are counted over the measured runs only.
#include "framescope/bench/harness.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "framescope/bench/alloc_counter.h"

namespace framescope::bench {
namespace {

using Clock = std::chrono::steady_clock;

double secondsOf(const Batch& batch, uint64_t iterations) {
    const auto start = Clock::now();
    batch(iterations);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

uint64_t calibrate(const RunConfig& config, const Batch& batch) {
    uint64_t iterations = 1;
    for (;;) {
        const double elapsed = secondsOf(batch, iterations);
        if (elapsed >= config.targetSeconds * 0.8 || iterations >= (uint64_t{1} << 40)) return iterations;
        const double wanted = elapsed <= 0 ? 100.0 : config.targetSeconds * 1.1 / elapsed;
        const double factor = std::clamp(wanted, 1.5, 100.0);
        iterations = static_cast<uint64_t>(std::ceil(static_cast<double>(iterations) * factor));
    }
}

}  // namespace

double medianOf(std::vector<double>& samples) {
    return percentileOf(samples, 0.5);
}

double percentileOf(std::vector<double>& samples, double fraction) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const double position = fraction * static_cast<double>(samples.size() - 1);
    const auto low = static_cast<size_t>(std::floor(position));
    const size_t high = std::min(low + 1, samples.size() - 1);
    const double weight = position - static_cast<double>(low);
    return samples[low] * (1 - weight) + samples[high] * weight;
}

Figures measureBatch(const RunConfig& config, size_t bytesPerOp, const Batch& batch) {
    Figures figures;
    figures.iterations = calibrate(config, batch);
    figures.runs = config.runs;
    std::vector<double> nsPerOp;
    nsPerOp.reserve(static_cast<size_t>(config.runs));
    const AllocSnapshot before = threadAllocSnapshot();
    for (int run = 0; run < config.runs; ++run) {
        nsPerOp.push_back(secondsOf(batch, figures.iterations) * 1e9 /
                          static_cast<double>(figures.iterations));
    }
    const AllocSnapshot after = threadAllocSnapshot();
    figures.nsPerOp = medianOf(nsPerOp);
    figures.nsPerOpMin = nsPerOp.front();
    figures.nsPerOpMax = nsPerOp.back();
    if (bytesPerOp != 0 && figures.nsPerOp > 0) {
        figures.mbPerSec = static_cast<double>(bytesPerOp) * 1e3 / figures.nsPerOp;
    }
    if (allocCountingAvailable()) {
        // The one vector above is reserved before `before`; nothing else here allocates.
        const double ops = static_cast<double>(figures.iterations) * config.runs;
        figures.allocsPerOp = static_cast<double>(after.count - before.count) / ops;
        figures.bytesPerOp = static_cast<double>(after.bytes - before.bytes) / ops;
    }
    return figures;
}

}  // namespace framescope::bench
