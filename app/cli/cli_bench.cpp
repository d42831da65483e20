// framescope-cli bench: runs the benchmark suites of bench/ and prints the table (or JSON).
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "framescope/bench/command.h"

namespace framescope::cli {

namespace {

int runBench(const QStringList& args) {
    if (args.contains("--version")) {
        std::cout << "framescope-cli " << FRAMESCOPE_VERSION << '\n';
        return 0;
    }
    std::vector<std::string> arguments;
    arguments.reserve(static_cast<size_t>(args.size()));
    for (const QString& arg : args)
        arguments.push_back(arg.toStdString());
    return framescope::bench::runBenchCommand(arguments, std::cout, std::cerr);
}

const CommandRegistration registration("bench", "Run the benchmark suites and print the table", &runBench);

}  // namespace

}  // namespace framescope::cli
