// The proxy's overhead row: one server and one proxy process for the row, one load-runner window per
// side per round; the row's server CPU and malloc figures are the proxy process's.
#include "load/proxy_comparison.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QUrl>

#include <memory>

#include "load/e2e_rows.h"
#include "load/echo_peers.h"
#include "load/load_runner.h"
#include "load/server_process.h"

namespace framescope::app {

namespace {

constexpr size_t kSize = 1024;
constexpr int kInFlight = 64;
constexpr double kWarmUpSec = 0.1;

E2eWindow runWindow(quint16 port, double seconds) {
    const LoadOptions options = e2eLoadOptions(port, kSize, kInFlight, kWarmUpSec, seconds);
    LoadRunner runner;
    QEventLoop loop;
    QObject::connect(&runner, &LoadRunner::finished, &loop, &QEventLoop::quit);
    E2eWindow window;
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
E2eWindow runProxiedWindow(const ServerProcess& proxy, double seconds) {
    const ServerProbe before = probeServer(proxy);
    E2eWindow window = runWindow(proxy.port(), seconds);
    if (window.error.isEmpty()) chargeServer(window, before, probeServer(proxy));
    return window;
}

// Direct and proxied windows, interleaved; false with `error` set when a side could not run.
bool measure(const bench::SuiteOptions& options, std::vector<E2eWindow>& direct,
             std::vector<E2eWindow>& proxied, QString& error) {
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
        const E2eWindow straight = runWindow(server->port(), round < 0 ? seconds / 2 : seconds);
        const E2eWindow through = runProxiedWindow(*proxy, round < 0 ? seconds / 2 : seconds);
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
    std::vector<E2eWindow> direct, proxied;
    QString error;
    if (!measure(options, direct, proxied, error)) {
        result.baseline = bench::missing("framescope-serve direct", error.toStdString());
        return;
    }
    result.figures = figuresOfWindows(proxied, kSize);
    result.baseline =
        bench::comparison("framescope-serve direct", figuresOfWindows(direct, kSize), result.figures);
}

}  // namespace

bench::RowSource proxyOverheadRows() {
    return e2eRowSource({{"proxy", "1 KiB x64", kSize, kInFlight, &kProxyContract}},
                        [](const bench::SuiteOptions& options) -> E2eRowRunner {
                            return [options](const E2eRowPlan&, bench::BenchResult& result) {
                                runRow(options, result);
                            };
                        });
}

}  // namespace framescope::app
