// The JSON form of a run: one object with the run's context, every result with its comparisons, and the
// target verdicts. Numbers that are not finite are written as null.
#include <cmath>
#include <cstdio>

#include "framescope/bench/command.h"

namespace framescope::bench {
namespace {

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", byte);
            out += escape;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string number(double value) {
    if (!std::isfinite(value)) return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string numbers(const std::vector<double>& values) {
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : ",") + number(values[i]);
    return out + "]";
}

std::string figuresJson(const Figures& f) {
    return "{\"nsPerOp\":" + number(f.nsPerOp) + ",\"nsPerOpMin\":" + number(f.nsPerOpMin) +
           ",\"nsPerOpMax\":" + number(f.nsPerOpMax) + ",\"mbPerSec\":" + number(f.mbPerSec) +
           ",\"bytesPerOp\":" + (f.bytesPerOp < 0 ? "null" : number(f.bytesPerOp)) +
           ",\"allocsPerOp\":" + (f.allocsPerOp < 0 ? "null" : number(f.allocsPerOp)) +
           ",\"iterations\":" + std::to_string(f.iterations) + ",\"runs\":" + std::to_string(f.runs) +
           ",\"messagesPerSec\":" + number(f.messagesPerSec) + ",\"rttP50Us\":" + number(f.rttP50Us) +
           ",\"rttP99Us\":" + number(f.rttP99Us) + ",\"serverCpuUsPerMessage\":" +
           (f.serverCpuUsPerMessage < 0 ? "null" : number(f.serverCpuUsPerMessage)) +
           ",\"roundNs\":" + numbers(f.roundNs) + "}";
}

std::string comparisonJson(const Comparison& c) {
    if (c.name.empty()) return "null";
    std::string out = "{\"name\":" + quoted(c.name) + ",\"available\":" + (c.available ? "true" : "false");
    if (c.available) {
        out += ",\"ratio\":" + number(c.ratio) + ",\"ratioMin\":" + number(c.ratioMin) +
               ",\"ratioMax\":" + number(c.ratioMax) + ",\"unstable\":" + (c.unstable ? "true" : "false") +
               ",\"beatsLimit\":" + (c.beatsLimit ? "true" : "false") +
               ",\"figures\":" + figuresJson(c.figures);
        if (!c.note.empty()) out += ",\"note\":" + quoted(c.note);
    } else {
        out += ",\"note\":" + quoted(c.note);
    }
    return out + "}";
}

std::string contractJson(const RowContract& c) {
    return "{\"input\":" + quoted(c.input) + ",\"output\":" + quoted(c.output) +
           ",\"checks\":" + quoted(c.checks) + ",\"oursOnly\":" + (c.oursOnly ? "true" : "false") + "}";
}

std::string comparisonsJson(const std::vector<Comparison>& list) {
    std::string out = "[";
    for (const Comparison& c : list)
        out += (out.size() > 1 ? "," : "") + comparisonJson(c);
    return out + "]";
}

// The seed report's figure: another machine, so no ratio; `work` says what it measured.
std::string referenceJson(const Comparison& c) {
    if (c.name.empty()) return "null";
    return "{\"name\":" + quoted(c.name) + ",\"otherMachine\":true,\"work\":" + quoted(c.note) +
           ",\"figures\":" + figuresJson(c.figures) + "}";
}

std::string resultJson(const BenchResult& r) {
    return "{\"name\":" + quoted(r.fullName) + ",\"suite\":" + quoted(r.suite) +
           ",\"case\":" + quoted(r.caseName) + ",\"label\":" + quoted(r.label) +
           ",\"size\":" + std::to_string(r.size) + ",\"inFlight\":" + std::to_string(r.inFlight) +
           ",\"contract\":" + contractJson(r.contract) + ",\"figures\":" + figuresJson(r.figures) +
           ",\"baseline\":" + comparisonJson(r.baseline) +
           ",\"moreBaselines\":" + comparisonsJson(r.moreBaselines) +
           ",\"reference\":" + referenceJson(r.reference) + ",\"bestPeer\":" + comparisonJson(r.bestPeer) +
           ",\"peers\":" + comparisonsJson(r.peers) + "}";
}

}  // namespace

void printJson(const SuiteRun& run, const std::vector<TargetVerdict>& targets, std::ostream& out) {
    out << "{\"maskImpl\":" << quoted(run.maskImpl)
        << ",\"allocCounting\":" << (run.allocCounting ? "true" : "false")
        << ",\"cancelled\":" << (run.cancelled ? "true" : "false") << ",\"results\":[";
    for (size_t i = 0; i < run.results.size(); ++i)
        out << (i == 0 ? "\n" : ",\n") << resultJson(run.results[i]);
    out << "\n],\"targets\":[";
    for (size_t i = 0; i < targets.size(); ++i) {
        const TargetVerdict& t = targets[i];
        out << (i == 0 ? "\n" : ",\n") << "{\"target\":" << quoted(t.target)
            << ",\"evaluated\":" << (t.evaluated ? "true" : "false")
            << ",\"met\":" << (t.met ? "true" : "false")
            << ",\"unstable\":" << (t.unstable ? "true" : "false") << ",\"detail\":" << quoted(t.detail)
            << "}";
    }
    out << "\n]}\n";
}

}  // namespace framescope::bench
