// A load run as JSON Lines, the format of `framescope-cli load --json`: {"type":"sample",...} per interval,
// then one {"type":"summary",...} with the histogram's bins. The CLI prints it; the load panel saves a run
// in it and reads back either, so a headless run and a window's run can be compared.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "load/load_types.h"

namespace framescope::app {

struct LoadRunRecord {
    QList<LoadSample> samples;
    LoadSummary summary;
};

QJsonObject loadSampleJson(const LoadSample& sample);
QJsonObject loadSummaryJson(const LoadSummary& summary);
QByteArray loadRunJsonLines(const LoadRunRecord& run);
// False with one sentence in `error` when `jsonLines` is not a load run (a summary line is required; the
// histogram is rebuilt from its bins: the bins that hold round trips come back, not the finer buckets, nor
// an empty bin at either end).
bool parseLoadRunJsonLines(const QByteArray& jsonLines, LoadRunRecord& run, QString& error);

}  // namespace framescope::app
