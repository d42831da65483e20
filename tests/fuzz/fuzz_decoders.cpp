// libFuzzer target for the application-protocol decoders. The first byte picks the decoder (or automatic
// choice, or the bare JSON and MessagePack readers); the rest is a sequence of messages, each a flags byte
// (bit 0: sent by the server, bit 1: binary, bit 2: start a new decoder first, as a reconnect would) and a
// length byte (255: the rest), so stateful decoders (MQTT, Socket.IO, SignalR) see interleaved directions,
// split packets and restarts. Every result must keep the decoders' promises: an error is exactly one Error
// node, and every span lies inside its message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "framescope/decoders/decoder.h"

using namespace framescope::decoders;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void checkSpans(const Node& node, size_t size) {
    check(size_t(node.span.offset) + node.span.length <= size);
    for (const Node& child : node.children)
        checkSpans(child, size);
}

void checkDecoded(const Decoded& d, size_t size) {
    if (d.error) {
        check(d.root.kind == Node::Kind::Error && d.root.children.empty() && !d.root.value.empty());
    }
    checkSpans(d.root, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const unsigned selector = data[0] % 11;
    const std::span<const uint8_t> rest(data + 1, size - 1);
    if (selector == 10) {
        (void)parseJson(asText(rest));
        size_t consumed = 0;
        if (auto v = readMsgPack(rest, consumed)) {
            std::string out;
            writeMsgPack(out, *v);
            (void)toPrettyJson(*v);
        }
        return 0;
    }
    const Protocol protocol = Protocol(selector);
    std::unique_ptr<ProtocolDecoder> fixed = makeDecoder(protocol);
    ConnectionDecoder automatic;
    size_t pos = 0;
    while (pos + 2 <= rest.size()) {
        const uint8_t flags = rest[pos];
        const size_t declared = rest[pos + 1];
        pos += 2;
        const size_t n = declared == 255 ? rest.size() - pos : std::min(declared, rest.size() - pos);
        const Message m{(flags & 1) ? Sender::Server : Sender::Client, (flags & 2) != 0,
                        rest.subspan(pos, n)};
        pos += n;
        if (flags & 4) {
            fixed = makeDecoder(protocol);
            automatic = ConnectionDecoder();
        }
        checkDecoded(fixed ? fixed->decode(m) : automatic.decode(m), n);
    }
    return 0;
}
