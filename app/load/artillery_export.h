// A load run's parameters as an Artillery scenario (YAML, its `ws` engine), for spreading the same load
// over many machines (`artillery run`, `run-lambda`, `run-fargate`). The engine opens one connection per
// virtual user with the run's URL, headers, subprotocols, permessage-deflate and TLS setting; a small
// processor written beside the scenario (the same text for every export) keeps the run's messages in
// flight, or its rate, for its duration and times each echo. What Artillery cannot express is said in a
// comment in the scenario and in `warnings`, with the closest expression used instead.
#pragma once

#include <QString>
#include <QStringList>

#include "load/load_types.h"

namespace framescope::app {

struct ArtilleryExport {
    QString scenario;   // the YAML
    QString processor;  // the processor's JavaScript (CommonJS), referenced by the scenario
    QStringList warnings;
};

// `processorFileName` is the processor's file name as the scenario refers to it (beside the scenario).
ArtilleryExport artilleryExport(const LoadOptions& options, const QString& processorFileName);

// The processor's path for a scenario at `scenarioPath`: the same folder, <base>.processor.cjs.
QString artilleryProcessorPath(const QString& scenarioPath);

// Writes the scenario to `scenarioPath` and the processor beside it. False with one sentence in `error`.
bool writeArtilleryExport(const LoadOptions& options, const QString& scenarioPath, QStringList* warnings,
                          QString* error);

}  // namespace framescope::app
