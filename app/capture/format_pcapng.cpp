// Theory of operation: rows are walked in order; each connection gets a Flow that remembers its two TCP
// sequence numbers. A flow opens (SYN, SYN-ACK, ACK) at its first row; handshake notes become the HTTP
// request and response segments (synthesised when the capture has none, so that the upgrade is always
// seen); each frame becomes header + masked payload, split into segments of at most kMaxSegment bytes; all
// flows close (FIN, FIN, ACK) after the last row. Blocks are pcapng SHB, one IDB (LINKTYPE_RAW, µs), EPBs.
#include "capture/format_pcapng.h"

#include <algorithm>
#include <map>
#include <string>

#include "capture/byte_io.h"
#include "framescope/mask.h"

namespace framescope::app {

namespace {

constexpr uint16_t kLinkTypeRaw = 101;
constexpr size_t kMaxSegment = 65000;
constexpr size_t kFlushSize = size_t{1} << 20;
constexpr uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

struct Endpoint {
    std::array<uint8_t, 16> address{};
    uint16_t port = 0;
    uint32_t seq = 0;  // next sequence number this side sends
};

struct Flow {
    uint8_t ipVersion = 4;
    Endpoint side[2];  // 0 client, 1 server
    Direction clientToServer = Direction::Outgoing;
    bool requestSent = false;
    bool responseSent = false;
    int64_t lastUs = 0;
};

uint16_t checksum(std::span<const uint8_t> bytes, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < bytes.size(); i += 2)
        sum += static_cast<uint32_t>((bytes[i] << 8) | bytes[i + 1]);
    if (bytes.size() % 2) sum += static_cast<uint32_t>(bytes.back() << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

class PcapngWriter {
public:
    explicit PcapngWriter(const ChunkWriter& write) : write_(write) { out_.bytes().reserve(kFlushSize * 2); }

    void header() {
        ByteWriter body;
        body.le32(0x1A2B3C4D);  // byte-order magic
        body.le16(1);
        body.le16(0);
        body.le64(UINT64_MAX);          // section length unknown
        option(body, 4, "FrameScope");  // shb_userappl
        body.le32(0);                   // opt_endofopt
        block(0x0A0D0D0A, body.bytes());
        ByteWriter idb;
        idb.le16(kLinkTypeRaw);
        idb.le16(0);
        idb.le32(0);  // no snap length limit
        block(0x00000001, idb.bytes());
    }

    // One TCP segment from side `from` of `flow` with `flags` and `payload`, then the sequence advances.
    void segment(Flow& flow, int from, uint8_t flags, std::span<const uint8_t> payload, int64_t timeUs) {
        Endpoint& src = flow.side[from];
        const Endpoint& dst = flow.side[1 - from];
        ByteWriter tcp;
        tcp.be16(src.port);
        tcp.be16(dst.port);
        tcp.be32(src.seq);
        tcp.be32((flags & kAck) ? dst.seq : 0);
        tcp.u8(5 << 4);
        tcp.u8(flags);
        tcp.be16(65535);
        tcp.be16(0);  // checksum, below
        tcp.be16(0);
        tcp.raw(payload);
        const auto length = static_cast<uint32_t>(tcp.size());
        // RFC 793 §3.1 / RFC 8200 §8.1: the TCP checksum covers a pseudo-header.
        const size_t addressSize = flow.ipVersion == 6 ? 16 : 4;
        ByteWriter pseudo;
        pseudo.raw(std::span<const uint8_t>(src.address.data(), addressSize));
        pseudo.raw(std::span<const uint8_t>(dst.address.data(), addressSize));
        pseudo.be32(length);
        pseudo.be32(6);
        uint32_t sum = 0;
        for (size_t i = 0; i < pseudo.size(); i += 2)
            sum += static_cast<uint32_t>((pseudo.bytes()[i] << 8) | pseudo.bytes()[i + 1]);
        const uint16_t c = checksum(tcp.bytes(), sum);
        tcp.bytes()[16] = static_cast<uint8_t>(c >> 8);
        tcp.bytes()[17] = static_cast<uint8_t>(c);
        packet(flow, src, dst, tcp.bytes(), timeUs);
        src.seq += static_cast<uint32_t>(payload.size()) + ((flags & (kSyn | kFin)) ? 1 : 0);
    }

    // `bytes` from side `from`, split into segments.
    void data(Flow& flow, int from, std::span<const uint8_t> bytes, int64_t timeUs) {
        for (size_t at = 0; at < bytes.size(); at += kMaxSegment) {
            const auto part = bytes.subspan(at, std::min(kMaxSegment, bytes.size() - at));
            segment(flow, from, kAck | kPsh, part, timeUs);
        }
    }

    bool flush(bool force) {
        if (!force && out_.size() < kFlushSize) return true;
        const bool ok = write_(out_.bytes());
        out_.clear();
        return ok;
    }

private:
    static void option(ByteWriter& w, uint16_t code, std::string_view value) {
        w.le16(code);
        w.le16(static_cast<uint16_t>(value.size()));
        w.raw(value);
        w.zeros((4 - value.size() % 4) % 4);
    }

    void block(uint32_t type, std::span<const uint8_t> body) {
        const auto total = static_cast<uint32_t>(12 + body.size());
        out_.le32(type);
        out_.le32(total);
        out_.raw(body);
        out_.le32(total);
    }

    void packet(const Flow& flow, const Endpoint& src, const Endpoint& dst, std::span<const uint8_t> tcp,
                int64_t timeUs) {
        ByteWriter ip;
        if (flow.ipVersion == 6) {
            ip.be32(0x60000000);
            ip.be16(static_cast<uint16_t>(tcp.size()));
            ip.u8(6);
            ip.u8(64);
            ip.raw(src.address);
            ip.raw(dst.address);
        } else {
            ip.u8(0x45);
            ip.u8(0);
            ip.be16(static_cast<uint16_t>(20 + tcp.size()));
            ip.be16(ipId_++);
            ip.be16(0x4000);  // don't fragment
            ip.u8(64);
            ip.u8(6);
            ip.be16(0);
            ip.raw(std::span<const uint8_t>(src.address.data(), 4));
            ip.raw(std::span<const uint8_t>(dst.address.data(), 4));
            const uint16_t c = checksum(ip.bytes());
            ip.bytes()[10] = static_cast<uint8_t>(c >> 8);
            ip.bytes()[11] = static_cast<uint8_t>(c);
        }
        const size_t length = ip.size() + tcp.size();
        const auto ts = static_cast<uint64_t>(std::max<int64_t>(timeUs, 0));
        const size_t padding = (4 - length % 4) % 4;
        const auto total = static_cast<uint32_t>(32 + length + padding);
        out_.le32(0x00000006);
        out_.le32(total);
        out_.le32(0);  // interface 0
        out_.le32(static_cast<uint32_t>(ts >> 32));
        out_.le32(static_cast<uint32_t>(ts));
        out_.le32(static_cast<uint32_t>(length));
        out_.le32(static_cast<uint32_t>(length));
        out_.raw(ip.bytes());
        out_.raw(tcp);
        out_.zeros(padding);
        out_.le32(total);
    }

    const ChunkWriter& write_;
    ByteWriter out_;
    uint16_t ipId_ = 1;
};

std::string_view headOf(std::string_view text) {
    const size_t end = text.find("\r\n\r\n");
    return end == std::string_view::npos ? text : text.substr(0, end + 4);
}

std::string withHeadEnd(std::string_view text) {
    std::string out(text);
    if (out.find("\r\n\r\n") == std::string::npos) {
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
            out.pop_back();
        out += "\r\n\r\n";
    }
    return out;
}

Direction clientDirectionOf(const CaptureStore& store, const RowSet& rows, uint32_t id) {
    const size_t count = rows.count(store);
    for (size_t i = 0; i < count; ++i) {
        const CaptureRecord& r = store.record(rows.at(i));
        if (r.connectionId != id) continue;
        if (r.kind == RecordKind::HandshakeRequest) return r.direction;
        if (r.kind == RecordKind::HandshakeResponse) {
            return r.direction == Direction::Outgoing ? Direction::Incoming : Direction::Outgoing;
        }
        if (r.kind == RecordKind::Frame && r.masked()) return r.direction;
    }
    return Direction::Outgoing;
}

Flow makeFlow(const CaptureStore& store, const RowSet& rows, uint32_t id,
              const std::vector<CapturedConnection>& known) {
    Flow flow;
    const auto it = std::find_if(known.begin(), known.end(),
                                 [id](const CapturedConnection& c) { return c.connectionId == id; });
    if (it != known.end() && it->ipVersion != 0) {
        flow.ipVersion = it->ipVersion;
        flow.side[0].address = it->clientAddress;
        flow.side[1].address = it->serverAddress;
        flow.side[0].port = it->clientPort;
        flow.side[1].port = it->serverPort;
        flow.clientToServer = it->clientToServer;
    } else {
        flow.side[0].address = {127, 0, 0, 1};
        flow.side[1].address = {127, 0, 0, 1};
        flow.side[0].port = static_cast<uint16_t>(40000 + id % 20000);
        flow.side[1].port = 80;
        flow.clientToServer = clientDirectionOf(store, rows, id);
    }
    flow.side[0].seq = 1000 + id * 7919u;
    flow.side[1].seq = 5000 + id * 104729u;
    return flow;
}

bool anyCompressed(const CaptureStore& store, const RowSet& rows, uint32_t id) {
    const size_t count = rows.count(store);
    for (size_t i = 0; i < count; ++i) {
        const CaptureRecord& r = store.record(rows.at(i));
        if (r.connectionId == id && !r.isNote() && r.rsv1()) return true;
    }
    return false;
}

// Writes the upgrade when a frame comes before the captured handshake (or the capture has none).
void ensureUpgrade(PcapngWriter& w, Flow& flow, bool deflate, int64_t timeUs) {
    if (!flow.requestSent) {
        std::string request =
            "GET / HTTP/1.1\r\nHost: framescope.invalid\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n";
        if (deflate) request += "Sec-WebSocket-Extensions: permessage-deflate\r\n";
        request += "\r\n";
        w.data(flow, 0, {reinterpret_cast<const uint8_t*>(request.data()), request.size()}, timeUs);
        flow.requestSent = true;
    }
    if (!flow.responseSent) {
        std::string response =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
        if (deflate) response += "Sec-WebSocket-Extensions: permessage-deflate\r\n";
        response += "\r\n";
        w.data(flow, 1, {reinterpret_cast<const uint8_t*>(response.data()), response.size()}, timeUs);
        flow.responseSent = true;
    }
}

void writeNoteRow(PcapngWriter& w, Flow& flow, const CaptureRecord& r, std::string_view text) {
    const bool request = r.kind == RecordKind::HandshakeRequest;
    if (request ? flow.requestSent : flow.responseSent) return;
    const std::string head = withHeadEnd(headOf(text));
    w.data(flow, request ? 0 : 1, {reinterpret_cast<const uint8_t*>(head.data()), head.size()},
           r.timestampUs);
    (request ? flow.requestSent : flow.responseSent) = true;
}

// Header, then the payload masked again with its key, in pieces of at most kPiece bytes (a payload cut by the
// capture's cap is padded with zeros to its captured length, so that the stream stays in step; memory stays
// bounded whatever length a file claims).
void writeFrameRow(PcapngWriter& w, Flow& flow, const CaptureStore& store, size_t row,
                   std::vector<uint8_t>& bytes) {
    constexpr size_t kPiece = size_t{1} << 20;
    const CaptureRecord& r = store.record(row);
    const std::span<const uint8_t> payload = store.payload(row);
    const int from = r.direction == flow.clientToServer ? 0 : 1;
    bytes.assign(r.rawHeader.begin(), r.rawHeader.begin() + r.rawHeaderSize);
    const uint64_t total = std::max<uint64_t>(r.payloadLength, payload.size());
    uint64_t done = 0;
    do {
        const size_t start = bytes.size();
        const size_t n = static_cast<size_t>(std::min<uint64_t>(total - done, kPiece));
        bytes.resize(start + n, 0);
        if (done < payload.size()) {
            const size_t copied = std::min<size_t>(n, payload.size() - static_cast<size_t>(done));
            std::copy_n(payload.begin() + static_cast<std::ptrdiff_t>(done), copied, bytes.begin() + start);
        }
        if (r.masked()) applyMask(bytes.data() + start, n, r.maskKey, static_cast<size_t>(done % 4));
        w.data(flow, from, bytes, r.timestampUs);
        done += n;
        bytes.clear();
    } while (done < total);
}

}  // namespace

FormatResult writePcapng(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write) {
    PcapngWriter w(write);
    w.header();
    const std::vector<CapturedConnection> known = store.connections();
    std::map<uint32_t, Flow> flows;
    std::vector<uint8_t> bytes;
    const size_t count = rows.count(store);
    uint64_t written = 0;
    for (size_t i = 0; i < count; ++i) {
        const size_t row = rows.at(i);
        const CaptureRecord& r = store.record(row);
        if (r.kind == RecordKind::Status) continue;
        auto [it, opened] = flows.try_emplace(r.connectionId);
        Flow& flow = it->second;
        if (opened) {
            flow = makeFlow(store, rows, r.connectionId, known);
            w.segment(flow, 0, kSyn, {}, r.timestampUs);
            w.segment(flow, 1, kSyn | kAck, {}, r.timestampUs);
            w.segment(flow, 0, kAck, {}, r.timestampUs);
        }
        flow.lastUs = r.timestampUs;
        if (r.isNote()) {
            writeNoteRow(w, flow, r, store.noteText(row));
        } else {
            if (!flow.requestSent || !flow.responseSent)
                ensureUpgrade(w, flow, anyCompressed(store, rows, r.connectionId), r.timestampUs);
            writeFrameRow(w, flow, store, row, bytes);
        }
        ++written;
        if (!w.flush(false)) return FormatResult::failure("Cannot write the pcapng file.");
    }
    for (auto& [id, flow] : flows) {
        w.segment(flow, 0, kFin | kAck, {}, flow.lastUs);
        w.segment(flow, 1, kFin | kAck, {}, flow.lastUs);
        w.segment(flow, 0, kAck, {}, flow.lastUs);
    }
    if (!w.flush(true)) return FormatResult::failure("Cannot write the pcapng file.");
    return {true, {}, written};
}

}  // namespace framescope::app
