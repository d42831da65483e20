// End to end over loopback TCP, one connection per server, messages of 64 B to 1 MiB with 1 and 64 in
// flight. e2e/echo rows measure our codec as server and client over plain sockets (what the codec allows);
// e2e/serve rows measure `framescope-cli serve`, the Qt server users run. Beside each row: a plain TCP
// echo of the same payload bytes (the baseline) and every peer echo server, all driven by one load client.
#include <map>

#include "framescope/bench/alloc_counter.h"
#include "framescope/bench/loopback.h"
#include "framescope/bench/process_echo_server.h"
#include "suite_rows.h"

namespace framescope::bench {

namespace {
constexpr size_t kSizes[] = {64, 1024, 16384, 65536, 1u << 20};
constexpr int kInFlight[] = {1, 64};
constexpr const char* kOurs = "ours";
constexpr const char* kServe = "framescope-serve";
constexpr const char* kPlainTcp = "tcp echo";
}  // namespace

// The servers and the one connection to each, started on first use and kept for every row.
class LoopbackFixture {
public:
    struct Target {
        std::unique_ptr<EchoServer> server;
        std::unique_ptr<LoadClient> client;
        std::string whyNot;  // set when the server or the connection could not be had
    };

    // Null client with `whyNot` set when unavailable.
    Target& target(const std::string& name) {
        auto found = targets_.find(name);
        if (found != targets_.end()) return found->second;
        Target& target = targets_[name];
        start(name, target);
        return target;
    }

private:
    void start(const std::string& name, Target& target) {
        bool websocket = true;
        if (name == kOurs) {
            target.server = startOwnEchoServer(target.whyNot);
        } else if (name == kServe) {
#ifdef FRAMESCOPE_CLI_PATH
            target.server =
                startProcessEchoServer({FRAMESCOPE_CLI_PATH, "serve", "--port", "0"}, target.whyNot);
#else
            target.whyNot = "framescope-cli is not part of this build";
#endif
        } else if (name == kPlainTcp) {
            target.server = startPlainTcpEchoServer(target.whyNot);
            websocket = false;
        } else if (const EchoServerPeer* peer = peerRegistry().echoServer(name)) {
            target.server = peer->start(target.whyNot);
        } else {
            target.whyNot = "not built";
        }
        if (target.server)
            target.client = LoadClient::connect(target.server->port(), websocket, target.whyNot);
    }

    std::map<std::string, Target> targets_;
};

LoopbackFixture* newLoopbackFixture() {
    return new LoopbackFixture();
}
void destroyLoopbackFixture(LoopbackFixture* fixture) noexcept {
    delete fixture;
}

namespace {

// One server's measurements for one row: timed windows interleaved with the other servers' windows, so
// that a change of load on a shared machine hits every server alike.
struct Series {
    std::string name;
    LoopbackFixture::Target* target = nullptr;
    std::string error;  // set when a run failed; the series is then left out
    std::vector<double> rates;
    std::vector<double> rtts;
    uint64_t messages = 0;
    AllocSnapshot allocated;
};

void runWindow(Series& series, const BenchResult& result, double window, LoadRun& run, bool counted) {
    if (!series.error.empty()) return;
    const AllocSnapshot before = allocSnapshot();
    if (!series.target->client->run(result.size, result.inFlight, window, run, series.error)) {
        series.target->client.reset();  // the connection is gone; later rows say so
        series.target->whyNot = series.error;
        return;
    }
    if (!counted) return;
    const AllocSnapshot after = allocSnapshot();
    series.allocated.count += after.count - before.count;
    series.allocated.bytes += after.bytes - before.bytes;
    series.rates.push_back(static_cast<double>(run.messages) / run.seconds);
    series.rtts.insert(series.rtts.end(), run.rttNs.begin(), run.rttNs.end());
    series.messages += run.messages;
}

Figures figuresOf(Series& series, size_t size) {
    Figures figures;
    figures.messagesPerSec = medianOf(series.rates);
    figures.nsPerOp = 1e9 / figures.messagesPerSec;
    figures.nsPerOpMin = 1e9 / series.rates.back();
    figures.nsPerOpMax = 1e9 / series.rates.front();
    figures.mbPerSec = figures.messagesPerSec * static_cast<double>(size) / 1e6;
    figures.rttP50Us = percentileOf(series.rtts, 0.5) / 1e3;
    figures.rttP99Us = percentileOf(series.rtts, 0.99) / 1e3;
    figures.runs = static_cast<int>(series.rates.size());
    figures.iterations = series.messages / series.rates.size();
    if (allocCountingAvailable() && series.messages > 0) {
        figures.allocsPerOp =
            static_cast<double>(series.allocated.count) / static_cast<double>(series.messages);
        figures.bytesPerOp =
            static_cast<double>(series.allocated.bytes) / static_cast<double>(series.messages);
    }
    return figures;
}

Comparison comparisonOf(Series& series, const BenchResult& result) {
    if (series.target->client == nullptr && series.error.empty())
        return missing(series.name, series.target->whyNot);
    if (!series.error.empty() || series.rates.empty()) return missing(series.name, series.error);
    return comparison(series.name, figuresOf(series, result.size), result.figures);
}

// Measures the server `measured` against the plain TCP echo and every peer server.
void runEchoOf(RowContext& context, BenchResult& result, const char* measured) {
    std::vector<Series> series;
    std::vector<std::string> names = {measured, kPlainTcp};
    for (const ExpectedPeer& expected : expectedPeers()) {
        if (expected.echoServer) names.push_back(expected.name);
    }
    for (const std::string& name : names) {
        Series entry{name, &context.loopback->target(name)};
        if (entry.target->client == nullptr)
            entry.error = entry.target->whyNot.empty() ? "unavailable" : entry.target->whyNot;
        series.push_back(std::move(entry));
    }
    const double window = context.quick ? 0.01 : 0.12;
    const int runs = context.quick ? 2 : 5;
    LoadRun run;
    run.rttNs.reserve(1u << 20);
    const ClientCpuPin pin;
    for (Series& entry : series)
        runWindow(entry, result, window / 4, run, false);  // warm-up
    for (int i = 0; i < runs; ++i) {
        for (Series& entry : series)
            runWindow(entry, result, window, run, true);
    }
    const Comparison ours = comparisonOf(series[0], result);
    if (!ours.available) {
        result.baseline = missing(kPlainTcp, std::string(measured) + " failed: " + ours.note);
        return;
    }
    result.figures = ours.figures;
    result.baseline = comparisonOf(series[1], result);
    for (size_t i = 2; i < series.size(); ++i) {
        if (peerRegistry().echoServer(series[i].name) == nullptr) {
            for (const ExpectedPeer& expected : expectedPeers()) {
                if (expected.name == series[i].name)
                    result.peers.push_back(missing(expected.name, expected.howToGet));
            }
        } else {
            result.peers.push_back(comparisonOf(series[i], result));
        }
    }
}

void runEcho(RowContext& context, BenchResult& result) {
    runEchoOf(context, result, kOurs);
}

void runServe(RowContext& context, BenchResult& result) {
    runEchoOf(context, result, kServe);
}

}  // namespace

void addLoopbackRows(std::vector<RowSpec>& rows) {
    for (auto [caseName, run] : {std::pair{"echo", &runEcho}, std::pair{"serve", &runServe}}) {
        for (const size_t size : kSizes) {
            for (const int inFlight : kInFlight) {
                rows.push_back({"e2e", caseName, sizeLabel(size) + " x" + std::to_string(inFlight), size,
                                inFlight, run});
            }
        }
    }
}

}  // namespace framescope::bench
