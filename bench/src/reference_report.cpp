// The figures of shared/reference/go-websocket-benchmark-report.md, copied by hand. Reference data, not
// results: each row names the report section it comes from. Where the report gives three runs, the figure
// is the report's own "Average" line.
#include "framescope/bench/reference_report.h"

#include <cstring>

namespace framescope::bench {
namespace {

constexpr const char* kWriteMessage = "writes one 1 KB message to a connection (in-memory writer)";
constexpr const char* kReadMessage =
    "reads one masked 1 KB message; 2 allocations per call (header buffer, message copy)";
constexpr const char* kRoundtrip = "writes and reads one 1 KB message over an io.Pipe (goroutine hand-offs)";
constexpr const char* kFrameReader =
    "reads one masked frame through a FrameReader allocated per call (4 KiB)";
constexpr const char* kFrameWriter = "writes one masked frame to io.Discard; copies the payload to mask it";
constexpr const char* kFrameRoundtrip = "FrameWriter then FrameReader of one 1 KB frame";
constexpr const char* kMasking = "XORs in place, 8 bytes at a time (uint64), no SIMD";
constexpr const char* kAccept = "SHA-1 of key + GUID, then Base64, into new strings";

constexpr ReferenceRow kRows[] = {
    // §1 Connection-Level Performance
    {"message/write/1 KiB", "§1 WriteMessage (1KB messages), average", kWriteMessage, 222.8, 4611, 0, 0},
    {"message/read-masked/1 KiB", "§1 ReadMessage (1KB messages, masked), average", kReadMessage, 7300, 140.6,
     1072, 2},
    {"message/roundtrip/1 KiB", "§1 Roundtrip (Read + Write, 1KB), average", kRoundtrip, 94633, 11.0, 2144,
     4},
    // §2 Frame-Level Performance: FrameReader
    {"frame/read-masked/64 B", "§2 FrameReader 64B", kFrameReader, 8331, 7.7, 4256, 4},
    {"frame/read-masked/256 B", "§2 FrameReader 256B", kFrameReader, 6684, 38.3, 4256, 4},
    {"frame/read-masked/1 KiB", "§2 FrameReader 1KB", kFrameReader, 7628, 134.7, 4256, 4},
    {"frame/read-masked/4 KiB", "§2 FrameReader 4KB", kFrameReader, 8144, 504.7, 4256, 4},
    // §2 FrameWriter
    {"frame/write-masked/64 B", "§2 FrameWriter 64B", kFrameWriter, 304.7, 210, 64, 1},
    {"frame/write-masked/256 B", "§2 FrameWriter 256B", kFrameWriter, 557.7, 459, 256, 1},
    {"frame/write-masked/1 KiB", "§2 FrameWriter 1KB", kFrameWriter, 1793, 571, 1024, 1},
    {"frame/write-masked/4 KiB", "§2 FrameWriter 4KB", kFrameWriter, 7771, 527, 4096, 1},
    // §2 Frame Roundtrip
    {"frame/roundtrip/1 KiB", "§2 Frame Roundtrip (1KB), average", kFrameRoundtrip, 13269, 81.2, 6544, 8},
    // §3 Masking Performance
    {"mask/in-place/16 B", "§3 Masking 16B", kMasking, 89.3, 179, 0, 0},
    {"mask/in-place/64 B", "§3 Masking 64B", kMasking, 222.9, 287, 0, 0},
    {"mask/in-place/256 B", "§3 Masking 256B", kMasking, 839.9, 305, 0, 0},
    {"mask/in-place/1 KiB", "§3 Masking 1KB", kMasking, 2405, 426, 0, 0},
    {"mask/in-place/4 KiB", "§3 Masking 4KB", kMasking, 10795, 381, 0, 0},
    {"mask/in-place/16 KiB", "§3 Masking 16KB", kMasking, 37015, 445, 0, 0},
    // §4 Handshake Performance
    {"handshake/accept-key/60 B", "§4 ComputeAcceptKey (SHA1 + Base64), average", kAccept, 2678, 0, 56, 2},
};

}  // namespace

const char* referenceMachine() {
    return "11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz, Linux amd64, Go";
}

std::optional<ReferenceRow> referenceRowFor(const std::string& fullName) {
    for (const ReferenceRow& row : kRows) {
        if (fullName == row.fullName) return row;
    }
    return std::nullopt;
}

}  // namespace framescope::bench
