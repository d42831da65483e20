// The end-to-end comparison: servers started once per run and kept, one load-runner window per server per
// round, figures per window from the runner's samples after the warm-up.
#include "load/echo_comparison.h"

#include <QEventLoop>
#include <QUrl>

#include <algorithm>
#include <map>
#include <memory>

#include "load/e2e_rows.h"
#include "load/echo_peers.h"
#include "load/load_runner.h"
#include "load/server_process.h"

namespace framescope::app {

namespace {

constexpr size_t kSizes[] = {64, 1024, 16384, 65536, 1u << 20};
constexpr int kInFlight[] = {1, 64};
constexpr double kWarmUpSec = 0.1;  // at least; longer when many bytes are in flight
constexpr int kSampleMs = 50;
constexpr double kFillBytesPerSec = 100e6;  // a slow server's rate: the warm-up fills the pipeline at this

// The warm-up lasts until the first of the messages in flight can have come back from a slow server.
double warmUpFor(size_t size, int inFlight) {
    return std::max(kWarmUpSec, static_cast<double>(size) * inFlight / kFillBytesPerSec);
}

QString sizeLabel(size_t size) {
    if (size >= (1u << 20)) return QString("%1 MiB").arg(size >> 20);
    if (size >= 1024) return QString("%1 KiB").arg(size >> 10);
    return QString("%1 B").arg(size);
}

struct Probe {
    double timeSec = 0;
    uint64_t messages = 0;
    ServerProbe server;
};

// One window's steady part: from the first sample after the warm-up to the last one.
E2eWindow steadyWindow(const Probe& first, const Probe& last) {
    E2eWindow window;
    const double seconds = last.timeSec - first.timeSec;
    window.messages = last.messages - first.messages;
    if (seconds <= 0 || window.messages == 0) {
        window.error = "no echo came back in the measured window";
        return window;
    }
    window.messagesPerSec = static_cast<double>(window.messages) / seconds;
    chargeServer(window, first.server, last.server);
    return window;
}

E2eWindow errorWindow(const QString& error) {
    E2eWindow window;
    window.error = error;
    return window;
}

E2eWindow runWindow(const ServerProcess& server, bool websocket, size_t size, int inFlight, double seconds) {
    const double warmUp = warmUpFor(size, inFlight);
    LoadOptions options =
        e2eLoadOptions(server.port(), size, inFlight, warmUp, std::max(seconds, 2 * warmUp));
    options.sampleIntervalMs = kSampleMs;
    options.rawTcp = !websocket;
    LoadRunner runner;
    std::vector<Probe> probes;
    QObject::connect(&runner, &LoadRunner::sampled, &runner, [&](const LoadSample& sample) {
        if (sample.timeSec >= warmUp - 1e-3)
            probes.push_back({sample.timeSec, sample.messages, probeServer(server)});
    });
    QObject::connect(&runner, &LoadRunner::stopping, &runner,
                     [&] { QObject::disconnect(&runner, &LoadRunner::sampled, &runner, nullptr); });
    QEventLoop loop;
    QObject::connect(&runner, &LoadRunner::finished, &loop, &QEventLoop::quit);
    QString error;
    if (!runner.start(options, &error)) return errorWindow(error);
    loop.exec();
    const LoadSummary& summary = runner.summary();
    if (summary.errors > 0 && summary.received == 0)
        return errorWindow(summary.errorSentences.value(0, "the connection failed"));
    if (probes.size() < 2) return errorWindow("the window was too short to measure");
    E2eWindow window = steadyWindow(probes.front(), probes.back());
    window.p50Us = summary.p50Us;
    window.p99Us = summary.p99Us;
    return window;
}

// One server's windows for one row.
struct Series {
    EchoServerSpec spec;
    QString error;  // set when it could not run; it is then left out of later rounds
    std::vector<E2eWindow> windows;
};

// The servers of a run, started on first use and kept for every row.
class ServerPool {
public:
    ServerProcess* get(const EchoServerSpec& spec, QString& whyNot) {
        std::unique_ptr<ServerProcess>& server = servers_[spec.name];
        if (server && !server->running()) server.reset();
        if (!server)
            server = ServerProcess::start(spec.program, spec.arguments, mallocCounterLibrary(), whyNot);
        return server.get();
    }

private:
    std::map<QString, std::unique_ptr<ServerProcess>> servers_;
};

void runRound(ServerPool& pool, std::vector<Series>& series, size_t size, int inFlight, double seconds,
              bool keep) {
    for (Series& entry : series) {
        if (!entry.error.isEmpty()) continue;
        QString whyNot;
        ServerProcess* server = pool.get(entry.spec, whyNot);
        if (server == nullptr) {
            entry.error = whyNot;
            continue;
        }
        E2eWindow window = runWindow(*server, entry.spec.websocket, size, inFlight, seconds);
        // A loaded machine can leave a short window (a quick run's 1 MiB x64) without one echo: one longer
        // window before the server is given up for the row.
        if (!window.error.isEmpty())
            window = runWindow(*server, entry.spec.websocket, size, inFlight, 4 * seconds);
        if (!window.error.isEmpty()) {
            entry.error = window.error;
        } else if (keep) {
            entry.windows.push_back(window);
        }
    }
}

bench::Comparison comparisonOf(const Series& series, const bench::Figures& ours, size_t size) {
    const QString& why = series.spec.whyMissing.isEmpty() ? series.error : series.spec.whyMissing;
    if (!why.isEmpty() || series.windows.empty())
        return bench::missing(series.spec.name.toStdString(),
                              why.isEmpty() ? "no window ran" : why.toStdString());
    return bench::comparison(series.spec.name.toStdString(), figuresOfWindows(series.windows, size), ours);
}

void runRow(ServerPool& pool, const bench::SuiteOptions& options, size_t size, int inFlight,
            bench::BenchResult& result) {
    std::vector<Series> series;
    for (const EchoServerSpec& spec : echoServerSpecs())
        series.push_back({spec, spec.whyMissing, {}});
    const double seconds = options.quick ? 0.1 : 0.3;
    const int rounds = options.quick ? 2 : 5;
    runRound(pool, series, size, inFlight, seconds / 2, false);  // warm-up: starts every server
    for (int round = 0; round < rounds; ++round)
        runRound(pool, series, size, inFlight, seconds, true);
    const Series& ours = series[0];
    if (!ours.error.isEmpty() || ours.windows.empty()) {
        result.baseline =
            bench::missing(kTcpEchoName, "framescope-cli serve failed: " + ours.error.toStdString());
        return;
    }
    result.figures = figuresOfWindows(ours.windows, size);
    result.baseline = comparisonOf(series[1], result.figures, size);
    result.baseline.beatsLimit = result.baseline.available && result.baseline.ratio > 1.10;
    for (size_t i = 2; i < series.size(); ++i)
        result.peers.push_back(comparisonOf(series[i], result.figures, size));
}

const bench::RowContract kServeContract = {
    "one connection with N binary messages of the size in flight, each masked with a fresh key",
    "every message echoed back by the server in order",
    "every check of a real connection: the server's handshake, frame and message rules; TCP_NODELAY on all"};

std::vector<E2eRowPlan> allRows() {
    std::vector<E2eRowPlan> rows;
    for (const size_t size : kSizes) {
        for (const int inFlight : kInFlight) {
            const std::string label = QString("%1 x%2").arg(sizeLabel(size)).arg(inFlight).toStdString();
            rows.push_back({"serve", label, size, inFlight, &kServeContract});
        }
    }
    return rows;
}

}  // namespace

bench::RowSource endToEndRows() {
    return e2eRowSource(allRows(), [](const bench::SuiteOptions& options) -> E2eRowRunner {
        auto pool = std::make_shared<ServerPool>();  // servers kept across the rows of one run
        return [pool, options](const E2eRowPlan& plan, bench::BenchResult& result) {
            runRow(*pool, options, plan.size, plan.inFlight, result);
            bench::fillBestPeer(result);
        };
    });
}

}  // namespace framescope::app
