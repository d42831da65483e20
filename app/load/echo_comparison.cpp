// The end-to-end comparison: servers started once per run and kept, one load-runner window per server per
// round, figures per window from the runner's samples after the warm-up.
#include "load/echo_comparison.h"

#include <QEventLoop>
#include <QUrl>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>

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

std::string rowName(size_t size, int inFlight) {
    return QString("e2e/serve/%1 x%2").arg(sizeLabel(size)).arg(inFlight).toStdString();
}

// One window's steady part: from the first sample after the warm-up to the last one.
struct Window {
    double messagesPerSec = 0;
    double cpuNsPerMessage = -1;
    double mallocsPerMessage = -1;
    double bytesPerMessage = -1;
    double p50Us = 0;
    double p99Us = 0;
    uint64_t messages = 0;
    QString error;
};

struct Probe {
    double timeSec = 0;
    uint64_t messages = 0;
    int64_t cpuNs = -1;
    bool counted = false;
    MallocTotals mallocs;
};

Probe probe(const ServerProcess& server, double timeSec, uint64_t messages) {
    Probe p{timeSec, messages, server.cpuNs(), false, {}};
    p.counted = server.mallocTotals(p.mallocs);
    return p;
}

Window steadyWindow(const Probe& first, const Probe& last) {
    Window window;
    const double seconds = last.timeSec - first.timeSec;
    window.messages = last.messages - first.messages;
    if (seconds <= 0 || window.messages == 0) {
        window.error = "no echo came back in the measured window";
        return window;
    }
    const auto messages = static_cast<double>(window.messages);
    window.messagesPerSec = messages / seconds;
    if (first.cpuNs >= 0 && last.cpuNs >= 0)
        window.cpuNsPerMessage = static_cast<double>(last.cpuNs - first.cpuNs) / messages;
    if (first.counted && last.counted) {
        window.mallocsPerMessage = static_cast<double>(last.mallocs.calls - first.mallocs.calls) / messages;
        window.bytesPerMessage = static_cast<double>(last.mallocs.bytes - first.mallocs.bytes) / messages;
    }
    return window;
}

Window runWindow(const ServerProcess& server, bool websocket, size_t size, int inFlight, double seconds) {
    LoadOptions options;
    options.connection.url = QUrl(QString("ws://127.0.0.1:%1/").arg(server.port()));
    options.connections = 1;
    options.threads = 1;
    options.messageSize = static_cast<int>(size);
    options.payload = PayloadKind::Binary;
    options.inFlight = inFlight;
    const double warmUp = warmUpFor(size, inFlight);
    seconds = std::max(seconds, 2 * warmUp);
    options.durationSec = warmUp + seconds;
    options.rampUpSec = warmUp;
    options.sampleIntervalMs = kSampleMs;
    options.rawTcp = !websocket;
    LoadRunner runner;
    std::vector<Probe> probes;
    QObject::connect(&runner, &LoadRunner::sampled, &runner, [&](const LoadSample& sample) {
        if (sample.timeSec >= warmUp - 1e-3) probes.push_back(probe(server, sample.timeSec, sample.messages));
    });
    QObject::connect(&runner, &LoadRunner::stopping, &runner,
                     [&] { QObject::disconnect(&runner, &LoadRunner::sampled, &runner, nullptr); });
    QEventLoop loop;
    QObject::connect(&runner, &LoadRunner::finished, &loop, &QEventLoop::quit);
    QString error;
    if (!runner.start(options, &error)) return Window{0, -1, -1, -1, 0, 0, 0, error};
    loop.exec();
    const LoadSummary& summary = runner.summary();
    if (summary.errors > 0 && summary.received == 0)
        return Window{0, -1, -1, -1, 0, 0, 0, summary.errorSentences.value(0, "the connection failed")};
    if (probes.size() < 2) return Window{0, -1, -1, -1, 0, 0, 0, "the window was too short to measure"};
    Window window = steadyWindow(probes.front(), probes.back());
    window.p50Us = summary.p50Us;
    window.p99Us = summary.p99Us;
    return window;
}

// One server's windows for one row.
struct Series {
    EchoServerSpec spec;
    QString error;  // set when it could not run; it is then left out of later rounds
    std::vector<Window> windows;
};

double median(std::vector<double> values) {
    return bench::medianOf(values);
}

bench::Figures figuresOf(const Series& series, size_t size) {
    bench::Figures figures;
    std::vector<double> rates, cpu, mallocs, bytes, p50, p99;
    for (const Window& window : series.windows) {
        rates.push_back(window.messagesPerSec);
        figures.roundNs.push_back(1e9 / window.messagesPerSec);
        figures.iterations += window.messages;
        if (window.cpuNsPerMessage >= 0) cpu.push_back(window.cpuNsPerMessage / 1e3);
        if (window.mallocsPerMessage >= 0) mallocs.push_back(window.mallocsPerMessage);
        if (window.bytesPerMessage >= 0) bytes.push_back(window.bytesPerMessage);
        p50.push_back(window.p50Us);
        p99.push_back(window.p99Us);
    }
    std::vector<double> sorted = figures.roundNs;
    figures.nsPerOp = bench::medianOf(sorted);
    figures.nsPerOpMin = sorted.front();
    figures.nsPerOpMax = sorted.back();
    figures.runs = static_cast<int>(series.windows.size());
    figures.iterations /= series.windows.size();
    figures.messagesPerSec = median(rates);
    figures.mbPerSec = figures.messagesPerSec * static_cast<double>(size) / 1e6;
    figures.rttP50Us = median(p50);
    figures.rttP99Us = median(p99);
    if (cpu.size() == series.windows.size()) figures.serverCpuUsPerMessage = median(cpu);
    if (mallocs.size() == series.windows.size()) {
        figures.allocsPerOp = median(mallocs);
        figures.bytesPerOp = median(bytes);
    }
    return figures;
}

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
        Window window = runWindow(*server, entry.spec.websocket, size, inFlight, seconds);
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
    return bench::comparison(series.spec.name.toStdString(), figuresOf(series, size), ours);
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
    result.figures = figuresOf(ours, size);
    result.baseline = comparisonOf(series[1], result.figures, size);
    result.baseline.beatsLimit = result.baseline.available && result.baseline.ratio > 1.10;
    for (size_t i = 2; i < series.size(); ++i)
        result.peers.push_back(comparisonOf(series[i], result.figures, size));
}

const bench::RowContract kServeContract = {
    "one connection with N binary messages of the size in flight, each masked with a fresh key",
    "every message echoed back by the server in order",
    "every check of a real connection: the server's handshake, frame and message rules; TCP_NODELAY on all"};

std::vector<std::pair<size_t, int>> allRows() {
    std::vector<std::pair<size_t, int>> rows;
    for (const size_t size : kSizes) {
        for (const int inFlight : kInFlight)
            rows.emplace_back(size, inFlight);
    }
    return rows;
}

}  // namespace

bench::RowSource endToEndRows() {
    auto names = [] {
        std::vector<std::string> out;
        for (const auto& [size, inFlight] : allRows())
            out.push_back(rowName(size, inFlight));
        return out;
    };
    auto runRows = [](const bench::SuiteOptions& options, bench::SuiteRun& run) {
        const std::regex filter(options.filter.empty() ? std::string(".") : options.filter);
        ServerPool pool;
        size_t done = 0;
        for (const auto& [size, inFlight] : allRows()) {
            const std::string name = rowName(size, inFlight);
            if (!std::regex_search(name, filter)) continue;
            if (options.cancel != nullptr && options.cancel->load()) {
                run.cancelled = true;
                return;
            }
            if (options.progress) options.progress(name, done++, 0);
            bench::BenchResult result;
            result.suite = "e2e";
            result.caseName = "serve";
            result.label = name.substr(std::string("e2e/serve/").size());
            result.size = size;
            result.inFlight = inFlight;
            result.fullName = name;
            result.contract = kServeContract;
            runRow(pool, options, size, inFlight, result);
            bench::fillBestPeer(result);
            run.results.push_back(std::move(result));
        }
    };
    return {names, runRows};
}

}  // namespace framescope::app
