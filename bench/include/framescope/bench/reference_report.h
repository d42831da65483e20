// The reference report's figures (shared/reference/go-websocket-benchmark-report.md) as data: what each of
// our rows must beat. These are reference data, not results of this machine.
#pragma once

#include <optional>
#include <string>

namespace framescope::bench {

struct ReferenceRow {
    const char* fullName;  // our row it maps to (suite/case/label)
    const char* section;   // where in the report
    double nsPerOp;
    double mbPerSec;  // 0 when the report gives none
    double bytesPerOp;
    double allocsPerOp;
};

std::optional<ReferenceRow> referenceRowFor(const std::string& fullName);

}  // namespace framescope::bench
