// The figures of shared/reference/go-websocket-benchmark-report.md, copied by hand. Reference data, not
// results: each row names the report section it comes from. Where the report gives three runs, the figure
// is the report's own "Average" line.
#include "framescope/bench/reference_report.h"

#include <cstring>

namespace framescope::bench {
namespace {

constexpr ReferenceRow kRows[] = {
    // §1 Connection-Level Performance
    {"message/write/1 KiB", "§1 WriteMessage (1KB messages), average", 222.8, 4611, 0, 0},
    {"message/read-masked/1 KiB", "§1 ReadMessage (1KB messages, masked), average", 7300, 140.6, 1072, 2},
    {"message/roundtrip/1 KiB", "§1 Roundtrip (Read + Write, 1KB), average", 94633, 11.0, 2144, 4},
    {"e2e/echo/1 KiB x1", "§1 Roundtrip (Read + Write, 1KB), average (io.Pipe)", 94633, 11.0, 2144, 4},
    // §2 Frame-Level Performance: FrameReader
    {"frame/read-masked/64 B", "§2 FrameReader 64B", 8331, 7.7, 4256, 4},
    {"frame/read-masked/256 B", "§2 FrameReader 256B", 6684, 38.3, 4256, 4},
    {"frame/read-masked/1 KiB", "§2 FrameReader 1KB", 7628, 134.7, 4256, 4},
    {"frame/read-masked/4 KiB", "§2 FrameReader 4KB", 8144, 504.7, 4256, 4},
    // §2 FrameWriter
    {"frame/write-masked/64 B", "§2 FrameWriter 64B", 304.7, 210, 64, 1},
    {"frame/write-masked/256 B", "§2 FrameWriter 256B", 557.7, 459, 256, 1},
    {"frame/write-masked/1 KiB", "§2 FrameWriter 1KB", 1793, 571, 1024, 1},
    {"frame/write-masked/4 KiB", "§2 FrameWriter 4KB", 7771, 527, 4096, 1},
    // §2 Frame Roundtrip
    {"frame/roundtrip/1 KiB", "§2 Frame Roundtrip (1KB), average", 13269, 81.2, 6544, 8},
    // §3 Masking Performance
    {"mask/in-place/16 B", "§3 Masking 16B", 89.3, 179, 0, 0},
    {"mask/in-place/64 B", "§3 Masking 64B", 222.9, 287, 0, 0},
    {"mask/in-place/256 B", "§3 Masking 256B", 839.9, 305, 0, 0},
    {"mask/in-place/1 KiB", "§3 Masking 1KB", 2405, 426, 0, 0},
    {"mask/in-place/4 KiB", "§3 Masking 4KB", 10795, 381, 0, 0},
    {"mask/in-place/16 KiB", "§3 Masking 16KB", 37015, 445, 0, 0},
    // §4 Handshake Performance
    {"handshake/accept-key/60 B", "§4 ComputeAcceptKey (SHA1 + Base64), average", 2678, 0, 56, 2},
};

}  // namespace

std::optional<ReferenceRow> referenceRowFor(const std::string& fullName) {
    for (const ReferenceRow& row : kRows) {
        if (fullName == row.fullName) return row;
    }
    return std::nullopt;
}

}  // namespace framescope::bench
