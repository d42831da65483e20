// Calibration: the iteration count grows (at most 100x a step) until one run takes the target time; the
// calibration runs double as warm-up. Then `runs` rounds of that many iterations, interleaved with the
// other batches of the row; ns/op is their median, the spread their min and max. Allocations are counted
// over the measured rounds only (the snapshots themselves do not allocate).
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

void summarise(Figures& figures, const AllocSnapshot& allocated, size_t bytesPerOp) {
    std::vector<double> sorted = figures.roundNs;
    figures.nsPerOp = medianOf(sorted);
    figures.nsPerOpMin = sorted.front();
    figures.nsPerOpMax = sorted.back();
    if (bytesPerOp != 0 && figures.nsPerOp > 0)
        figures.mbPerSec = static_cast<double>(bytesPerOp) * 1e3 / figures.nsPerOp;
    if (allocCountingAvailable()) {
        const double ops = static_cast<double>(figures.iterations) * figures.runs;
        figures.allocsPerOp = static_cast<double>(allocated.count) / ops;
        figures.bytesPerOp = static_cast<double>(allocated.bytes) / ops;
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
    return measureSideBySide(config, bytesPerOp, {batch}).front();
}

std::vector<Figures> measureSideBySide(const RunConfig& config, size_t bytesPerOp,
                                       const std::vector<Batch>& batches) {
    std::vector<Figures> figures(batches.size());
    std::vector<AllocSnapshot> allocated(batches.size());
    for (size_t b = 0; b < batches.size(); ++b) {
        figures[b].iterations = calibrate(config, batches[b]);
        figures[b].runs = config.runs;
        figures[b].roundNs.reserve(static_cast<size_t>(config.runs));
    }
    for (int run = 0; run < config.runs; ++run) {
        for (size_t b = 0; b < batches.size(); ++b) {
            const AllocSnapshot before = threadAllocSnapshot();
            const double seconds = secondsOf(batches[b], figures[b].iterations);
            const AllocSnapshot after = threadAllocSnapshot();
            allocated[b].count += after.count - before.count;
            allocated[b].bytes += after.bytes - before.bytes;
            figures[b].roundNs.push_back(seconds * 1e9 / static_cast<double>(figures[b].iterations));
        }
    }
    for (size_t b = 0; b < batches.size(); ++b)
        summarise(figures[b], allocated[b], bytesPerOp);
    return figures;
}

}  // namespace framescope::bench
