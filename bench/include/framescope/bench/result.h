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
    // End to end only.
    double messagesPerSec = 0;
    double rttP50Us = 0;
    double rttP99Us = 0;
};

// Another measurement (a baseline or a peer) or a reference figure, and our speed ratio to it.
struct Comparison {
    std::string name;        // e.g. "memcpy", "sha1-60B", "boost-beast", "go report §3 1KB"
    bool available = false;  // false: `note` says why there is no figure
    std::string note;
    Figures figures;   // nsPerOp/mbPerSec (and the rest when measured)
    double ratio = 0;  // ours vs this: this.nsPerOp / ours.nsPerOp
};

struct BenchResult {
    std::string suite;     // "message", "frame", "mask", "handshake", "utf8", "deflate", "e2e"
    std::string caseName;  // "read-masked", "write", ...
    std::string label;     // size label ("1 KiB", "64 KiB x16", "1 KiB x64")
    size_t size = 0;       // payload bytes per op (0 when not meaningful)
    int inFlight = 0;      // e2e only
    std::string fullName;  // suite/case/label: what --filter matches
    Figures figures;
    Comparison baseline;            // measured in the same run; name empty when the row has none
    Comparison reference;           // the Go report's figure for this row; name empty when none
    Comparison bestPeer;            // the fastest available peer; name empty when no peer ran this row
    std::vector<Comparison> peers;  // every peer expected for this row, available or not
};

}  // namespace framescope::bench
