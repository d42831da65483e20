// The proxy's overhead row: one server and one proxy process for the row, one load-runner window per
// side per round; the row's server CPU and malloc figures are the proxy process's.
#include "load/proxy_comparison.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QUrl>

#include <memory>
#include <regex>

#include "load/echo_peers.h"
#include "load/load_runner.h"
#include "load/server_process.h"

namespace framescope::app {

namespace {

constexpr size_t kSize = 1024;
constexpr int kInFlight = 64;
constexpr double kWarmUpSec = 0.1;
const char* const kRowName = "e2e/proxy/1 KiB x64";

struct Window {
    double messagesPerSec = 0;
    double cpuNsPerMessage = -1;  // of the proxy process, over the whole window (handshake included)
    double mallocsPerMessage = -1;
    double mallocBytesPerMessage = -1;
    double p50Us = 0;
    double p99Us = 0;
    uint64_t messages = 0;
    QString error;
};

Window runWindow(quint16 port, double seconds) {
    LoadOptions options;
    options.connection.url = QUrl(QString("ws://127.0.0.1:%1/").arg(port));
    options.connections = 1;
    options.threads = 1;
    options.messageSize = static_cast<int>(kSize);
    options.payload = PayloadKind::Binary;
    options.inFlight = kInFlight;
    options.durationSec = kWarmUpSec + seconds;
    options.rampUpSec = kWarmUpSec;  // the rate counts from here on
    options.sampleIntervalMs = 50;
    LoadRunner runner;
    QEventLoop loop;
    QObject::connect(&runner, &LoadRunner::finished, &loop, &QEventLoop::quit);
    Window window;
    if (!runner.start(options, &window.error)) return window;
    loop.exec();
    const LoadSummary& summary = runner.summary();
    if (summary.received == 0 || summary.messagesPerSec <= 0) {
        window.error = summary.errorSentences.value(0, "no echo came back in the measured window");
        return window;
    }
    window.messagesPerSec = summary.messagesPerSec;
    window.p50Us = summary.p50Us;
    window.p99Us = summary.p99Us;
    window.messages = summary.received;
    return window;
}

// The proxy's CPU time and malloc calls per message over a window through it.
Window runProxiedWindow(const ServerProcess& proxy, double seconds) {
    const int64_t cpuBefore = proxy.cpuNs();
    MallocTotals before, after;
    const bool counted = proxy.mallocTotals(before);
    Window window = runWindow(proxy.port(), seconds);
    if (!window.error.isEmpty() || window.messages == 0) return window;
    const auto messages = static_cast<double>(window.messages);
    const int64_t cpuAfter = proxy.cpuNs();
    if (cpuBefore >= 0 && cpuAfter >= 0)
        window.cpuNsPerMessage = static_cast<double>(cpuAfter - cpuBefore) / messages;
    if (counted && proxy.mallocTotals(after)) {
        window.mallocsPerMessage = static_cast<double>(after.calls - before.calls) / messages;
        window.mallocBytesPerMessage = static_cast<double>(after.bytes - before.bytes) / messages;
    }
    return window;
}

bench::Figures figuresOf(const std::vector<Window>& windows) {
    bench::Figures figures;
    std::vector<double> rates, p50, p99, cpu, mallocs, bytes;
    for (const Window& window : windows) {
        rates.push_back(window.messagesPerSec);
        if (window.cpuNsPerMessage >= 0) cpu.push_back(window.cpuNsPerMessage / 1e3);
        if (window.mallocsPerMessage >= 0) mallocs.push_back(window.mallocsPerMessage);
        if (window.mallocBytesPerMessage >= 0) bytes.push_back(window.mallocBytesPerMessage);
        figures.roundNs.push_back(1e9 / window.messagesPerSec);
        figures.iterations += window.messages / windows.size();
        p50.push_back(window.p50Us);
        p99.push_back(window.p99Us);
    }
    std::vector<double> sorted = figures.roundNs;
    figures.nsPerOp = bench::medianOf(sorted);
    figures.nsPerOpMin = sorted.front();
    figures.nsPerOpMax = sorted.back();
    figures.runs = static_cast<int>(windows.size());
    figures.messagesPerSec = bench::medianOf(rates);
    figures.mbPerSec = figures.messagesPerSec * static_cast<double>(kSize) / 1e6;
    figures.rttP50Us = bench::medianOf(p50);
    figures.rttP99Us = bench::medianOf(p99);
    if (cpu.size() == windows.size()) figures.serverCpuUsPerMessage = bench::medianOf(cpu);
    if (mallocs.size() == windows.size()) {
        figures.allocsPerOp = bench::medianOf(mallocs);
        figures.bytesPerOp = bench::medianOf(bytes);
    }
    return figures;
}

// Direct and proxied windows, interleaved; false with `error` set when a side could not run.
bool measure(const bench::SuiteOptions& options, std::vector<Window>& direct, std::vector<Window>& proxied,
             QString& error) {
    const QString cli = QCoreApplication::applicationFilePath();
    const auto server = ServerProcess::start(cli, {"serve", "--port", "0", "--no-deflate"}, {}, error);
    if (!server) return false;
    const QString upstream = QString("ws://127.0.0.1:%1/").arg(server->port());
    const auto proxy = ServerProcess::start(
        cli, {"proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "--no-deflate"},
        mallocCounterLibrary(), error);
    if (!proxy) return false;
    const double seconds = options.quick ? 0.3 : 1.0;
    const int rounds = options.quick ? 2 : 5;
    for (int round = -1; round < rounds; ++round) {  // round -1 warms both up
        const Window straight = runWindow(server->port(), round < 0 ? seconds / 2 : seconds);
        const Window through = runProxiedWindow(*proxy, round < 0 ? seconds / 2 : seconds);
        error = !straight.error.isEmpty()  ? "direct: " + straight.error
                : !through.error.isEmpty() ? "through the proxy: " + through.error
                                           : QString();
        if (!error.isEmpty()) return false;
        if (round < 0) continue;
        direct.push_back(straight);
        proxied.push_back(through);
    }
    return true;
}

const bench::RowContract kProxyContract = {
    "one connection with 64 binary messages of 1 KiB in flight, to framescope-cli proxy in front of "
    "framescope-cli serve (baseline: the same server directly)",
    "every message echoed back through both legs of the proxy in order",
    "every check of a real connection on each leg; no permessage-deflate on either; TCP_NODELAY on all",
    true};

void runRow(const bench::SuiteOptions& options, bench::BenchResult& result) {
    std::vector<Window> direct, proxied;
    QString error;
    if (!measure(options, direct, proxied, error)) {
        result.baseline = bench::missing("framescope-serve direct", error.toStdString());
        return;
    }
    result.figures = figuresOf(proxied);
    result.baseline = bench::comparison("framescope-serve direct", figuresOf(direct), result.figures);
}

}  // namespace

bench::RowSource proxyOverheadRows() {
    auto names = [] { return std::vector<std::string>{kRowName}; };
    auto runRows = [](const bench::SuiteOptions& options, bench::SuiteRun& run) {
        const std::regex filter(options.filter.empty() ? std::string(".") : options.filter);
        if (!std::regex_search(kRowName, filter)) return;
        if (options.cancel != nullptr && options.cancel->load()) {
            run.cancelled = true;
            return;
        }
        if (options.progress) options.progress(kRowName, 0, 1);
        bench::BenchResult result;
        result.suite = "e2e";
        result.caseName = "proxy";
        result.label = "1 KiB x64";
        result.size = kSize;
        result.inFlight = kInFlight;
        result.fullName = kRowName;
        result.contract = kProxyContract;
        runRow(options, result);
        run.results.push_back(std::move(result));
    };
    return {names, runRows};
}

}  // namespace framescope::app
