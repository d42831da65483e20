// An HDR-style latency histogram: log2 buckets of nanoseconds, each split into 32 linear sub-buckets
// (about 3 % relative precision), in a fixed array. Recording never allocates; histograms merge by
// adding their counts, so workers record locally and the controller merges per interval.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace framescope::app {

class LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 5;
    static constexpr int kSubBuckets = 1 << kSubBucketBits;
    static constexpr int kMaxExponent = 40;  // values up to 2^40 ns (about 18 minutes) are kept exactly
    static constexpr int kBucketCount = (kMaxExponent - kSubBucketBits + 1) * kSubBuckets;

    void record(uint64_t ns) noexcept;
    void record(uint64_t ns, uint64_t times) noexcept;  // `times` values of `ns` at once
    void merge(const LatencyHistogram& other) noexcept;
    void clear() noexcept;

    uint64_t count() const noexcept { return count_; }
    uint64_t maxNs() const noexcept { return max_; }
    uint64_t minNs() const noexcept { return count_ ? min_ : 0; }
    double meanNs() const noexcept {
        return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
    }
    // The value at `fraction` (0..1) of the recorded values: the upper edge of its bucket, capped at max.
    uint64_t percentileNs(double fraction) const noexcept;

    // One bin of a coarser view for charts: values in [lowNs, highNs) and how many.
    struct Bin {
        uint64_t lowNs = 0;
        uint64_t highNs = 0;
        uint64_t count = 0;
    };
    // Bins with edges at 1, 2 and 5 times powers of ten, from the smallest to the largest value recorded.
    std::vector<Bin> decadeBins() const;

    static int bucketOf(uint64_t ns) noexcept;
    static uint64_t bucketLow(int bucket) noexcept;
    static uint64_t bucketHigh(int bucket) noexcept;  // exclusive

private:
    std::array<uint64_t, kBucketCount> counts_{};
    uint64_t count_ = 0;
    uint64_t sum_ = 0;
    uint64_t min_ = UINT64_MAX;
    uint64_t max_ = 0;
};

}  // namespace framescope::app
