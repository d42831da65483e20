// pcapng export: each connection as synthesised IPv4 or IPv6 TCP packets (link type RAW) on its real
// addresses and ports when the capture knows them (else 127.0.0.1, client port 40000 + id, server port 80):
// the TCP handshake, the HTTP upgrade (the captured handshake texts), every frame in both directions with
// its original header, masking key and wire (compressed) payload, and the TCP close; timestamps kept.
// Wireshark and tshark dissect it as WebSocket. Qt-free.
#pragma once

#include "capture/capture_store.h"
#include "capture/format_common.h"

namespace framescope::app {

FormatResult writePcapng(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write);

}  // namespace framescope::app
