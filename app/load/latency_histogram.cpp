// LatencyHistogram: bucket arithmetic, percentiles and the 1-2-5 bins of the end-of-run chart.
#include "load/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace framescope::app {

int LatencyHistogram::bucketOf(uint64_t ns) noexcept {
    if (ns < kSubBuckets) return static_cast<int>(ns);
    const int exponent = std::min(63 - std::countl_zero(ns), kMaxExponent);
    if (exponent == kMaxExponent) return kBucketCount - 1;
    const int shift = exponent - kSubBucketBits;
    const auto sub = static_cast<int>((ns >> shift) & (kSubBuckets - 1));
    return (shift + 1) * kSubBuckets + sub;
}

uint64_t LatencyHistogram::bucketLow(int bucket) noexcept {
    const int block = bucket / kSubBuckets;
    const auto sub = static_cast<uint64_t>(bucket % kSubBuckets);
    if (block == 0) return sub;
    const int shift = block - 1;
    return (uint64_t{kSubBuckets} + sub) << shift;
}

uint64_t LatencyHistogram::bucketHigh(int bucket) noexcept {
    if (bucket + 1 >= kBucketCount) return UINT64_MAX;
    return bucketLow(bucket + 1);
}

void LatencyHistogram::record(uint64_t ns) noexcept {
    ++counts_[static_cast<size_t>(bucketOf(ns))];
    ++count_;
    sum_ += ns;
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
}

void LatencyHistogram::record(uint64_t ns, uint64_t times) noexcept {
    if (times == 0) return;
    counts_[static_cast<size_t>(bucketOf(ns))] += times;
    count_ += times;
    sum_ += ns * times;
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
    if (other.count_ == 0) return;
    for (size_t i = 0; i < counts_.size(); ++i)
        counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

void LatencyHistogram::clear() noexcept {
    *this = LatencyHistogram{};
}

uint64_t LatencyHistogram::percentileNs(double fraction) const noexcept {
    if (count_ == 0) return 0;
    const double clamped = std::clamp(fraction, 0.0, 1.0);
    const auto rank =
        std::max<uint64_t>(1, static_cast<uint64_t>(clamped * static_cast<double>(count_) + 0.5));
    uint64_t seen = 0;
    for (int bucket = 0; bucket < kBucketCount; ++bucket) {
        seen += counts_[static_cast<size_t>(bucket)];
        if (seen >= rank) return std::clamp(bucketHigh(bucket) - 1, min_, max_);
    }
    return max_;
}

std::vector<LatencyHistogram::Bin> LatencyHistogram::decadeBins() const {
    std::vector<Bin> bins;
    if (count_ == 0) return bins;
    // Edges 1, 2, 5, 10, 20, 50... ns; the first bin holds min_, the last holds max_.
    std::vector<uint64_t> edges;
    for (uint64_t decade = 1; edges.empty() || edges.back() <= max_; decade *= 10) {
        for (const uint64_t step : {uint64_t{1}, uint64_t{2}, uint64_t{5}}) {
            edges.push_back(decade * step);
            if (edges.back() > max_) break;
        }
    }
    while (edges.size() > 2 && edges[1] <= min_)
        edges.erase(edges.begin());
    for (size_t i = 0; i + 1 < edges.size(); ++i)
        bins.push_back({edges[i], edges[i + 1], 0});
    for (int bucket = 0; bucket < kBucketCount; ++bucket) {
        const uint64_t n = counts_[static_cast<size_t>(bucket)];
        if (n == 0) continue;
        const uint64_t value = std::clamp(bucketLow(bucket), min_, max_);
        auto bin = std::upper_bound(bins.begin(), bins.end(), value,
                                    [](uint64_t v, const Bin& b) { return v < b.highNs; });
        if (bin == bins.end()) --bin;
        bin->count += n;
    }
    return bins;
}

}  // namespace framescope::app
