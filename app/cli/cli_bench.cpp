// framescope-cli bench: runs the in-memory suites of bench/ and the end-to-end rows of app/load, and prints
// one table (or JSON). Allocations are counted by the malloc counter, preloaded: when it is not in this
// process yet, `bench` re-executes itself with LD_PRELOAD set (the product binary never links a counting
// allocator); `--no-alloc-count` or a missing library runs without counting (figures shown as "?").
#include <QCoreApplication>
#include <QFile>

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "framescope/bench/alloc_counter.h"
#include "framescope/bench/command.h"
#include "load/capture_comparison.h"
#include "load/echo_comparison.h"
#include "load/echo_peers.h"
#include "load/proxy_comparison.h"

namespace framescope::cli {

namespace {

constexpr const char* kReexecEnv = "FRAMESCOPE_BENCH_PRELOADED";

// Replaces this process with itself, the malloc counter preloaded. Returns only when that cannot be done.
void reexecWithMallocCounter() {
    const QString library = app::mallocCounterLibrary();
    if (library.isEmpty() || qEnvironmentVariableIsSet(kReexecEnv)) return;
    QByteArray preload = QFile::encodeName(library);
    const QByteArray existing = qgetenv("LD_PRELOAD");
    if (!existing.isEmpty()) preload += ":" + existing;
    qputenv("LD_PRELOAD", preload);
    qputenv(kReexecEnv, "1");
    const QStringList arguments = QCoreApplication::arguments();
    std::vector<QByteArray> storage;
    for (const QString& argument : arguments)
        storage.push_back(argument.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& argument : storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::cout.flush();
    ::execv("/proc/self/exe", argv.data());
    qunsetenv(kReexecEnv);  // exec failed: run here, without counting
}

int runBench(const QStringList& args) {
    if (args.contains("--version")) {
        std::cout << "framescope-cli " << FRAMESCOPE_VERSION << '\n';
        return 0;
    }
    std::vector<std::string> arguments;
    bool countAllocations = true;
    for (const QString& arg : args) {
        if (arg == "--no-alloc-count") {
            countAllocations = false;
        } else {
            arguments.push_back(arg.toStdString());
        }
    }
    if (countAllocations && !bench::allocCountingAvailable() && !args.contains("--help") &&
        !args.contains("-h"))
        reexecWithMallocCounter();
    return bench::runBenchCommand(arguments, std::cout, std::cerr,
                                  {bench::inMemoryRows(), app::endToEndRows(), app::captureRows(),
                                   app::proxyOverheadRows()});
}

const CommandRegistration registration("bench", "Run the benchmark suites and print the table", &runBench);

}  // namespace

}  // namespace framescope::cli
