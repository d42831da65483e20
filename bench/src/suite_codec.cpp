// The rows of the reference report: message write/read/roundtrip, frame read/write/roundtrip, masking and
// the accept key. Every read and write row reuses its buffers, as a connection does in steady state.
#include <cstring>
#include <string>

#include "framescope/bench/accept_key.h"
#include "framescope/crypto.h"
#include "framescope/frame.h"
#include "framescope/mask.h"
#include "framescope/secure_random.h"
#include "framescope/session.h"
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

// Feeds `wire` to `session` and drains its events; returns the message payload's first byte address.
const uint8_t* readMessage(Session& session, const std::vector<uint8_t>& wire) {
    session.receive(wire);
    const uint8_t* message = nullptr;
    Event event;
    while (session.nextEvent(event)) {
        if (event.kind == EventKind::Message) message = event.payload.data();
    }
    return message;
}

void runMessageWrite(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    Session server(serverOptions());
    ByteBuffer out;
    result.figures = measure(context.config, result.size, [&] {
        out.clear();
        server.sendBinary(payload, out);
        doNotOptimize(out.data());
    });
    result.baseline = comparison("memcpy", measureMemcpy(context.config, result.size), result.figures);
    measureCodecPeers(context.config, {PeerOp::WriteMessage, result.size, payload}, result);
}

void runMessageRead(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> wire = maskedMessage(binaryPayload(result.size));
    Session server(serverOptions());
    result.figures = measure(context.config, result.size, [&] { doNotOptimize(readMessage(server, wire)); });
    result.baseline = comparison("memcpy", measureMemcpy(context.config, result.size), result.figures);
    measureCodecPeers(context.config, {PeerOp::ReadMessage, result.size, wire}, result);
}

void runMessageRoundtrip(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    Session client{SessionOptions{}};
    Session server(serverOptions());
    ByteBuffer toServer;
    ByteBuffer toClient;
    result.figures = measure(context.config, result.size, [&] {
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
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    const std::vector<uint8_t> wire = maskedMessage(payload);
    std::vector<uint8_t> out(result.size);
    result.figures = measure(context.config, result.size, [&] {
        doNotOptimize(readFrame(wire, out.data()));
        clobberMemory();
    });
    result.baseline = comparison("memcpy", measureMemcpy(context.config, result.size), result.figures);
    measureCodecPeers(context.config, {PeerOp::FrameRead, result.size, wire}, result);
}

void runFrameWrite(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    SecureRandom random;
    ByteBuffer out;
    result.figures = measure(context.config, result.size, [&] {
        out.clear();
        writeFrame(payload, random, out);
        doNotOptimize(out.data());
    });
    result.baseline = comparison("memcpy", measureMemcpy(context.config, result.size), result.figures);
    measureCodecPeers(context.config, {PeerOp::FrameWrite, result.size, payload}, result);
}

void runFrameRoundtrip(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> payload = binaryPayload(result.size);
    SecureRandom random;
    ByteBuffer wire;
    std::vector<uint8_t> out(result.size);
    result.figures = measure(context.config, result.size, [&] {
        wire.clear();
        writeFrame(payload, random, wire);
        doNotOptimize(readFrame(wire.view(), out.data()));
        clobberMemory();
    });
}

void runMask(RowContext& context, BenchResult& result) {
    std::vector<uint8_t> data = binaryPayload(result.size);
    result.figures = measure(context.config, result.size, [&] {
        applyMask(data.data(), data.size(), kKey);
        clobberMemory();
    });
    result.baseline = comparison("memcpy", measureMemcpy(context.config, result.size), result.figures);
    measureCodecPeers(context.config, {PeerOp::Mask, result.size, data}, result);
}

void runAcceptKey(RowContext& context, BenchResult& result) {
    constexpr std::string_view kClientKey = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3
    char accept[kAcceptKeySize];
    result.figures = measure(context.config, 0, [&] {
        framescope::computeAcceptKey(kClientKey, accept);
        clobberMemory();
    });
    const std::vector<uint8_t> input(60, 'k');  // the 24-character key and the 36-character GUID
    const Figures sha1 = measure(context.config, 0, [&] { doNotOptimize(framescope::sha1(input)); });
    result.baseline = comparison("sha1 60 B", sha1, result.figures);
    measureCodecPeers(context.config, {PeerOp::AcceptKey, 0, {kClientKey.begin(), kClientKey.end()}}, result);
}

void addRow(std::vector<RowSpec>& rows, const char* suite, const char* caseName, size_t size,
            void (*run)(RowContext&, BenchResult&)) {
    rows.push_back({suite, caseName, sizeLabel(size), size, 0, run});
}

}  // namespace

void addCodecRows(std::vector<RowSpec>& rows) {
    addRow(rows, "message", "write", 1024, runMessageWrite);
    addRow(rows, "message", "read-masked", 1024, runMessageRead);
    addRow(rows, "message", "roundtrip", 1024, runMessageRoundtrip);
    for (const size_t size : kFrameSizes)
        addRow(rows, "frame", "read-masked", size, runFrameRead);
    for (const size_t size : kFrameSizes)
        addRow(rows, "frame", "write-masked", size, runFrameWrite);
    addRow(rows, "frame", "roundtrip", 1024, runFrameRoundtrip);
    for (const size_t size : kMaskSizes)
        addRow(rows, "mask", "in-place", size, runMask);
    rows.push_back({"handshake", "accept-key", "60 B", 0, 0, runAcceptKey});
}

}  // namespace framescope::bench
