// `framescope-cli bench [--filter REGEX] [--json] [--quick]`: runs the suites and prints the table (or JSON).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "framescope/bench/suites.h"

namespace framescope::bench {

// `args` are the arguments after "bench"; the rows come from `sources`, in order. Returns the exit code.
int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                    const std::vector<RowSource>& sources);

void printTable(const SuiteRun& run, const std::vector<TargetVerdict>& targets, std::ostream& out);
void printJson(const SuiteRun& run, const std::vector<TargetVerdict>& targets, std::ostream& out);

}  // namespace framescope::bench
