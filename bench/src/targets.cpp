// The targets of the bench issue, judged from a run's results. A target whose rows were filtered out, or
// whose peer is missing, is reported as not evaluated rather than met.
#include <cstdio>
#include <string>

#include "framescope/bench/suites.h"

namespace framescope::bench {
namespace {

const BenchResult* find(const std::vector<BenchResult>& results, const std::string& fullName) {
    for (const BenchResult& result : results) {
        if (result.fullName == fullName) return &result;
    }
    return nullptr;
}

std::string format(const char* pattern, double a, double b = 0) {
    char text[160];
    std::snprintf(text, sizeof text, pattern, a, b);
    return text;
}

TargetVerdict maskingTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"masking 1 KiB to 1 MiB >= 1.0x memcpy of the same size"};
    verdict.met = true;
    for (const char* label : {"1 KiB", "4 KiB", "16 KiB", "64 KiB", "1 MiB"}) {
        const BenchResult* row = find(results, std::string("mask/in-place/") + label);
        if (row == nullptr || !row->baseline.available) continue;
        verdict.evaluated = true;
        verdict.met = verdict.met && row->baseline.ratio >= 1.0;
        verdict.detail +=
            std::string(verdict.detail.empty() ? "" : ", ") + label + format(" %.2fx", row->baseline.ratio);
    }
    return verdict;
}

TargetVerdict readTarget(const std::vector<BenchResult>& results, const std::string& fullName) {
    TargetVerdict verdict{fullName + " >= 0.5x memcpy of 1 KiB and >= 2x the best peer"};
    const BenchResult* row = find(results, fullName);
    if (row == nullptr || !row->baseline.available) return verdict;
    verdict.detail = format("%.2fx memcpy", row->baseline.ratio);
    if (row->bestPeer.name.empty()) {
        verdict.detail += ", no peer ran this row";
        return verdict;
    }
    verdict.evaluated = true;
    verdict.met = row->baseline.ratio >= 0.5 && row->bestPeer.ratio >= 2.0;
    verdict.detail += format(", %.2fx ", row->bestPeer.ratio) + row->bestPeer.name;
    return verdict;
}

TargetVerdict acceptTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"accept key <= 2x the time of one SHA-1 of 60 bytes"};
    const BenchResult* row = find(results, "handshake/accept-key/60 B");
    if (row == nullptr || !row->baseline.available || row->baseline.ratio <= 0) return verdict;
    verdict.evaluated = true;
    const double times = 1.0 / row->baseline.ratio;
    verdict.met = times <= 2.0;
    verdict.detail = format("%.2fx the time of one SHA-1 (%.0f ns)", times, row->figures.nsPerOp);
    return verdict;
}

TargetVerdict allocationTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"0 allocs/op on every read and write row in steady state"};
    verdict.met = true;
    int rows = 0;
    for (const BenchResult& row : results) {
        const bool readOrWrite = (row.suite == "message" && row.caseName != "roundtrip") ||
                                 (row.suite == "frame" && row.caseName != "roundtrip");
        if (!readOrWrite || row.figures.allocsPerOp < 0) continue;
        verdict.evaluated = true;
        ++rows;
        if (row.figures.allocsPerOp > 0) {
            verdict.met = false;
            verdict.detail += row.fullName + format(" %.3f allocs/op; ", row.figures.allocsPerOp);
        }
    }
    if (verdict.met && verdict.evaluated) verdict.detail = std::to_string(rows) + " rows at 0";
    return verdict;
}

TargetVerdict endToEndTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"e2e 1 KiB x64 >= 0.9x plain TCP echo and >= 1.0x the fastest peer server"};
    const BenchResult* row = find(results, "e2e/echo/1 KiB x64");
    if (row == nullptr || !row->baseline.available) return verdict;
    verdict.detail = format("%.2fx tcp echo", row->baseline.ratio);
    if (row->bestPeer.name.empty()) {
        verdict.detail += ", no peer server ran";
        return verdict;
    }
    verdict.evaluated = true;
    verdict.met = row->baseline.ratio >= 0.9 && row->bestPeer.ratio >= 1.0;
    verdict.detail += format(", %.2fx ", row->bestPeer.ratio) + row->bestPeer.name;
    return verdict;
}

}  // namespace

std::vector<TargetVerdict> evaluateTargets(const std::vector<BenchResult>& results) {
    return {maskingTarget(results),
            readTarget(results, "frame/read-masked/1 KiB"),
            readTarget(results, "message/read-masked/1 KiB"),
            acceptTarget(results),
            allocationTarget(results),
            endToEndTarget(results)};
}

}  // namespace framescope::bench
