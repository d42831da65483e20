// framescope-cli: a minimal dispatcher until the app issue's CLI lands (serve and connect are not yet
// implemented here). `framescope-cli bench ...` runs the benchmark suites.
#include <iostream>
#include <string>
#include <vector>

#include "framescope/bench/command.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + (argc > 1 ? 2 : argc), argv + argc);
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "bench") return framescope::bench::runBenchCommand(args, std::cout, std::cerr);
    std::cerr << "framescope-cli: "
              << (command.empty() ? "usage: framescope-cli bench|serve|connect ..."
                                  : "'" + command + "' is not yet implemented")
              << '\n';
    return 2;
}
