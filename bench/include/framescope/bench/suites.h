// The in-memory benchmark suites as a library: run every row (or those matching a filter) with a progress
// callback and cancellation, and get plain result structs back. No Qt, no sockets: the end-to-end rows are
// app/load's (the same result structs, merged into one run by `framescope-cli bench`).
#pragma once

#include <atomic>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "framescope/bench/harness.h"
#include "framescope/bench/result.h"

namespace framescope::bench {

struct SuiteOptions {
    bool quick = false;                         // shorter runs (seconds in all, for tests and smoke checks)
    std::string filter;                         // ECMAScript regex searched in suite/case/label; empty = all
    const std::atomic<bool>* cancel = nullptr;  // set to true to stop after the current measurement
    // Called before each row with its name, the rows done and the rows in all.
    std::function<void(const std::string& row, size_t done, size_t total)> progress;
};

struct SuiteRun {
    std::vector<BenchResult> results;
    bool cancelled = false;
    bool allocCounting = false;  // allocation figures are real (the malloc counter is preloaded)
    std::string maskImpl;        // the masking implementation in use
};

// Every in-memory row name, in the order runSuites() produces them.
std::vector<std::string> allRowNames();

SuiteRun runSuites(const SuiteOptions& options);

// A source of rows for `framescope-cli bench`: the in-memory suites, and app/load's end-to-end rows.
struct RowSource {
    std::function<std::vector<std::string>()> names;  // every row it has, in run order
    // Runs the rows matching options.filter and appends them to `run` (sets run.cancelled when cancelled).
    std::function<void(const SuiteOptions& options, SuiteRun& run)> run;
};
RowSource inMemoryRows();

// Our speed relative to `other`: the median over paired rounds of other/ours ns per op (or of the medians
// when the rounds were not paired), with the spread of the per-round ratios.
Comparison comparison(const std::string& name, const Figures& other, const Figures& ours);
Comparison missing(const std::string& name, const std::string& note);

// The seed report's figure for a row (another machine: never a ratio), and the fastest available peer.
void fillReference(BenchResult& result);
void fillBestPeer(BenchResult& result);

// One verdict per target of the bench issue, computed from a run's results.
struct TargetVerdict {
    std::string target;      // the target in words
    bool evaluated = false;  // false when the rows it needs were filtered out or a peer is missing
    bool met = false;
    bool unstable = false;  // a ratio it needs cannot decide (targets.cpp says when): not judged
    bool missed = false;    // a ratio it needs is below its bound and decides: MISSED, whatever the others
    std::string detail;     // the figures behind it, with their spread
};
std::vector<TargetVerdict> evaluateTargets(const std::vector<BenchResult>& results);

}  // namespace framescope::bench
