// The reference report's figures (shared/reference/go-websocket-benchmark-report.md) as data. They come
// from another machine (an i7-1165G7, Go) and partly from other work than our rows do, so they are printed
// in a section of their own, each with the work it measured, and never divided by a figure of ours.
#pragma once

#include <optional>
#include <string>

namespace framescope::bench {

struct ReferenceRow {
    const char* fullName;  // our row it maps to (suite/case/label)
    const char* section;   // where in the report
    const char* work;      // what the report's benchmark did, as far as the report says
    double nsPerOp;
    double mbPerSec;  // 0 when the report gives none
    double bytesPerOp;
    double allocsPerOp;
};

std::optional<ReferenceRow> referenceRowFor(const std::string& fullName);
const char* referenceMachine();  // the report's test environment, in its own words

}  // namespace framescope::bench
