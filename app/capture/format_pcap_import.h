// pcap and pcapng import (tcpdump's and Wireshark's files): link types Ethernet (VLAN tags skipped), Linux
// cooked v1 and v2, raw IP and BSD loopback; IPv4 and IPv6; TCP reassembled per direction (out-of-order
// segments and retransmissions); WebSocket connections found by their HTTP upgrade on any port and decoded
// by ws_stream_import.h. Frames keep the packets' timestamps. Qt-free: the fuzzer drives readPcap().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "capture/capture_sink.h"
#include "capture/format_common.h"

namespace framescope::app {

struct PcapImportReport {
    uint64_t packets = 0;
    uint64_t tcpConnections = 0;
    uint64_t webSocketConnections = 0;
    std::vector<std::string> problems;  // one sentence per connection that could not be (fully) decoded
};

bool looksLikePcap(std::span<const uint8_t> file) noexcept;

// Reads a whole pcap or pcapng file into `sink`. ok is false only when nothing could be read; problems
// (TLS connections, gaps, a damaged tail) are joined into `error` of an ok result and listed in `report`.
FormatResult readPcap(std::span<const uint8_t> file, CaptureSink& sink, PcapImportReport* report = nullptr);

}  // namespace framescope::app
