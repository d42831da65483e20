// Session file layout (all integers little-endian; docs/capture-files.md has the full table):
//   file header: "FSCAP\r\n\x1a" (8 bytes), u32 version, u32 reserved (0)
//   records:     u8 tag, u32 body size, body         (tags: 1 frame, 2 note, 3 connection; unknown: skipped)
//   A proxy's relayed frame ends its body with u32 connection + u64 message index of what it relays.
// Bodies have fixed fields followed by length-prefixed byte strings; a reader checks every length against
// the body it sits in, so a damaged record can never make it read past the file.
#include "capture/format_session.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "capture/byte_io.h"

namespace framescope::app {

namespace {

constexpr uint8_t kMagic[8] = {'F', 'S', 'C', 'A', 'P', '\r', '\n', 0x1a};
constexpr size_t kFileHeaderSize = 16;
constexpr size_t kFlushSize = size_t{1} << 20;

enum Tag : uint8_t { kTagFrame = 1, kTagNote = 2, kTagConnection = 3 };

namespace bit {
constexpr uint8_t kFin = 1, kRsv1 = 2, kRsv2 = 4, kRsv3 = 8, kMasked = 16, kEnds = 32, kCompressed = 64,
                  kCrafted = 128;
}

// The direction byte: bit 0 the direction (1 outgoing), bits 1-2 the proxy leg (0 none, 1 client,
// 2 upstream). Files without a proxy have 0 or 1 there, as before legs existed.
uint8_t directionByte(Direction direction, Leg leg) {
    return static_cast<uint8_t>((direction == Direction::Outgoing ? 1 : 0) |
                                (static_cast<uint8_t>(leg) << 1));
}

uint8_t frameBits(const CaptureRecord& r) {
    uint8_t b = 0;
    if (r.fin()) b |= bit::kFin;
    if (r.rsv1()) b |= bit::kRsv1;
    if (r.rsv2()) b |= bit::kRsv2;
    if (r.rsv3()) b |= bit::kRsv3;
    if (r.masked()) b |= bit::kMasked;
    if (r.endsMessage()) b |= bit::kEnds;
    if (r.compressed()) b |= bit::kCompressed;
    if (r.crafted()) b |= bit::kCrafted;
    return b;
}

void writeFrame(ByteWriter& w, const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    const std::span<const uint8_t> payload = store.payload(row);
    const std::span<const uint8_t> inflated = store.inflated(row);
    const MessageSizes sizes = store.messageSizes(row);
    const std::string_view violation = r.violation ? std::string_view(r.violation) : std::string_view();
    w.u8(kTagFrame);
    const size_t sizeAt = w.size();
    w.le32(0);
    w.le64(static_cast<uint64_t>(r.timestampUs));
    w.le32(r.connectionId);
    w.u8(directionByte(r.direction, r.leg));
    w.u8(frameBits(r));
    w.u8(r.opcode);
    w.u8(static_cast<uint8_t>(r.lengthEncoding));
    w.u8(r.headerSize);
    w.raw(std::span<const uint8_t>(r.maskKey.data(), 4));
    w.le64(r.declaredLength);
    w.le64(r.messageIndex);
    w.le16(r.closeCode);
    w.le64(r.payloadLength);
    w.le64(sizes.wireSize);
    w.le64(std::max<uint64_t>(r.compressed() ? sizes.inflatedSize : 0, inflated.size()));
    w.u8(r.rawHeaderSize);
    w.raw(std::span<const uint8_t>(r.rawHeader.data(), r.rawHeaderSize));
    w.le32(static_cast<uint32_t>(payload.size()));
    w.raw(payload);
    w.le32(static_cast<uint32_t>(inflated.size()));
    w.raw(inflated);
    w.le16(static_cast<uint16_t>(std::min<size_t>(violation.size(), UINT16_MAX)));
    w.raw(violation.substr(0, UINT16_MAX));
    if (r.relayed()) {  // a trailing field: readers before it ignore the rest of a frame's body
        if (const std::optional<CaptureStore::RelaySource> source = store.relaySource(row)) {
            w.le32(source->connectionId);
            w.le64(source->messageIndex);
        }
    }
    w.patchLe32(sizeAt, static_cast<uint32_t>(w.size() - sizeAt - 4));
}

uint8_t noteKindCode(RecordKind kind) {
    switch (kind) {
        case RecordKind::HandshakeRequest:
            return 0;
        case RecordKind::HandshakeResponse:
            return 1;
        default:
            return 2;
    }
}

void writeNote(ByteWriter& w, const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    const std::string_view text = store.noteText(row);
    w.u8(kTagNote);
    w.le32(static_cast<uint32_t>(8 + 4 + 1 + 1 + 4 + text.size()));
    w.le64(static_cast<uint64_t>(r.timestampUs));
    w.le32(r.connectionId);
    w.u8(directionByte(r.direction, r.leg));
    w.u8(noteKindCode(r.kind));
    w.le32(static_cast<uint32_t>(text.size()));
    w.raw(text);
}

void writeConnection(ByteWriter& w, const CapturedConnection& c) {
    w.u8(kTagConnection);
    w.le32(4 + 1 + 16 + 16 + 2 + 2 + 1);
    w.le32(c.connectionId);
    w.u8(c.ipVersion);
    w.raw(c.clientAddress);
    w.raw(c.serverAddress);
    w.le16(c.clientPort);
    w.le16(c.serverPort);
    w.u8(c.clientToServer == Direction::Outgoing ? 1 : 0);
}

Direction directionOf(uint8_t code) {
    return (code & 1) != 0 ? Direction::Outgoing : Direction::Incoming;
}

Leg legOf(uint8_t code) {
    const uint8_t leg = (code >> 1) & 3;
    return leg == 1 ? Leg::Client : leg == 2 ? Leg::Upstream : Leg::None;
}

// One frame body. False when the body is inconsistent.
bool readFrame(ByteReader& in, CaptureSink& sink) {
    CapturedFrame f;
    f.timestampUs = static_cast<int64_t>(in.le64());
    f.connectionId = in.le32();
    const uint8_t directionCode = in.u8();
    f.direction = directionOf(directionCode);
    f.leg = legOf(directionCode);
    const uint8_t bits = in.u8();
    FrameHeader& h = f.header;
    h.fin = bits & bit::kFin;
    h.rsv1 = bits & bit::kRsv1;
    h.rsv2 = bits & bit::kRsv2;
    h.rsv3 = bits & bit::kRsv3;
    h.masked = bits & bit::kMasked;
    f.endsMessage = bits & bit::kEnds;
    f.compressed = bits & bit::kCompressed;
    f.crafted = bits & bit::kCrafted;
    h.opcode = in.u8() & 0x0f;
    const uint8_t encoding = in.u8();
    if (encoding > 2) return false;
    h.lengthEncoding = static_cast<LengthEncoding>(encoding);
    h.headerSize = in.u8();
    const auto key = in.bytes(4);
    if (key.size() == 4) std::copy_n(key.begin(), 4, h.maskKey.begin());
    h.payloadLength = in.le64();
    f.messageIndex = in.le64();
    f.closeCode = in.le16();
    f.capturedLength = in.le64();
    f.messageWireSize = in.le64();
    f.inflatedLength = in.le64();
    const uint8_t rawSize = in.u8();
    if (rawSize > kMaxFrameHeaderSize) return false;
    f.rawHeader = in.bytes(rawSize);
    f.payload = in.bytes(in.le32());
    f.inflated = in.bytes(in.le32());
    const auto violation = in.bytes(in.le16());
    if (in.remaining() >= 12) {  // the message of the other leg this frame relays
        f.relayOfConnection = in.le32();
        f.relayOfMessage = in.le64();
    }
    if (in.failed() || f.capturedLength < f.payload.size() || f.inflatedLength < f.inflated.size())
        return false;
    if (!violation.empty()) {
        f.violation = internViolation({reinterpret_cast<const char*>(violation.data()), violation.size()});
    }
    sink.addFrame(f);
    return true;
}

bool readNote(ByteReader& in, CaptureSink& sink) {
    CapturedNote n;
    n.timestampUs = static_cast<int64_t>(in.le64());
    n.connectionId = in.le32();
    const uint8_t directionCode = in.u8();
    n.direction = directionOf(directionCode);
    n.leg = legOf(directionCode);
    const uint8_t kind = in.u8();
    if (kind > 2) return false;
    n.kind = static_cast<NoteKind>(kind);
    const auto text = in.bytes(in.le32());
    if (in.failed()) return false;
    n.text = {reinterpret_cast<const char*>(text.data()), text.size()};
    sink.addNote(n);
    return true;
}

bool readConnection(ByteReader& in, CaptureSink& sink) {
    CapturedConnection c;
    c.connectionId = in.le32();
    c.ipVersion = in.u8();
    const auto client = in.bytes(16);
    const auto server = in.bytes(16);
    c.clientPort = in.le16();
    c.serverPort = in.le16();
    c.clientToServer = directionOf(in.u8());
    if (in.failed() || (c.ipVersion != 0 && c.ipVersion != 4 && c.ipVersion != 6)) return false;
    std::copy(client.begin(), client.end(), c.clientAddress.begin());
    std::copy(server.begin(), server.end(), c.serverAddress.begin());
    sink.addConnection(c);
    return true;
}

}  // namespace

bool looksLikeSessionFile(std::span<const uint8_t> file) noexcept {
    return file.size() >= sizeof kMagic && std::equal(std::begin(kMagic), std::end(kMagic), file.begin());
}

FormatResult writeSessionFile(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write) {
    ByteWriter w;
    w.bytes().reserve(kFlushSize + (64 << 10));
    w.raw(std::span<const uint8_t>(kMagic, sizeof kMagic));
    w.le32(kSessionFileVersion);
    w.le32(0);
    for (const CapturedConnection& c : store.connections())
        writeConnection(w, c);
    const size_t count = rows.count(store);
    for (size_t i = 0; i < count; ++i) {
        const size_t row = rows.at(i);
        if (store.record(row).isNote()) {
            writeNote(w, store, row);
        } else {
            writeFrame(w, store, row);
        }
        if (w.size() >= kFlushSize) {
            if (!write(w.bytes())) return FormatResult::failure("Cannot write the session file.");
            w.clear();
        }
    }
    if (!write(w.bytes())) return FormatResult::failure("Cannot write the session file.");
    return {true, {}, count};
}

FormatResult readSessionFile(std::span<const uint8_t> file, CaptureSink& sink) {
    if (!looksLikeSessionFile(file) || file.size() < kFileHeaderSize)
        return FormatResult::failure(
            "This is not a FrameScope session file (its first bytes are not FSCAP).");
    ByteReader header(file.subspan(sizeof kMagic, 8));
    const uint32_t version = header.le32();
    if (version != kSessionFileVersion) {
        return FormatResult::failure("This session file has version " + std::to_string(version) +
                                     "; this FrameScope reads version 1.");
    }
    ByteReader in(file.subspan(kFileHeaderSize));
    uint64_t rows = 0;
    while (!in.atEnd()) {
        const size_t offset = kFileHeaderSize + in.position();
        const uint8_t tag = in.u8();
        ByteReader body(in.bytes(in.le32()));
        bool ok = !in.failed();
        if (ok && tag == kTagFrame) {
            ok = readFrame(body, sink);
            rows += ok;
        } else if (ok && tag == kTagNote) {
            ok = readNote(body, sink);
            rows += ok;
        } else if (ok && tag == kTagConnection) {
            ok = readConnection(body, sink);
        }
        if (!ok) {
            FormatResult result =
                FormatResult::failure("The session file is damaged at byte " + std::to_string(offset) +
                                      " (a record " + (in.failed() ? "is cut short" : "does not parse") +
                                      "); " + std::to_string(rows) + " rows before it were read.");
            result.rows = rows;
            return result;
        }
    }
    return {true, {}, rows};
}

}  // namespace framescope::app
