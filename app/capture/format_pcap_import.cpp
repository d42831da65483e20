// Theory of operation: PacketSource walks the file's records (pcap: one global header then records; pcapng:
// blocks, each section with its own byte order and interfaces, each interface with its link type and time
// resolution) and yields (timestamp, link type, bytes). Link and IP headers are peeled off to a TCP
// segment; a map from the connection's endpoints to a Flow keeps one TcpReassembly per direction and the
// WsStreamImport that decodes the bytes they deliver. Every length read from the file is checked against
// the bytes that are there (ByteReader).
#include "capture/format_pcap_import.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "capture/byte_io.h"
#include "capture/tcp_reassembly.h"
#include "capture/ws_stream_import.h"

namespace framescope::app {

namespace {

enum LinkType : uint32_t {
    kNull = 0,
    kEthernet = 1,
    kRaw = 101,
    kRawAlt = 12,
    kLoop = 108,
    kSll = 113,
    kIpv4 = 228,
    kIpv6 = 229,
    kSll2 = 276
};

struct Packet {
    int64_t timestampUs = 0;
    uint32_t linkType = 0;
    std::span<const uint8_t> data;
};

struct Interface {
    uint32_t linkType = 0;
    uint64_t unitsPerSecond = 1000000;
};

int64_t toMicros(uint64_t units, uint64_t unitsPerSecond) {
    if (unitsPerSecond == 1000000) return static_cast<int64_t>(units);
    const uint64_t seconds = units / unitsPerSecond;
    const uint64_t rest = units % unitsPerSecond;
    return static_cast<int64_t>(
        seconds * 1000000 +
        static_cast<uint64_t>(static_cast<double>(rest) * 1e6 / static_cast<double>(unitsPerSecond)));
}

class PacketSource {
public:
    explicit PacketSource(std::span<const uint8_t> file) : file_(file), in_(file) {}

    // False with `error_` set when the file is not pcap or pcapng.
    bool open() {
        if (file_.size() < 4) return fail("The file is too short to be a capture.");
        const uint32_t magic = ByteReader(file_).le32();
        if (magic == 0x0A0D0D0A) return pcapng_ = true;
        for (const bool big : {false, true}) {
            ByteReader r(file_);
            const uint32_t m = r.u32(big);
            if (m != 0xA1B2C3D4 && m != 0xA1B23C4D) continue;
            big_ = big;
            nanos_ = m == 0xA1B23C4D;
            r.skip(12);
            r.u32(big);  // snaplen
            linkType_ = r.u32(big) & 0xFFFF;
            if (r.failed()) return fail("The pcap file header is cut short.");
            in_ = ByteReader(file_.subspan(24));
            return true;
        }
        return fail("This is not a pcap or pcapng file (unknown magic number).");
    }

    // The next packet; false at the end or on damage (damaged() tells which).
    bool next(Packet& packet) { return pcapng_ ? nextBlock(packet) : nextRecord(packet); }
    const std::string& error() const noexcept { return error_; }
    bool damaged() const noexcept { return !error_.empty(); }
    size_t offset() const noexcept { return in_.position(); }

private:
    bool fail(std::string sentence) {
        error_ = std::move(sentence);
        return false;
    }

    bool nextRecord(Packet& packet) {
        if (in_.atEnd()) return false;
        const uint64_t seconds = in_.u32(big_);
        const uint64_t fraction = in_.u32(big_);
        const uint32_t captured = in_.u32(big_);
        in_.u32(big_);
        packet.data = in_.bytes(captured);
        if (in_.failed()) return fail("A packet record is cut short (the file ends in the middle of it).");
        packet.timestampUs = static_cast<int64_t>(seconds * 1000000 + (nanos_ ? fraction / 1000 : fraction));
        packet.linkType = linkType_;
        return true;
    }

    bool nextBlock(Packet& packet) {
        while (!in_.atEnd()) {
            const size_t start = in_.position();
            ByteReader peek(file_.subspan(start));
            const uint32_t type = peek.u32(big_);
            if (type == 0x0A0D0D0A) {  // section header: its byte-order magic decides the order
                peek.u32(false);
                const uint32_t bom = peek.le32();
                if (bom == 0x1A2B3C4D)
                    big_ = false;
                else if (bom == 0x4D3C2B1A)
                    big_ = true;
                else
                    return fail("A pcapng section header has an unknown byte-order magic.");
                interfaces_.clear();
            }
            in_.u32(big_);
            const uint32_t length = in_.u32(big_);
            if (in_.failed() || length < 12 || length % 4 != 0 || length - 8 > in_.remaining())
                return fail("A pcapng block is cut short or has a bad length.");
            ByteReader body(in_.bytes(length - 8).first(length - 12));
            if (readBlock(type, body, packet)) return true;
            if (damaged()) return false;
        }
        return false;
    }

    bool readBlock(uint32_t type, ByteReader& body, Packet& packet) {
        if (type == 1) {  // interface description
            Interface i;
            i.linkType = body.u16(big_);
            body.skip(6);
            readInterfaceOptions(body, i);
            interfaces_.push_back(i);
            return false;
        }
        if (type == 6 || type == 3 || type == 2) return readPacketBlock(type, body, packet);
        return false;  // name resolution, statistics, custom...: not needed
    }

    void readInterfaceOptions(ByteReader& body, Interface& i) {
        while (body.remaining() >= 4) {
            const uint16_t code = body.u16(big_);
            const uint16_t size = body.u16(big_);
            const auto value = body.bytes((size + 3u) & ~3u);
            if (code == 0 || body.failed()) return;
            if (code == 9 && size >= 1 && !value.empty()) {  // if_tsresol
                const uint8_t r = value[0];
                const unsigned exponent = r & 0x7F;
                if (exponent > 19) continue;  // beyond 64 bits of units per second
                uint64_t units = 1;
                for (unsigned k = 0; k < exponent; ++k)
                    units *= (r & 0x80) ? 2 : 10;
                i.unitsPerSecond = units;
            }
        }
    }

    bool readPacketBlock(uint32_t type, ByteReader& body, Packet& packet) {
        uint32_t interface = 0;
        uint64_t time = 0;
        uint32_t captured = 0;
        if (type == 3) {  // simple packet: interface 0, no timestamp
            const uint32_t original = body.u32(big_);
            captured = static_cast<uint32_t>(std::min<size_t>(original, body.remaining()));
        } else {
            interface = type == 6 ? body.u32(big_) : body.u16(big_);
            if (type == 2) body.u16(big_);
            const uint64_t high = body.u32(big_);
            time = (high << 32) | body.u32(big_);
            captured = body.u32(big_);
            body.u32(big_);
        }
        packet.data = body.bytes(captured);
        if (body.failed() || interface >= interfaces_.size()) {
            return fail("A pcapng packet block is damaged (bad length or unknown interface).");
        }
        packet.linkType = interfaces_[interface].linkType;
        packet.timestampUs = toMicros(time, interfaces_[interface].unitsPerSecond);
        return true;
    }

    std::span<const uint8_t> file_;
    ByteReader in_;
    bool pcapng_ = false;
    bool big_ = false;
    bool nanos_ = false;
    uint32_t linkType_ = 0;
    std::vector<Interface> interfaces_;
    std::string error_;
};

struct Segment {
    CapturedConnection endpoints;  // client = source, server = destination
    uint32_t seq = 0;
    uint8_t flags = 0;
    std::span<const uint8_t> payload;
};

// The IP packet inside a link-layer frame, or an empty span.
std::span<const uint8_t> ipPayloadOf(uint32_t linkType, std::span<const uint8_t> data) {
    ByteReader r(data);
    uint16_t etherType = 0;
    switch (linkType) {
        case kEthernet:
            r.skip(12);
            etherType = r.be16();
            while (etherType == 0x8100 || etherType == 0x88A8) {  // IEEE 802.1Q / 802.1ad tags
                r.skip(2);
                etherType = r.be16();
            }
            break;
        case kSll:
            r.skip(14);
            etherType = r.be16();
            break;
        case kSll2:
            etherType = r.be16();
            r.skip(18);
            break;
        case kNull:
        case kLoop:
            r.skip(4);  // address family, in the writer's byte order: tell IPv4 and IPv6 by the version
            return r.failed() ? std::span<const uint8_t>() : data.subspan(4);
        case kRaw:
        case kRawAlt:
        case kIpv4:
        case kIpv6:
            return data;
        default:
            return {};
    }
    if (r.failed() || (etherType != 0x0800 && etherType != 0x86DD)) return {};
    return data.subspan(r.position());
}

bool parseIpv4(std::span<const uint8_t> ip, Segment& s, std::span<const uint8_t>& tcp) {
    ByteReader r(ip);
    const uint8_t versionIhl = r.u8();
    r.u8();
    const uint16_t total = r.be16();
    r.be16();
    const uint16_t fragment = r.be16();
    r.u8();
    const uint8_t protocol = r.u8();
    r.be16();
    const auto src = r.bytes(4);
    const auto dst = r.bytes(4);
    const size_t headerSize = size_t{versionIhl & 0x0Fu} * 4;
    if (r.failed() || protocol != 6 || headerSize < 20 || total < headerSize) return false;
    if ((fragment & 0x3FFF) != 0) return false;  // a fragment (MF set or an offset): not reassembled
    s.endpoints.ipVersion = 4;
    std::copy(src.begin(), src.end(), s.endpoints.clientAddress.begin());
    std::copy(dst.begin(), dst.end(), s.endpoints.serverAddress.begin());
    const size_t end = std::min<size_t>(total, ip.size());  // Ethernet may pad short packets
    if (headerSize > end) return false;
    tcp = ip.subspan(headerSize, end - headerSize);
    return true;
}

bool parseIpv6(std::span<const uint8_t> ip, Segment& s, std::span<const uint8_t>& tcp) {
    ByteReader r(ip);
    r.be32();
    const uint16_t payloadLength = r.be16();
    uint8_t next = r.u8();
    r.u8();
    const auto src = r.bytes(16);
    const auto dst = r.bytes(16);
    if (r.failed()) return false;
    const size_t end = std::min<size_t>(40 + size_t{payloadLength}, ip.size());
    while (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
        next = r.u8();
        const uint8_t length = r.u8();
        r.skip(size_t{length} * 8 + 6);
        if (r.failed()) return false;
    }
    if (next != 6 || r.position() > end) return false;  // not TCP (a fragment header included)
    s.endpoints.ipVersion = 6;
    std::copy(src.begin(), src.end(), s.endpoints.clientAddress.begin());
    std::copy(dst.begin(), dst.end(), s.endpoints.serverAddress.begin());
    tcp = ip.subspan(r.position(), end - r.position());
    return true;
}

bool parseSegment(const Packet& packet, Segment& s) {
    const std::span<const uint8_t> ip = ipPayloadOf(packet.linkType, packet.data);
    if (ip.empty()) return false;
    std::span<const uint8_t> tcp;
    const unsigned version = ip[0] >> 4;
    if (!(version == 4 ? parseIpv4(ip, s, tcp) : version == 6 && parseIpv6(ip, s, tcp))) return false;
    ByteReader r(tcp);
    s.endpoints.clientPort = r.be16();
    s.endpoints.serverPort = r.be16();
    s.seq = r.be32();
    r.be32();
    const size_t headerSize = size_t{static_cast<uint8_t>(r.u8() >> 4)} * 4;
    s.flags = r.u8();
    if (r.failed() || headerSize < 20 || headerSize > tcp.size()) return false;
    s.payload = tcp.subspan(headerSize);
    return true;
}

using Key = std::tuple<uint8_t, std::array<uint8_t, 16>, uint16_t, std::array<uint8_t, 16>, uint16_t>;

struct Flow {
    std::unique_ptr<WsStreamImport> decoder;
    TcpReassembly direction[2];
    CapturedConnection first;  // side 0 = the first sender
    bool fin[2] = {false, false};
    uint32_t finSeq[2] = {0, 0};  // where each side's stream ends (its FIN's sequence number)
};

class Importer {
public:
    Importer(CaptureSink& sink, PcapImportReport& report) : sink_(sink), report_(report) {}

    void packet(const Packet& p) {
        ++report_.packets;
        Segment s;
        if (!parseSegment(p, s)) return;
        const CapturedConnection& e = s.endpoints;
        const Key forward{e.ipVersion, e.clientAddress, e.clientPort, e.serverAddress, e.serverPort};
        const Key backward{e.ipVersion, e.serverAddress, e.serverPort, e.clientAddress, e.clientPort};
        int side = 0;
        auto it = flows_.find(forward);
        if (it == flows_.end()) {
            it = flows_.find(backward);
            side = 1;
        }
        const bool syn = s.flags & 0x02;
        if (it == flows_.end() ||
            (syn && !(s.flags & 0x10) && side == 0 && it->second.direction[0].delivered())) {
            // A new connection (or a new SYN reusing the endpoints of an old one).
            if (it != flows_.end()) finishFlow(it->second);
            Flow& flow = flows_[forward];
            flow = Flow{};
            flow.first = e;
            flow.decoder = std::make_unique<WsStreamImport>(sink_, ids_, e);
            ++report_.tcpConnections;
            it = flows_.find(forward);
            side = 0;
        }
        Flow& flow = it->second;
        WsStreamImport& decoder = *flow.decoder;
        flow.direction[side].segment(
            s.seq, syn, s.payload, p.timestampUs,
            [&](std::span<const uint8_t> bytes, int64_t timeUs) { decoder.bytes(side, bytes, timeUs); });
        // A connection reset, or closed both ways with nothing waiting, is done: its memory goes now, so a
        // file of many connections costs what its open ones need.
        if ((s.flags & 0x01) && !flow.fin[side]) {
            flow.fin[side] = true;
            flow.finSeq[side] = s.seq + static_cast<uint32_t>(s.payload.size());
        }
        const auto ended = [&flow](int i) {
            return flow.fin[i] && flow.direction[i].reached(flow.finSeq[i]);
        };
        if ((s.flags & 0x04) || (ended(0) && ended(1))) {
            finishFlow(flow);
            flows_.erase(it);
        }
    }

    void finish() {
        for (auto& [key, flow] : flows_)
            finishFlow(flow);
        flows_.clear();
    }

private:
    void finishFlow(Flow& flow) {
        if (!flow.decoder) return;
        const uint64_t missing = flow.direction[0].pendingBytes() + flow.direction[1].pendingBytes() +
                                 flow.direction[0].droppedBytes() + flow.direction[1].droppedBytes();
        const std::string problem = flow.decoder->finish(missing);
        if (flow.decoder->kind() == WsStreamImport::Kind::WebSocket) ++report_.webSocketConnections;
        if (!problem.empty()) report_.problems.push_back(problem);
        flow.decoder.reset();
    }

    CaptureSink& sink_;
    PcapImportReport& report_;
    std::map<Key, Flow> flows_;
    uint32_t ids_ = 0;
};

}  // namespace

bool looksLikePcap(std::span<const uint8_t> file) noexcept {
    if (file.size() < 4) return false;
    const uint32_t le = ByteReader(file).le32();
    const uint32_t be = ByteReader(file).be32();
    return le == 0x0A0D0D0A || le == 0xA1B2C3D4 || le == 0xA1B23C4D || be == 0xA1B2C3D4 || be == 0xA1B23C4D;
}

FormatResult readPcap(std::span<const uint8_t> file, CaptureSink& sink, PcapImportReport* report) {
    PcapImportReport local;
    PcapImportReport& r = report ? *report : local;
    PacketSource source(file);
    if (!source.open()) return FormatResult::failure(source.error());
    Importer importer(sink, r);
    Packet packet;
    while (source.next(packet))
        importer.packet(packet);
    importer.finish();
    if (source.damaged()) {
        if (r.packets == 0) return FormatResult::failure(source.error());
        r.problems.push_back(source.error() + " The " + std::to_string(r.packets) +
                             " packets before it were read.");
    }
    FormatResult result;
    result.rows = r.packets;
    for (const std::string& problem : r.problems)
        result.error += (result.error.empty() ? "" : " ") + problem;
    if (r.webSocketConnections == 0 && r.problems.empty()) {
        result.error = "No WebSocket connection was found in the capture (" +
                       std::to_string(r.tcpConnections) + " TCP connections, " + std::to_string(r.packets) +
                       " packets).";
    }
    return result;
}

}  // namespace framescope::app
