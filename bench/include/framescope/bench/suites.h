// The benchmark suites as a library: run every row (or those matching a filter) with a progress callback
// and cancellation, and get plain result structs back. No Qt; loopback rows use POSIX sockets and threads.
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
    bool allocCounting = false;  // allocation figures are real (the counter is linked in)
    std::string maskImpl;        // the masking implementation in use
};

// Every row name, in the order run() produces them.
std::vector<std::string> allRowNames();

SuiteRun runSuites(const SuiteOptions& options);

// One verdict per target of the bench issue, computed from a run's results.
struct TargetVerdict {
    std::string target;      // the target in words
    bool evaluated = false;  // false when the rows it needs were filtered out or a peer is missing
    bool met = false;
    std::string detail;  // the figures behind it
};
std::vector<TargetVerdict> evaluateTargets(const std::vector<BenchResult>& results);

}  // namespace framescope::bench
