// `framescope-cli bench [--filter REGEX] [--json] [--quick] [--list]`. Progress goes to stderr so that
// stdout holds only the table or the JSON.
#include <regex>

#include "framescope/bench/command.h"

namespace framescope::bench {
namespace {

constexpr const char* kUsage =
    "usage: framescope-cli bench [--filter REGEX] [--json] [--quick] [--list]\n"
    "  --filter REGEX  run only the rows whose name (suite/case/size) matches REGEX\n"
    "  --json          print the results as JSON instead of the table\n"
    "  --quick         short runs (a smoke test; figures are noisier)\n"
    "  --list          print the row names and exit\n";

}  // namespace

int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    SuiteOptions options;
    bool json = false;
    bool list = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--quick") {
            options.quick = true;
        } else if (args[i] == "--list") {
            list = true;
        } else if (args[i] == "--filter" && i + 1 < args.size()) {
            options.filter = args[++i];
        } else if (args[i] == "--help" || args[i] == "-h") {
            out << kUsage;
            return 0;
        } else {
            err << "bench: unknown argument '" << args[i] << "'\n" << kUsage;
            return 2;
        }
    }
    try {
        const std::regex check(options.filter.empty() ? std::string(".") : options.filter);
    } catch (const std::regex_error&) {
        err << "bench: --filter is not a valid regular expression: " << options.filter << '\n';
        return 2;
    }
    if (list) {
        for (const std::string& name : allRowNames())
            out << name << '\n';
        return 0;
    }
    options.progress = [&err](const std::string& row, size_t done, size_t total) {
        if (!row.empty()) err << "[" << done + 1 << "/" << total << "] " << row << '\n';
    };
    const SuiteRun run = runSuites(options);
    if (run.results.empty()) {
        err << "bench: no row matches --filter " << options.filter << '\n';
        return 2;
    }
    const std::vector<TargetVerdict> targets = evaluateTargets(run.results);
    if (json) {
        printJson(run, targets, out);
    } else {
        printTable(run, targets, out);
    }
    return 0;
}

}  // namespace framescope::bench
