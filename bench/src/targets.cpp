// The targets of the bench issues, judged from a run's results. A target whose rows were filtered out, or
// whose peer is missing, is "not evaluated"; one that needs a ratio that cannot decide (see judge()) is
// "unstable" rather than met, unless another ratio missed it for certain.
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

std::string ratioText(const Comparison& c) {
    char text[160];
    std::snprintf(text, sizeof text, "%.2fx %s (%.2f-%.2f)", c.ratio, c.name.c_str(), c.ratioMin, c.ratioMax);
    return text;
}

// Adds one ratio to a verdict that needs `ratio >= bound` for every ratio it is given. Noise cannot turn a
// ratio whose rounds all fell on one side of the bound, so such a ratio decides however wide its spread;
// one whose rounds fell on both sides decides by its median only while its spread is within
// kUnstableSpread. A measuring error (faster than a physical limit) decides nothing.
void judge(TargetVerdict& verdict, const std::string& what, const Comparison& c, double bound) {
    if (!c.available) {
        verdict.detail += (verdict.detail.empty() ? "" : "; ") + what + ": " + c.name + " n/a";
        verdict.evaluated = false;
        return;
    }
    const bool paired = c.ratioMax > 0;
    const bool oneSide = paired && (c.ratioMin >= bound || c.ratioMax < bound);
    const bool decides = !c.beatsLimit && (oneSide || !c.unstable);
    verdict.unstable = verdict.unstable || !decides;
    verdict.met = verdict.met && c.ratio >= bound;
    verdict.missed = verdict.missed || (decides && c.ratio < bound);
    verdict.detail += (verdict.detail.empty() ? "" : "; ") + what + " " + ratioText(c) +
                      (c.unstable ? " UNSTABLE" : "") + (c.beatsLimit ? " FASTER THAN ITS LIMIT" : "");
}

TargetVerdict maskingTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"mask/in-place >= 0.9x the ideal in-place XOR at every size from 64 B to 1 MiB"};
    verdict.met = verdict.evaluated = true;
    int rows = 0;
    for (const char* label : {"64 B", "256 B", "1 KiB", "4 KiB", "16 KiB", "64 KiB", "1 MiB"}) {
        const BenchResult* row = find(results, std::string("mask/in-place/") + label);
        if (row == nullptr) continue;
        ++rows;
        judge(verdict, label, row->baseline, 0.9);
    }
    verdict.evaluated = verdict.evaluated && rows > 0;
    return verdict;
}

TargetVerdict readTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"message/read-masked/1 KiB >= 0.5x memcpy of 1 KiB"};
    const BenchResult* row = find(results, "message/read-masked/1 KiB");
    if (row == nullptr) return verdict;
    verdict.met = verdict.evaluated = true;
    judge(verdict, "read", row->baseline, 0.5);
    if (!row->bestPeer.name.empty()) verdict.detail += "; fastest peer: " + ratioText(row->bestPeer);
    return verdict;
}

TargetVerdict acceptTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"accept key <= 2x the time of one SHA-1 of 60 bytes"};
    const BenchResult* row = find(results, "handshake/accept-key/60 B");
    if (row == nullptr) return verdict;
    verdict.met = verdict.evaluated = true;
    judge(verdict, "accept key", row->baseline, 0.5);
    return verdict;
}

TargetVerdict allocationTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"0 malloc calls per op on every message and frame read and write row"};
    verdict.met = true;
    int rows = 0;
    for (const BenchResult& row : results) {
        const bool readOrWrite =
            (row.suite == "message" || row.suite == "frame") && row.caseName != "roundtrip";
        if (!readOrWrite || row.figures.allocsPerOp < 0) continue;
        verdict.evaluated = true;
        ++rows;
        if (row.figures.allocsPerOp > 0) {
            verdict.met = false;
            char text[64];
            std::snprintf(text, sizeof text, " %.2g allocs/op; ", row.figures.allocsPerOp);
            verdict.detail += row.fullName + text;
        }
    }
    if (verdict.met && verdict.evaluated) verdict.detail = std::to_string(rows) + " rows at 0";
    return verdict;
}

// `framescope-cli serve` against plain TCP echo (the limit) and against every peer server.
TargetVerdict serveTarget(const std::vector<BenchResult>& results, const std::string& label) {
    const bool single = label.ends_with(" x1");
    TargetVerdict verdict{"e2e/serve/" + label +
                          (single ? ": round trip within 1.2x of plain TCP echo"
                                  : ": >= 0.9x plain TCP echo and ahead of every peer server")};
    const BenchResult* row = find(results, "e2e/serve/" + label);
    if (row == nullptr) return verdict;
    verdict.met = verdict.evaluated = true;
    judge(verdict, "serve", row->baseline, single ? 1 / 1.2 : 0.9);
    if (single) return verdict;
    for (const Comparison& peer : row->peers)
        judge(verdict, "vs", peer, 1.0);
    return verdict;
}

// The capture keeps up: a connection carrying 1,000,000 frames/s is slowed by at most 10 % by storing them.
TargetVerdict captureTarget(const std::vector<BenchResult>& results) {
    TargetVerdict verdict{"e2e/capture/16 B frames at 1M/s: >= 0.9x the same connection without capture"};
    const BenchResult* row = find(results, "e2e/capture/16 B frames at 1M/s");
    if (row == nullptr) return verdict;
    verdict.met = verdict.evaluated = true;
    judge(verdict, "capture", row->baseline, 0.9);
    const BenchResult* flood = find(results, "e2e/capture/16 B frames");
    if (flood == nullptr || !flood->baseline.available) return verdict;
    char text[160];
    std::snprintf(text, sizeof text,
                  "; unpaced, the capture takes %.2f M frames/s (%.2f-%.2f), %.2fx no capture",
                  flood->figures.messagesPerSec / 1e6, 1e3 / flood->figures.nsPerOpMax,
                  1e3 / flood->figures.nsPerOpMin, flood->baseline.ratio);
    verdict.detail += text;
    return verdict;
}

}  // namespace

std::vector<TargetVerdict> evaluateTargets(const std::vector<BenchResult>& results) {
    std::vector<TargetVerdict> verdicts = {maskingTarget(results), readTarget(results), acceptTarget(results),
                                           allocationTarget(results)};
    for (const char* label : {"64 B x64", "1 KiB x64", "64 KiB x64", "64 B x1", "1 KiB x1"})
        verdicts.push_back(serveTarget(results, label));
    verdicts.push_back(captureTarget(results));
    for (TargetVerdict& verdict : verdicts) {
        if (verdict.missed) verdict.unstable = false;  // one ratio decided it, whatever the others say
    }
    return verdicts;
}

}  // namespace framescope::bench
