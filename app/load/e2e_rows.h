// What the end-to-end rows of `framescope-cli bench` share (echo_comparison, proxy_comparison,
// capture_comparison): one load-runner window's figures, the median figures of a row's windows, and the
// loop that filters, cancels, reports progress and fills each row's name fields.
#pragma once

#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "framescope/bench/suites.h"
#include "load/load_runner.h"
#include "load/server_process.h"

namespace framescope::app {

// One measured window of a server (or proxy) driven by the load runner.
struct E2eWindow {
    double messagesPerSec = 0;
    double cpuNsPerMessage = -1;  // of the server process; -1 when not measured
    double mallocsPerMessage = -1;
    double mallocBytesPerMessage = -1;
    double p50Us = 0;
    double p99Us = 0;
    uint64_t messages = 0;
    QString error;
};

// The load runner's options for one window: one connection on one thread to ws://127.0.0.1:PORT/,
// binary messages of `size` bytes, `inFlight` of them outstanding, rates counted after `warmUpSec`.
LoadOptions e2eLoadOptions(quint16 port, size_t size, int inFlight, double warmUpSec, double seconds);

// A server process's CPU time and malloc totals at one moment.
struct ServerProbe {
    int64_t cpuNs = -1;
    bool counted = false;
    MallocTotals mallocs;
};
ServerProbe probeServer(const ServerProcess& server);
// Sets `window`'s CPU and malloc figures per message from the probes before and after its messages.
void chargeServer(E2eWindow& window, const ServerProbe& before, const ServerProbe& after);

// The median figures of `windows` (each ran messages of `size` bytes). The server's CPU and malloc
// figures appear only when every window has them.
bench::Figures figuresOfWindows(const std::vector<E2eWindow>& windows, size_t size);
// Sets the median, fastest and slowest of figures.roundNs, and the number of runs.
void summarizeRounds(bench::Figures& figures);

// One row an end-to-end source can run.
struct E2eRowPlan {
    std::string caseName;  // "serve", "proxy", "capture"
    std::string label;     // "1 KiB x64"
    size_t size = 0;
    int inFlight = 0;
    const bench::RowContract* contract = nullptr;
    std::string fullName() const { return "e2e/" + caseName + "/" + label; }
};
// Measures one row into `result` (its name fields are already set).
using E2eRowRunner = std::function<void(const E2eRowPlan& plan, bench::BenchResult& result)>;

// A RowSource over `plans`: for each plan matching the filter, in order, until cancelled. `makeRunner` is
// called once per run with its options (so that servers can be kept across the rows of one run).
bench::RowSource e2eRowSource(std::vector<E2eRowPlan> plans,
                              std::function<E2eRowRunner(const bench::SuiteOptions&)> makeRunner);

}  // namespace framescope::app
