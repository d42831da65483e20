#include "load/e2e_rows.h"

#include <QUrl>

#include <memory>
#include <regex>

#include "framescope/bench/harness.h"

namespace framescope::app {

LoadOptions e2eLoadOptions(quint16 port, size_t size, int inFlight, double warmUpSec, double seconds) {
    LoadOptions options;
    options.connection.url = QUrl(QString("ws://127.0.0.1:%1/").arg(port));
    options.connections = 1;
    options.threads = 1;
    options.messageSize = static_cast<int>(size);
    options.payload = PayloadKind::Binary;
    options.inFlight = inFlight;
    options.durationSec = warmUpSec + seconds;
    options.rampUpSec = warmUpSec;  // the rate counts from here on
    options.sampleIntervalMs = 50;
    return options;
}

ServerProbe probeServer(const ServerProcess& server) {
    ServerProbe probe;
    probe.cpuNs = server.cpuNs();
    probe.counted = server.mallocTotals(probe.mallocs);
    return probe;
}

void chargeServer(E2eWindow& window, const ServerProbe& before, const ServerProbe& after) {
    if (window.messages == 0) return;
    const auto messages = static_cast<double>(window.messages);
    if (before.cpuNs >= 0 && after.cpuNs >= 0)
        window.cpuNsPerMessage = static_cast<double>(after.cpuNs - before.cpuNs) / messages;
    if (before.counted && after.counted) {
        window.mallocsPerMessage = static_cast<double>(after.mallocs.calls - before.mallocs.calls) / messages;
        window.mallocBytesPerMessage =
            static_cast<double>(after.mallocs.bytes - before.mallocs.bytes) / messages;
    }
}

void summarizeRounds(bench::Figures& figures) {
    if (figures.roundNs.empty()) return;
    std::vector<double> sorted = figures.roundNs;
    figures.nsPerOp = bench::medianOf(sorted);  // sorts
    figures.nsPerOpMin = sorted.front();
    figures.nsPerOpMax = sorted.back();
    figures.runs = static_cast<int>(figures.roundNs.size());
}

bench::Figures figuresOfWindows(const std::vector<E2eWindow>& windows, size_t size) {
    bench::Figures figures;
    if (windows.empty()) return figures;
    std::vector<double> rates, p50, p99, cpu, mallocs, bytes;
    for (const E2eWindow& window : windows) {
        rates.push_back(window.messagesPerSec);
        figures.roundNs.push_back(1e9 / window.messagesPerSec);
        figures.iterations += window.messages / windows.size();
        p50.push_back(window.p50Us);
        p99.push_back(window.p99Us);
        if (window.cpuNsPerMessage >= 0) cpu.push_back(window.cpuNsPerMessage / 1e3);
        if (window.mallocsPerMessage >= 0) mallocs.push_back(window.mallocsPerMessage);
        if (window.mallocBytesPerMessage >= 0) bytes.push_back(window.mallocBytesPerMessage);
    }
    summarizeRounds(figures);
    figures.messagesPerSec = bench::medianOf(rates);
    figures.mbPerSec = figures.messagesPerSec * static_cast<double>(size) / 1e6;
    figures.rttP50Us = bench::medianOf(p50);
    figures.rttP99Us = bench::medianOf(p99);
    if (cpu.size() == windows.size()) figures.serverCpuUsPerMessage = bench::medianOf(cpu);
    if (mallocs.size() == windows.size()) {
        figures.allocsPerOp = bench::medianOf(mallocs);
        figures.bytesPerOp = bench::medianOf(bytes);
    }
    return figures;
}

bench::RowSource e2eRowSource(std::vector<E2eRowPlan> plans,
                              std::function<E2eRowRunner(const bench::SuiteOptions&)> makeRunner) {
    auto shared = std::make_shared<const std::vector<E2eRowPlan>>(std::move(plans));
    auto names = [shared] {
        std::vector<std::string> out;
        for (const E2eRowPlan& plan : *shared)
            out.push_back(plan.fullName());
        return out;
    };
    auto runRows = [shared, makeRunner](const bench::SuiteOptions& options, bench::SuiteRun& run) {
        const std::regex filter(options.filter.empty() ? std::string(".") : options.filter);
        E2eRowRunner runner;
        size_t done = 0;
        for (const E2eRowPlan& plan : *shared) {
            const std::string name = plan.fullName();
            if (!std::regex_search(name, filter)) continue;
            if (options.cancel != nullptr && options.cancel->load()) {
                run.cancelled = true;
                return;
            }
            if (!runner) runner = makeRunner(options);
            if (options.progress) options.progress(name, done++, 0);
            bench::BenchResult result;
            result.suite = "e2e";
            result.caseName = plan.caseName;
            result.label = plan.label;
            result.size = plan.size;
            result.inFlight = plan.inFlight;
            result.fullName = name;
            if (plan.contract != nullptr) result.contract = *plan.contract;
            runner(plan, result);
            run.results.push_back(std::move(result));
        }
    };
    return {names, runRows};
}

}  // namespace framescope::app
