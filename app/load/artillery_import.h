// Artillery's JSON report (`artillery run --output report.json`) of a scenario exported by FrameScope,
// read back as a load run's samples (one per Artillery period, 10 s) and summary, so that the CLI and the
// load panel show it as they show a local run. Counts are Artillery's: websocket.messages_sent and
// websocket.messages_received, framescope.bytes_received; the round trip is the processor's
// framescope.round_trip_us histogram (or, for other scenarios, the first *.response_time in ms).
// Artillery keeps percentiles, not buckets: the summary's histogram is rebuilt from them (min, p50, p75,
// p90, p95, p99, p999, max), so its bars are approximate while the percentiles are Artillery's own.
// The summary's msgs/s is over the whole run, ramp-up included (a local run's is after the ramp-up): the
// report has no finer time than its periods.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "load/load_types.h"

namespace framescope::app {

struct ImportedLoadRun {
    QList<LoadSample> samples;
    LoadSummary summary;
    QString latencyMetric;  // the report's metric the round trips came from
};

// False with one sentence in `error` when `json` is not an Artillery report.
bool importArtilleryReport(const QByteArray& json, ImportedLoadRun& run, QString& error);
bool importArtilleryReportFile(const QString& path, ImportedLoadRun& run, QString& error);

}  // namespace framescope::app
