// A finished load run on disk, as JSON: its summary (the histogram as the chart's bins) and its samples, the
// figures the load panel's charts and summary show, so that a later run can be compared with it. Written
// and read only here; a file without "format": "framescope-load-run" is refused.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "load/load_types.h"

namespace framescope::ui {

struct SavedLoadRun {
    QString target;  // the URL the run was against
    app::LoadSummary summary;
    QList<app::LoadSample> samples;
};

QByteArray loadRunJson(const SavedLoadRun& run);
// False with one sentence in `error` when `json` is not what loadRunJson wrote.
bool parseLoadRunJson(const QByteArray& json, SavedLoadRun& run, QString& error);

}  // namespace framescope::ui
