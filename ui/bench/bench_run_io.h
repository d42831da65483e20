// A benchmark run on disk: JSON in the CLI's `bench --json` format (so a run saved by the window and a
// run printed by framescope-cli can be compared either way) and CSV for spreadsheets.
#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

#include "framescope/bench/suites.h"

namespace framescope::ui {

QByteArray benchRunJson(const bench::SuiteRun& run);
// Reads what benchRunJson or `framescope-cli bench --json` wrote. False with one sentence on a bad file.
bool parseBenchRunJson(const QByteArray& json, bench::SuiteRun& run, QString& error);

// One header line, then one line per result. `saved` (may be null) adds the saved run's ns/op and our
// speed ratio to it, matched by row name.
QByteArray benchRunCsv(const std::vector<bench::BenchResult>& results,
                       const std::vector<bench::BenchResult>* saved = nullptr);

// The saved run's row with the same full name, or null.
const bench::BenchResult* findRow(const std::vector<bench::BenchResult>& rows, const std::string& fullName);

}  // namespace framescope::ui
