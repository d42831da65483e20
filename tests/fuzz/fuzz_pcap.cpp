// libFuzzer target for the pcap / pcapng import (app/capture/format_pcap_import.h, Qt-free): link layers,
// IP, TCP reassembly, upgrade detection and both directions decoded by the codec. What was imported is then
// written as a session file and read back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "capture/capture_store.h"
#include "capture/format_pcap_import.h"
#include "capture/format_session.h"

using namespace framescope::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    CaptureStoreOptions options;
    options.chunkSize = 64 << 10;
    CaptureStore store(options);
    readPcap({data, size}, store);
    std::vector<uint8_t> written;
    writeSessionFile(store, RowSet(), [&](std::span<const uint8_t> bytes) {
        written.insert(written.end(), bytes.begin(), bytes.end());
        return true;
    });
    CaptureStore again(options);
    if (!readSessionFile(written, again).ok || again.size() != store.size()) std::abort();
    return 0;
}
