// The human-readable table: in-memory rows, then end-to-end rows, then the peers' availability and the
// targets. Every ratio is "ours is N times as fast as that" (> 1 is faster), from the median ns/op.
#include <cstdio>
#include <map>

#include "framescope/bench/command.h"

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
    if (figures.allocsPerOp < 0) return "?";
    return printf1(figures.allocsPerOp == 0 || figures.allocsPerOp >= 10 ? "%.0f" : "%.2f",
                   figures.allocsPerOp);
}

std::string bytes(const Figures& figures) {
    return figures.bytesPerOp < 0 ? "?" : printf1("%.0f", figures.bytesPerOp);
}

std::string ratioCell(const Comparison& comparison) {
    if (comparison.name.empty()) return "-";
    if (!comparison.available) return comparison.name + " n/a";
    return printf1("%.2fx ", comparison.ratio) + comparison.name;
}

std::string referenceCell(const Comparison& reference) {
    if (reference.name.empty()) return "-";
    return printf1("%.1fx (", reference.ratio) + nanos(reference.figures.nsPerOp) + ")";
}

void printRow(std::ostream& out, const char* pattern, const std::string& a, const std::string& b,
              const std::string& c, const std::string& d, const std::string& e, const std::string& f,
              const std::string& g, const std::string& h, const std::string& i) {
    char line[512];
    std::snprintf(line, sizeof line, pattern, a.c_str(), b.c_str(), c.c_str(), d.c_str(), e.c_str(),
                  f.c_str(), g.c_str(), h.c_str(), i.c_str());
    out << line << '\n';
}

constexpr const char* kMemoryPattern = "%-41s %10s %-21s %9s %7s %6s  %-22s %-22s %s";
constexpr const char* kLoopPattern = "%-22s %10s %9s %9s %9s %6s  %-20s %-22s %s";

void printMemoryRow(std::ostream& out, const BenchResult& r) {
    const Figures& f = r.figures;
    const std::string spread = "(" + nanos(f.nsPerOpMin) + " - " + nanos(f.nsPerOpMax) + ")";
    printRow(out, kMemoryPattern, r.fullName, nanos(f.nsPerOp), spread,
             f.mbPerSec > 0 ? printf1("%.0f", f.mbPerSec) : "-", bytes(f), allocs(f), ratioCell(r.baseline),
             ratioCell(r.bestPeer), referenceCell(r.reference));
}

void printLoopRow(std::ostream& out, const BenchResult& r) {
    const Figures& f = r.figures;
    printRow(out, kLoopPattern, r.fullName, printf1("%.0f", f.messagesPerSec), printf1("%.1f", f.mbPerSec),
             printf1("%.1f", f.rttP50Us), printf1("%.1f", f.rttP99Us), allocs(f), ratioCell(r.baseline),
             ratioCell(r.bestPeer), referenceCell(r.reference));
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

}  // namespace

void printTable(const SuiteRun& run, const std::vector<TargetVerdict>& targets, std::ostream& out) {
    out << "FrameScope benchmarks: masking " << run.maskImpl << ", allocation counting "
        << (run.allocCounting ? "on" : "off (figures shown as ?)") << (run.cancelled ? ", CANCELLED" : "")
        << "\nratios: how many times as fast as ours is (>1 = faster), from the median ns/op of "
        << "calibrated runs\n\n";
    printRow(out, kMemoryPattern, "in memory", "ns/op", "(min - max)", "MB/s", "B/op", "allocs",
             "vs baseline", "vs best peer", "vs go report (its ns/op)");
    for (const BenchResult& result : run.results) {
        if (result.suite != "e2e") printMemoryRow(out, result);
    }
    out << '\n';
    printRow(out, kLoopPattern, "loopback TCP echo", "msg/s", "MB/s", "rtt p50us", "rtt p99us", "allocs",
             "vs baseline", "vs best peer", "vs go report");
    for (const BenchResult& result : run.results) {
        if (result.suite == "e2e") printLoopRow(out, result);
    }
    printPeers(run, out);
    out << "\nTargets:\n";
    for (const TargetVerdict& target : targets) {
        out << "  [" << (!target.evaluated ? "not evaluated" : (target.met ? "met" : "MISSED")) << "] "
            << target.target << (target.detail.empty() ? "" : ": " + target.detail) << '\n';
    }
}

}  // namespace framescope::bench
