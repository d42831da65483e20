// libFuzzer target for the session file reader (app/capture/format_session.h, Qt-free): any bytes read
// into a store, then the store written again as a session file and as pcapng; the session file written
// from what was read must read back as the same number of rows.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "capture/capture_store.h"
#include "capture/format_pcapng.h"
#include "capture/format_session.h"

using namespace framescope::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    CaptureStoreOptions options;
    options.chunkSize = 64 << 10;
    CaptureStore store(options);
    readSessionFile({data, size}, store);
    std::vector<uint8_t> written;
    const ChunkWriter collect = [&](std::span<const uint8_t> bytes) {
        written.insert(written.end(), bytes.begin(), bytes.end());
        return true;
    };
    writeSessionFile(store, RowSet(), collect);
    CaptureStore again(options);
    const FormatResult reread = readSessionFile(written, again);
    if (!reread.ok || again.size() != store.size()) {
        std::fprintf(stderr, "round trip: %s, %zu rows, %zu rows\n", reread.error.c_str(), store.size(),
                     again.size());
        std::abort();
    }
    // The pcapng export pads payloads cut by a cap to the length the file claims (up to 2^64 bytes of
    // zeros, written in bounded pieces): only exports of at most 16 MiB of padding are run here, for speed.
    uint64_t padding = 0;
    for (size_t row = 0; row < store.size(); ++row) {
        padding += store.record(row).payloadLength - store.payload(row).size();
        if (store.record(row).payloadLength > (16u << 20) || padding > (16u << 20)) return 0;
    }
    size_t pcapBytes = 0;
    writePcapng(store, RowSet(), [&](std::span<const uint8_t> bytes) {
        pcapBytes += bytes.size();
        return true;
    });
    return 0;
}
