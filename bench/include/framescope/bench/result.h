// Plain result structs of the benchmark suites: what the CLI prints and the GUI charts. Every ratio is a
// speed ratio: how many times as fast as the other side ours is (> 1 is faster), computed from ns/op.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace framescope::bench {

// The figures of one measured case: medians of several calibrated runs, with their spread.
struct Figures {
    double nsPerOp = 0;       // median
    double nsPerOpMin = 0;    // fastest run
    double nsPerOpMax = 0;    // slowest run
    double mbPerSec = 0;      // payload bytes per second / 1e6 (0 when the case has no size)
    double bytesPerOp = -1;   // heap bytes asked for per op; -1 when allocations were not counted
    double allocsPerOp = -1;  // operator new calls per op; -1 when not counted
    uint64_t iterations = 0;  // ops per run
    int runs = 0;
    // ns/op of each measured round, in the order run. Rows measured side by side with their baselines and
    // peers (A B A B ...) pair round i of one with round i of the other, so that a change of load on a
    // shared machine hits both sides of a ratio alike.
    std::vector<double> roundNs;
    // End to end only.
    double messagesPerSec = 0;
    double rttP50Us = 0;
    double rttP99Us = 0;
    double serverCpuUsPerMessage = -1;  // CPU time of the server process per echoed message; -1 unknown
};

// Another measurement (a baseline or a peer) or a reference figure, and our speed ratio to it.
struct Comparison {
    std::string name;        // e.g. "memcpy", "sha1-60B", "boost-beast", "go report §3 1KB"
    bool available = false;  // false: `note` says why there is no figure
    std::string note;
    Figures figures;      // nsPerOp/mbPerSec (and the rest when measured)
    double ratio = 0;     // ours vs this: the median over rounds of this.nsPerOp / ours.nsPerOp
    double ratioMin = 0;  // the spread of the per-round ratios (both 0 when there were no paired rounds)
    double ratioMax = 0;
    // (ratioMax - ratioMin) / ratio is above kUnstableSpread: the machine's load changed during the row
    // and the ratio decides no target.
    bool unstable = false;
    // Ours was faster than a physical limit (memcpy-class baselines, plain TCP echo): a measuring error.
    bool beatsLimit = false;
};

// The bound on a ratio's spread (max - min over paired rounds, relative to the median) under which a
// target is judged; above it the ratio is reported as unstable.
inline constexpr double kUnstableSpread = 0.25;

// What a row measures: what goes in, what comes out, and what is checked on the way. Every peer on the row
// does exactly this work; a row whose work no peer does the same way is `oursOnly` and shows no peer.
struct RowContract {
    std::string input;
    std::string output;
    std::string checks;
    bool oursOnly = false;
};

struct BenchResult {
    std::string suite;     // "message", "frame", "mask", "handshake", "utf8", "deflate", "e2e"
    std::string caseName;  // "read-masked", "write", ...
    std::string label;     // size label ("1 KiB", "64 KiB x16", "1 KiB x64")
    size_t size = 0;       // payload bytes per op (0 when not meaningful)
    int inFlight = 0;      // e2e only
    std::string fullName;  // suite/case/label: what --filter matches
    RowContract contract;
    Figures figures;
    // The baseline the row is judged against, measured in the same run (the physical limit where there is
    // one: ideal XOR for masking, memcpy for copies, plain TCP echo end to end); name empty when none.
    Comparison baseline;
    std::vector<Comparison> moreBaselines;  // other baselines of the same work, for context
    // The seed report's figure for the work nearest this row: another machine, so never a ratio (ratio 0);
    // `note` says what work the report measured. Name empty when the report has no such row.
    Comparison reference;
    Comparison bestPeer;            // the fastest available peer; name empty when no peer ran this row
    std::vector<Comparison> peers;  // every peer expected for this row, available or not
};

}  // namespace framescope::bench
