// libFuzzer target for the HAR reader (app/capture/format_har.h): any bytes read as a HAR file into a
// store, the store written again as HAR, and that HAR read back: it must read, with as many frames. The
// reader parses with Qt's JSON (QJsonDocument), so this target links Qt6::Core; Qt itself is not built
// with the fuzzer's coverage or sanitizers, only our code around it is.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "capture/capture_store.h"
#include "capture/format_har.h"

using namespace framescope::app;

namespace {

size_t frameRows(const CaptureStore& store) {
    size_t frames = 0;
    for (size_t row = 0; row < store.size(); ++row)
        frames += store.record(row).kind == RecordKind::Frame;
    return frames;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    CaptureStoreOptions options;
    options.chunkSize = 64 << 10;
    CaptureStore store(options);
    const FormatResult read = readHar({data, size}, store);
    if (!read.ok || store.size() == 0) return 0;
    std::vector<uint8_t> written;
    const FormatResult wrote = writeHar(store, RowSet(), [&](std::span<const uint8_t> bytes) {
        written.insert(written.end(), bytes.begin(), bytes.end());
        return true;
    });
    CaptureStore again(options);
    const FormatResult reread = readHar(written, again);
    if (!wrote.ok || !reread.ok || frameRows(again) != frameRows(store)) {
        std::fprintf(stderr, "round trip: %s / %s, %zu frames, %zu frames\n", wrote.error.c_str(),
                     reread.error.c_str(), frameRows(store), frameRows(again));
        std::abort();
    }
    return 0;
}
