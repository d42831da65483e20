// The rows of the reference report: message write/read/roundtrip, frame read/write/roundtrip, masking and
// the accept key. Every read and write row reuses its buffers, as a connection does in steady state.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "framescope/bench/accept_key.h"
#include "framescope/crypto.h"
#include "framescope/frame.h"
#include "framescope/mask.h"
#include "framescope/secure_random.h"
#include "framescope/session.h"
#include "ideal_xor.h"
#include "suite_rows.h"

namespace framescope::bench {
namespace {

constexpr MaskKey kKey = {0x37, 0xfa, 0x21, 0x3d};  // RFC 6455 §5.7
constexpr size_t kFrameSizes[] = {64, 256, 1024, 4096};
constexpr size_t kMaskSizes[] = {16, 64, 256, 1024, 4096, 16384, 65536, 1u << 20};

SessionOptions serverOptions() {
    SessionOptions options;
    options.role = Role::Server;
    return options;
}

// A client's masked binary message of `payload`, as the server receives it.
std::vector<uint8_t> maskedMessage(const std::vector<uint8_t>& payload, const SendOptions& send = {}) {
    Session client{SessionOptions{}};
    ByteBuffer wire;
    client.sendBinary(payload, wire, send);
    return {wire.data(), wire.data() + wire.size()};
}

// The bytes a read row receives, placed as a receive buffer holds them: from a 64-byte boundary, so a masked
// 1 KiB frame's payload sits 8 bytes in, for ours and for the memcpy baseline alike, in every row and run
// (malloc's placement differed by row). Where the baseline's copy goes: destinationFor().
struct ReceivedBytes {
    std::shared_ptr<uint8_t> storage;
    std::span<const uint8_t> bytes;
};

ReceivedBytes receivedBytes(const std::vector<uint8_t>& wire) {
    std::shared_ptr<uint8_t> storage = alignedCopy(wire);
    const std::span<const uint8_t> bytes(storage.get(), wire.size());
    return {std::move(storage), bytes};
}

// Feeds `wire` to `session` and drains its events; returns the message payload's first byte address.
const uint8_t* readMessage(Session& session, std::span<const uint8_t> wire) {
    session.receive(wire);
    const uint8_t* message = nullptr;
    while (const Event* event = session.nextEventInPlace()) {
        if (event->kind == EventKind::Message) message = event->payload.data();
    }
    return message;
}

// The same for a message row, where ours copies the payload into the session's receive buffer: the bytes
// are also placed half a page (modulo 4096) from where the session puts the payload, as destinationFor()
// places the baseline's copy. Left to malloc, that distance changed from run to run, and reading a 1 KiB
// message took 13.2 ns half a page away and up to 14.8 ns within 256 bytes (4K aliasing). The session's
// place for it depends only on the receive buffer, which keeps its size, and on the bytes' offset within
// 64, which stays 0.
ReceivedBytes receivedBytesFor(Session& session, const std::vector<uint8_t>& wire, size_t payloadSize) {
    const ReceivedBytes probe = receivedBytes(wire);
    readMessage(session, probe.bytes);  // grows the receive buffer to its steady size
    const uint8_t* const copiedTo = readMessage(session, probe.bytes);
    std::shared_ptr<uint8_t> storage = copyHalfAPageFrom(wire, wire.size() - payloadSize, copiedTo);
    const std::span<const uint8_t> bytes(storage.get(), wire.size());
    return {std::move(storage), bytes};
}

// The read rows' baseline: memcpy of the payload (the last `size` bytes of the frame) from where it sits.
Batch memcpyOfPayload(std::span<const uint8_t> wire, size_t size) {
    return memcpyFromBatch(wire.data() + wire.size() - size, size);
}

void runMessageWrite(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    Session server(serverOptions());
    ByteBuffer out;
    const Batch ours = loopOf([&server, &out, data = std::span<const uint8_t>(payload)] {
        out.clear();
        server.sendBinary(data, out);
        doNotOptimize(out.data());
    });
    const PeerInput peers{PeerOp::WriteMessage, result.size, payload};
    measureRow(context, result, ours, {{"memcpy", memcpyBatch(result.size), false}}, &peers);
}

// Messages only (SessionOptions::frameEvents off), as every peer in this row delivers them.
void runMessageRead(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> message = maskedMessage(binaryPayload(result.size));
    SessionOptions options = serverOptions();
    options.frameEvents = false;
    Session server(options);
    const ReceivedBytes received = receivedBytesFor(server, message, result.size);
    const std::span<const uint8_t> wire = received.bytes;
    const Batch ours = loopOf([&server, wire] { doNotOptimize(readMessage(server, wire)); });
    const PeerInput peers{PeerOp::ReadMessage, result.size, message};
    measureRow(context, result, ours, {{"memcpy", memcpyOfPayload(wire, result.size), false}}, &peers);
}

// The same with a Frame event before each Message, as the inspector and a capturing server read them.
void runMessageReadWithFrames(RowContext& context, BenchResult& result) {
    Session server(serverOptions());
    const ReceivedBytes received =
        receivedBytesFor(server, maskedMessage(binaryPayload(result.size)), result.size);
    const std::span<const uint8_t> wire = received.bytes;
    const Batch ours = loopOf([&server, wire] { doNotOptimize(readMessage(server, wire)); });
    measureRow(context, result, ours, {{"memcpy", memcpyOfPayload(wire, result.size), false}}, nullptr);
}

void runMessageRoundtrip(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    Session client{SessionOptions{}};
    Session server(serverOptions());
    ByteBuffer toServer;
    ByteBuffer toClient;
    const Batch ours = loopOf([&] {
        toServer.clear();
        client.sendBinary(payload, toServer);
        server.receive(toServer.view());
        Event event;
        while (server.nextEvent(event)) {
            if (event.kind != EventKind::Message) continue;
            toClient.clear();
            server.sendBinary(event.payload, toClient);
        }
        client.receive(toClient.view());
        while (client.nextEvent(event))
            doNotOptimize(event.payload.data());
    });
    measureRow(context, result, ours, {}, nullptr);
}

// Decodes the header of a masked frame and unmasks its payload into `out`; returns the payload size.
size_t readFrame(std::span<const uint8_t> wire, uint8_t* out) {
    FrameHeader header;
    const HeaderParseResult parsed = parseFrameHeader(wire, header);
    if (parsed.status != ParseStatus::Done) return 0;
    const auto size = static_cast<size_t>(header.payloadLength);
    copyMasked(out, wire.data() + parsed.consumed, size, header.maskKey);
    return size;
}

// Encodes a masked binary frame of `payload` with a fresh key into `out`.
void writeFrame(std::span<const uint8_t> payload, SecureRandom& random, ByteBuffer& out) {
    FrameHeader header;
    header.opcode = opcode::kBinary;
    header.masked = true;
    header.maskKey = random.nextMaskKey();
    header.payloadLength = payload.size();
    header.lengthEncoding = minimalLengthEncoding(payload.size());
    uint8_t* dst = out.prepare(kMaxFrameHeaderSize + payload.size());
    const size_t headerSize = encodeFrameHeader(header, dst);
    copyMasked(dst + headerSize, payload.data(), payload.size(), header.maskKey);
    out.commit(headerSize + payload.size());
}

void runFrameRead(RowContext& context, BenchResult& result) {
    const ReceivedBytes received = receivedBytes(maskedMessage(binaryPayload(result.size)));
    const std::span<const uint8_t> wire = received.bytes;
    const CopyDestination out = destinationFor(wire.data() + wire.size() - result.size, result.size);
    const Batch ours = loopOf([wire, dst = out.data] {
        doNotOptimize(readFrame(wire, dst));
        clobberMemory();
    });
    measureRow(context, result, ours, {{"memcpy", memcpyOfPayload(wire, result.size), false}}, nullptr);
}

void runFrameWrite(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    SecureRandom random;
    ByteBuffer out;
    const Batch ours = loopOf([&random, &out, data = std::span<const uint8_t>(payload)] {
        out.clear();
        writeFrame(data, random, out);
        doNotOptimize(out.data());
    });
    measureRow(context, result, ours, {{"memcpy", memcpyBatch(result.size), false}}, nullptr);
}

void runFrameRoundtrip(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    SecureRandom random;
    ByteBuffer wire;
    std::vector<uint8_t> out(result.size);
    const Batch ours = loopOf([&] {
        wire.clear();
        writeFrame(payload, random, wire);
        doNotOptimize(readFrame(wire.view(), out.data()));
        clobberMemory();
    });
    measureRow(context, result, ours, {}, nullptr);
}

// Ours and the ideal XOR mask the same buffer in place, aligned to the widest vector (alignedCopy()): the
// same memory, moved the same way. With a buffer each, at 1 MiB (this CPU's L2) the two sides' pages fell
// differently in the cache from run to run, and ours measured 0.89x to 1.03x the ideal.
Batch idealXorBatch(const IdealXor& ideal, std::shared_ptr<uint8_t> data, size_t size) {
    return [ideal, data = std::move(data), size](uint64_t iterations) {
        const auto apply = ideal.apply;  // locals stay in registers (see loopOf())
        uint8_t* const bytes = data.get();
        const size_t n = size;
        for (uint64_t i = 0; i < iterations; ++i) {
            apply(bytes, n, kKey);
            clobberMemory();
        }
    };
}

void runMask(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> data = binaryPayload(result.size);
    const std::shared_ptr<uint8_t> aligned = alignedCopy(data);
    const Batch ours = loopOf([bytes = aligned.get(), size = data.size()] {
        applyMask(bytes, size, kKey);
        clobberMemory();
    });
    const IdealXor ideal = idealXorForThisCpu();
    const PeerInput peers{PeerOp::Mask, result.size, data};
    measureRow(context, result, ours,
               {{ideal.name, idealXorBatch(ideal, aligned, result.size), true},
                {"memcpy (moves 2x: reads N here, writes N there)", memcpyBatch(result.size), false}},
               &peers);
}

void runCopyUnmask(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> masked = binaryPayload(result.size);
    const CopyDestination out = destinationFor(masked.data(), masked.size());
    const Batch ours = loopOf([dst = out.data, src = masked.data(), size = masked.size()] {
        copyMasked(dst, src, size, kKey);
        clobberMemory();
    });
    measureRow(context, result, ours, {{"memcpy", memcpyFromBatch(masked.data(), masked.size()), false}},
               nullptr);
}

void runAcceptKey(RowContext& context, BenchResult& result) {
    constexpr std::string_view kClientKey = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3
    char accept[kAcceptKeySize];
    const Batch ours = loopOf([&] {
        framescope::computeAcceptKey(kClientKey, accept);
        clobberMemory();
    });
    const std::vector<uint8_t> input(60, 'k');  // the 24-character key and the 36-character GUID
    const Batch sha1 = loopOf([&] { doNotOptimize(framescope::sha1(input)); });
    const PeerInput peers{PeerOp::AcceptKey, 0, {kClientKey.begin(), kClientKey.end()}};
    measureRow(context, result, ours, {{"sha1 60 B", sha1, false}}, &peers);
}

void addRow(std::vector<RowSpec>& rows, const char* suite, const char* caseName, size_t size,
            void (*run)(RowContext&, BenchResult&), const RowContract& contract) {
    rows.push_back({suite, caseName, sizeLabel(size), size, 0, contract, run});
}

const RowContract kMessageWrite = {"a binary payload (server role: unmasked)",
                                   "one complete frame, header and payload, in a reused buffer",
                                   "none on the way out; the header is encoded as RFC 6455 §5.2 requires"};
const RowContract kMessageRead = {
    "one masked binary message in one frame, as received from a client",
    "the whole message, unmasked, delivered to the caller as one Message event (no Frame events)",
    "header rules (RSV bits, opcode, MASK set, minimal length, size limits), unmasking, message state"};
const RowContract kMessageReadWithFrames = {
    "one masked binary message in one frame, as received from a client",
    "a Frame event (header, raw header bytes, payload) then the Message event, as the inspector reads them",
    "as message/read-masked", true};
const RowContract kMessageRoundtrip = {
    "a binary payload", "the payload back at the client",
    "client write + server read + server write + client read, every check of the read rows", true};
const RowContract kFrameRead = {"one masked frame", "its payload unmasked into another buffer",
                                "the header parse only: no session state, limits or message rules", true};
const RowContract kFrameWrite = {"a payload and a fresh random masking key",
                                 "one masked frame in a reused buffer", "none", true};
const RowContract kFrameRoundtrip = {"a payload", "the payload back, through frame write and frame read",
                                     "as the frame rows", true};
const RowContract kMaskInPlace = {"N bytes and a 4-byte key", "the same N bytes XORed with the key, in place",
                                  "none"};
const RowContract kCopyUnmask = {"N masked bytes and their key", "the N bytes unmasked into another buffer",
                                 "none", true};
const RowContract kAcceptKey = {"a 24-character Sec-WebSocket-Key", "the 28-character Sec-WebSocket-Accept",
                                "none (SHA-1 of key + GUID, Base64)"};

}  // namespace

void addCodecRows(std::vector<RowSpec>& rows) {
    addRow(rows, "message", "write", 1024, runMessageWrite, kMessageWrite);
    addRow(rows, "message", "read-masked", 1024, runMessageRead, kMessageRead);
    addRow(rows, "message", "read-masked-frames", 1024, runMessageReadWithFrames, kMessageReadWithFrames);
    addRow(rows, "message", "roundtrip", 1024, runMessageRoundtrip, kMessageRoundtrip);
    for (const size_t size : kFrameSizes)
        addRow(rows, "frame", "read-masked", size, runFrameRead, kFrameRead);
    for (const size_t size : kFrameSizes)
        addRow(rows, "frame", "write-masked", size, runFrameWrite, kFrameWrite);
    addRow(rows, "frame", "roundtrip", 1024, runFrameRoundtrip, kFrameRoundtrip);
    for (const size_t size : kMaskSizes)
        addRow(rows, "mask", "in-place", size, runMask, kMaskInPlace);
    for (const size_t size : kMaskSizes) {
        if (size >= 64) addRow(rows, "mask", "copy-unmask", size, runCopyUnmask, kCopyUnmask);
    }
    rows.push_back({"handshake", "accept-key", "60 B", 0, 0, kAcceptKey, runAcceptKey});
}

}  // namespace framescope::bench
