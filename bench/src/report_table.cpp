// The human-readable table: in-memory rows, then end-to-end rows, then the peers' availability and the
// targets. Every ratio is "ours is N times as fast as that" (> 1 is faster), from the median ns/op.
#include <cstdio>
#include <map>

#include "framescope/bench/command.h"
#include "framescope/bench/reference_report.h"

namespace framescope::bench {
namespace {

std::string printf1(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string nanos(double ns) {
    if (ns >= 1e6) return printf1("%.2f ms", ns / 1e6);
    if (ns >= 1e4) return printf1("%.1f us", ns / 1e3);
    if (ns >= 100) return printf1("%.0f ns", ns);
    return printf1("%.1f ns", ns);
}

std::string allocs(const Figures& figures) {
    const double a = figures.allocsPerOp;
    if (a < 0) return "?";
    if (a == 0 || a >= 10) return printf1("%.0f", a);
    return printf1(a < 0.01 ? "%.1g" : "%.2f", a);  // a rare allocation shows as e.g. 7e-06, not 0.00
}

std::string bytes(const Figures& figures) {
    return figures.bytesPerOp < 0 ? "?" : printf1("%.0f", figures.bytesPerOp);
}

std::string ratioCell(const Comparison& comparison) {
    if (comparison.name.empty()) return "-";
    if (!comparison.available) return comparison.name + " n/a";
    std::string cell = printf1("%.2fx", comparison.ratio);
    if (comparison.ratioMax > 0)
        cell += printf1(" [%.2f-", comparison.ratioMin) + printf1("%.2f]", comparison.ratioMax);
    cell += " " + comparison.name;
    if (comparison.unstable) cell += " UNSTABLE";
    if (comparison.beatsLimit) cell += " FASTER THAN ITS LIMIT: MEASURING ERROR";
    return cell;
}

std::string peerCell(const BenchResult& r) {
    if (r.contract.oursOnly) return "ours only";
    return ratioCell(r.bestPeer);
}

void printRow(std::ostream& out, const char* pattern, const std::vector<std::string>& cells) {
    std::string padded[9];
    for (size_t i = 0; i < 9 && i < cells.size(); ++i)
        padded[i] = cells[i];
    char line[768];
    std::snprintf(line, sizeof line, pattern, padded[0].c_str(), padded[1].c_str(), padded[2].c_str(),
                  padded[3].c_str(), padded[4].c_str(), padded[5].c_str(), padded[6].c_str(),
                  padded[7].c_str(), padded[8].c_str());
    out << line << '\n';
}

constexpr const char* kMemoryPattern = "%-34s %9s %-20s %7s %6s %6s  %-44s %s%s";
constexpr const char* kLoopPattern = "%-19s %8s %8s %8s %8s %9s %7s  %-40s %s";

void printMoreBaselines(std::ostream& out, const BenchResult& r) {
    for (const Comparison& other : r.moreBaselines)
        out << "      also " << ratioCell(other) << '\n';
}

void printMemoryRow(std::ostream& out, const BenchResult& r) {
    const Figures& f = r.figures;
    const std::string spread = "(" + nanos(f.nsPerOpMin) + " - " + nanos(f.nsPerOpMax) + ")";
    printRow(out, kMemoryPattern,
             {r.fullName, nanos(f.nsPerOp), spread, f.mbPerSec > 0 ? printf1("%.0f", f.mbPerSec) : "-",
              bytes(f), allocs(f), ratioCell(r.baseline), peerCell(r)});
    printMoreBaselines(out, r);
}

std::string serverCpu(const Figures& f) {
    return f.serverCpuUsPerMessage < 0 ? "?" : printf1("%.2f", f.serverCpuUsPerMessage);
}

// Echo rows (messages in flight) have round trips and a server; a receive-only row (the capture's) has
// neither.
void printLoopRow(std::ostream& out, const BenchResult& r) {
    const Figures& f = r.figures;
    const bool echo = r.inFlight > 0;
    printRow(out, kLoopPattern,
             {r.fullName, printf1("%.0f", f.messagesPerSec), printf1("%.1f", f.mbPerSec),
              echo ? printf1("%.1f", f.rttP50Us) : "-", echo ? printf1("%.1f", f.rttP99Us) : "-",
              echo ? serverCpu(f) : "-", echo ? allocs(f) : "-", ratioCell(r.baseline), peerCell(r)});
    std::vector<Comparison> others = r.peers;
    if (r.baseline.available) others.insert(others.begin(), r.baseline);
    for (const Comparison& peer : others) {
        if (!peer.available) continue;
        out << "      " << ratioCell(peer) << ": ";
        if (echo) {
            out << "server CPU " << serverCpu(peer.figures) << " us/msg, allocs " << allocs(peer.figures)
                << "/msg, rtt p50 " << printf1("%.1f", peer.figures.rttP50Us) << " us\n";
        } else {
            out << printf1("%.0f", peer.figures.messagesPerSec) << " msg/s\n";
        }
    }
}

// One line per suite/case: what goes in, what comes out, what is checked, and who does the same work.
void printContracts(const SuiteRun& run, std::ostream& out) {
    out << "\nWhat each row does (every peer on a row does the same work; \"ours only\" rows show no "
           "peer):\n";
    std::map<std::string, const BenchResult*> cases;
    std::vector<std::string> order;
    for (const BenchResult& result : run.results) {
        const std::string key = result.suite + "/" + result.caseName;
        if (cases.emplace(key, &result).second) order.push_back(key);
    }
    for (const std::string& key : order) {
        const RowContract& c = cases[key]->contract;
        out << "  " << key << (c.oursOnly ? " (ours only)" : "") << ": in: " << c.input
            << "; out: " << c.output << "; checks: " << c.checks << '\n';
    }
}

void printReference(const SuiteRun& run, std::ostream& out) {
    bool any = false;
    for (const BenchResult& r : run.results) {
        if (r.reference.name.empty()) continue;
        if (!any) {
            out << "\nSeed report (ANOTHER MACHINE: " << referenceMachine()
                << "; its own figures, not measured here, no ratio):\n";
            any = true;
        }
        const Figures& f = r.reference.figures;
        out << "  " << r.fullName << " ~ " << r.reference.name << ": " << nanos(f.nsPerOp) << "/op, "
            << printf1("%.0f allocs/op", f.allocsPerOp) << "; measured: " << r.reference.note << '\n';
    }
}

void printPeers(const SuiteRun& run, std::ostream& out) {
    std::map<std::string, std::string> status;  // the first reason each peer was missing, or "ran"
    for (const BenchResult& result : run.results) {
        for (const Comparison& peer : result.peers) {
            std::string& entry = status[peer.name];
            if (peer.available && entry.empty()) entry = "ran";
            if (!peer.available && (entry.empty() || entry == "ran")) entry = "missing: " + peer.note;
        }
    }
    out << "\nPeers (same run, same machine):\n";
    for (const auto& [name, text] : status)
        out << "  " << name << ": " << text << '\n';
}

const char* verdictWord(const TargetVerdict& target) {
    if (!target.evaluated) return "not evaluated";
    if (target.unstable) return "unstable";
    return target.met ? "met" : "MISSED";
}

}  // namespace

void printTable(const SuiteRun& run, const std::vector<TargetVerdict>& targets, std::ostream& out) {
    out << "FrameScope benchmarks: masking " << run.maskImpl << ", allocations "
        << (run.allocCounting ? "counted at malloc (every malloc/calloc/realloc/memalign call of the thread "
                                "doing the work)"
                              : "not counted (shown as ?)")
        << (run.cancelled ? ", CANCELLED" : "")
        << "\nratios: how many times as fast as that ours is (>1 = faster): the median over rounds run side "
           "by "
           "side (A B A B ...),\n[min-max] over those rounds; UNSTABLE when max-min exceeds "
        << printf1("%.0f", kUnstableSpread * 100) << " % of the median\n\n";
    printRow(out, kMemoryPattern,
             {"in memory", "ns/op", "(min - max)", "MB/s", "B/op", "allocs", "vs baseline", "vs best peer"});
    for (const BenchResult& result : run.results) {
        if (result.suite != "e2e") printMemoryRow(out, result);
    }
    out << '\n';
    printRow(out, kLoopPattern,
             {"loopback TCP echo", "msg/s", "MB/s", "p50 us", "p99 us", "srv us/msg", "allocs", "vs baseline",
              "vs best peer"});
    for (const BenchResult& result : run.results) {
        if (result.suite == "e2e") printLoopRow(out, result);
    }
    printContracts(run, out);
    printPeers(run, out);
    printReference(run, out);
    out << "\nTargets:\n";
    for (const TargetVerdict& target : targets) {
        out << "  [" << verdictWord(target) << "] " << target.target
            << (target.detail.empty() ? "" : ": " + target.detail) << '\n';
    }
}

}  // namespace framescope::bench
