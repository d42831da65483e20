// The benchmark charts, rebuilt from a run's results: throughput (MB/s) against payload size on log axes,
// one series per operation with the memcpy and plain-TCP baselines dashed; and heap allocations per
// operation as bars beside the reference report's. Hovering a point or a bar shows its value.
// Legend names: e2e ×64 is the end-to-end echo with 64 messages in flight; memcpy and TCP echo (dashed)
// are the baselines measured in the same run. A saved run (may be null) adds its operations beside the
// current ones, same colour and dashed, as "NAME (saved: FILE)", and its allocation bars hatched.
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

// The saved run drawn beside the current one; `name` is its file name.
struct SavedSeries {
    const std::vector<bench::BenchResult>* results = nullptr;
    QString name;
};
QString savedSeriesName(const QString& series, const QString& savedName);

void fillThroughputChart(QChart* chart, const std::vector<bench::BenchResult>& results,
                         const SavedSeries& saved = {});
void fillAllocationChart(QChart* chart, const std::vector<bench::BenchResult>& results, bool allocCounting,
                         const SavedSeries& saved = {});

}  // namespace framescope::ui
