// `framescope-cli bench [--filter REGEX] [--json] [--quick] [--list] [--progress-json]`. Progress goes to
// stderr so that stdout holds only the table or the JSON.
#include <regex>

#include "framescope/bench/command.h"

namespace framescope::bench {
namespace {

constexpr const char* kUsage =
    "usage: framescope-cli bench [--filter REGEX] [--json] [--quick] [--list] [--progress-json]\n"
    "                           [--no-alloc-count]\n"
    "  --filter REGEX   run only the rows whose name (suite/case/size) matches REGEX\n"
    "  --json           print the results as JSON instead of the table\n"
    "  --quick          short runs (a smoke test; figures are noisier)\n"
    "  --list           print the row names and exit\n"
    "  --progress-json  progress on stderr as one JSON object a line: {\"row\":..,\"done\":..,\"total\":..}\n"
    "  --no-alloc-count do not preload the malloc counter (allocation figures shown as ?)\n";

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out + "\"";
}

// Runs every source in turn with one progress count over all of them.
SuiteRun runSources(const std::vector<RowSource>& sources, SuiteOptions options, bool progressJson,
                    std::ostream& err) {
    const std::regex filter(options.filter.empty() ? std::string(".") : options.filter);
    size_t total = 0;
    std::vector<size_t> counts;
    for (const RowSource& source : sources) {
        size_t count = 0;
        for (const std::string& name : source.names())
            count += std::regex_search(name, filter) ? 1 : 0;
        counts.push_back(count);
        total += count;
    }
    auto report = [&err, progressJson, total](const std::string& row, size_t done) {
        if (progressJson) {
            err << "{\"row\":" << jsonString(row) << ",\"done\":" << done << ",\"total\":" << total << "}"
                << std::endl;
        } else if (!row.empty()) {
            err << "[" << done + 1 << "/" << total << "] " << row << '\n';
        }
    };
    SuiteRun run;
    size_t offset = 0;
    for (size_t i = 0; i < sources.size() && !run.cancelled; ++i) {
        if (counts[i] == 0) continue;
        options.progress = [&report, offset](const std::string& row, size_t done, size_t) {
            if (!row.empty()) report(row, offset + done);
        };
        sources[i].run(options, run);
        offset += counts[i];
    }
    if (!run.cancelled) report({}, total);
    return run;
}

}  // namespace

int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                    const std::vector<RowSource>& sources) {
    SuiteOptions options;
    bool json = false;
    bool list = false;
    bool progressJson = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--progress-json") {
            progressJson = true;
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
        for (const RowSource& source : sources) {
            for (const std::string& name : source.names())
                out << name << '\n';
        }
        return 0;
    }
    const SuiteRun run = runSources(sources, options, progressJson, err);
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
