// The benchmark charts, rebuilt from a run's results: throughput (MB/s) against payload size on log axes,
// one series per operation with the memcpy and plain-TCP baselines dashed; and heap allocations per
// operation as bars beside the reference report's. Hovering a point or a bar shows its value.
// Legend names: e2e ×64 is the end-to-end echo with 64 messages in flight; memcpy and TCP echo (dashed)
// are the baselines measured in the same run.
#pragma once

#include <QString>
#include <QtCharts/QChart>

#include <vector>

#include "framescope/bench/result.h"

namespace framescope::ui {

// One line of the throughput chart: the rows of `suite`/`caseName` (and `inFlight` for e2e).
struct ThroughputOperation {
    const char* name;
    const char* suite;
    const char* caseName;
    int inFlight;
    unsigned color;  // 0xRRGGBB
};
const std::vector<ThroughputOperation>& throughputOperations();

void fillThroughputChart(QChart* chart, const std::vector<bench::BenchResult>& results);
void fillAllocationChart(QChart* chart, const std::vector<bench::BenchResult>& results, bool allocCounting);

}  // namespace framescope::ui
