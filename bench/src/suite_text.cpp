// Beyond the reference report: UTF-8 validation by size, permessage-deflate compress and inflate, and reads
// of fragmented messages (reassembly).
#include <cstring>

#include "framescope/deflate.h"
#include "framescope/session.h"
#include "framescope/utf8.h"
#include "suite_rows.h"

namespace framescope::bench {
namespace {

constexpr size_t kUtf8Sizes[] = {64, 1024, 65536, 1u << 20};
constexpr size_t kDeflateSizes[] = {1024, 65536};
constexpr int kWindowBits = 15;

struct FragmentedCase {
    size_t size;
    size_t frames;
};
constexpr FragmentedCase kFragmented[] = {{4096, 4}, {65536, 16}, {1u << 20, 16}};

void runUtf8(RowContext& context, BenchResult& result, const std::vector<uint8_t>& text) {
    const Batch ours = loopOf([&] { doNotOptimize(isValidUtf8(text)); });
    const PeerInput peers{PeerOp::Utf8, result.size, text};
    measureRow(context, result, ours, {{"memcpy", memcpyBatch(result.size), false}}, &peers);
}

void runUtf8Ascii(RowContext& context, BenchResult& result) {
    runUtf8(context, result, asciiText(result.size));
}
void runUtf8Multi(RowContext& context, BenchResult& result) {
    runUtf8(context, result, multiByteText(result.size));
}

// No context takeover on either side, so every message compresses the same way (the steady state of a
// connection that negotiated it; with takeover, repeating one message would compress to almost nothing).
void runDeflate(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> text = asciiText(result.size);
    MessageDeflater deflater(kWindowBits, true);
    ByteBuffer out;
    const Batch ours = loopOf([&] {
        out.clear();
        deflater.compress(text, out);
        doNotOptimize(out.data());
    });
    measureRow(context, result, ours, {}, nullptr);
}

void runInflate(RowContext& context, BenchResult& result) {
    const std::vector<uint8_t> text = asciiText(result.size);
    MessageDeflater deflater(kWindowBits, true);
    ByteBuffer compressed;
    deflater.compress(text, compressed);
    MessageInflater inflater(kWindowBits, true);
    ByteBuffer out;
    const Batch ours = loopOf([&] {
        out.clear();
        inflater.inflate(compressed.view(), out, text.size());
        inflater.finishMessage(out, text.size());
        doNotOptimize(out.data());
    });
    measureRow(context, result, ours, {}, nullptr);
}

void runFragmentedRead(RowContext& context, BenchResult& result, size_t frames) {
    SendOptions send;
    send.fragmentSize = result.size / frames;
    Session client{SessionOptions{}};
    ByteBuffer wire;
    client.sendBinary(binaryPayload(result.size), wire, send);
    SessionOptions options;
    options.role = Role::Server;
    Session server(options);
    const Batch ours = loopOf([&] {
        server.receive(wire.view());
        Event event;
        while (server.nextEvent(event))
            doNotOptimize(event.payload.data());
    });
    measureRow(context, result, ours, {{"memcpy", memcpyBatch(result.size), false}}, nullptr);
}

const RowContract kUtf8 = {"N bytes of valid UTF-8 text", "valid or not",
                           "RFC 3629: no overlong forms, surrogates or code points above U+10FFFF"};
const RowContract kCompress = {"a text message", "its permessage-deflate payload (no context takeover)",
                               "none", true};
const RowContract kInflate = {"a permessage-deflate payload (no context takeover)",
                              "the message inflated into a reused buffer", "the inflated size limit", true};
const RowContract kFragmentedRead = {"one masked binary message in K frames",
                                     "the whole message, reassembled",
                                     "header and continuation rules per frame, unmasking, reassembly", true};

}  // namespace

void addTextRows(std::vector<RowSpec>& rows) {
    for (const size_t size : kUtf8Sizes)
        rows.push_back({"utf8", "ascii", sizeLabel(size), size, 0, kUtf8, runUtf8Ascii});
    for (const size_t size : kUtf8Sizes)
        rows.push_back({"utf8", "multibyte", sizeLabel(size), size, 0, kUtf8, runUtf8Multi});
    for (const size_t size : kDeflateSizes) {
        rows.push_back({"deflate", "compress", sizeLabel(size), size, 0, kCompress, runDeflate});
        rows.push_back({"deflate", "inflate", sizeLabel(size), size, 0, kInflate, runInflate});
    }
    for (const FragmentedCase& fragmented : kFragmented) {
        const size_t frames = fragmented.frames;
        rows.push_back({"message", "read-fragmented",
                        sizeLabel(fragmented.size) + " x" + std::to_string(frames) + " frames",
                        fragmented.size, 0, kFragmentedRead,
                        [frames](RowContext& context, BenchResult& result) {
                            runFragmentedRead(context, result, frames);
                        }});
    }
}

}  // namespace framescope::bench
