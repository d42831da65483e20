// libFuzzer target for the opening handshake parsers: the first byte picks the role and the piece size;
// the rest is fed as the peer's HTTP head (and whatever follows it).
#include <cstddef>
#include <cstdint>

#include "framescope/handshake.h"

using namespace framescope;

namespace {

template <typename Handshake>
void feedInPieces(Handshake& handshake, const uint8_t* data, size_t size, size_t piece) {
    for (size_t offset = 0; offset < size; offset += piece) {
        const size_t n = std::min(piece, size - offset);
        const HandshakeStep step = handshake.receive(std::span<const uint8_t>(data + offset, n));
        if (step.state != HandshakeState::InProgress) return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t selector = data[0];
    const size_t piece = size_t(selector >> 2) + 1;
    if (selector & 1) {
        ServerHandshakeOptions options;
        options.subprotocols = {"chat", "superchat"};
        options.deflate.enabled = (selector & 2) != 0;
        ServerHandshake server(options);
        feedInPieces(server, data + 1, size - 1, piece);
    } else {
        ClientHandshakeOptions options;
        options.host = "example.com";
        options.subprotocols = {"chat"};
        if (selector & 2) options.deflate = DeflateOffer{};
        const std::array<uint8_t, 16> nonce{'t', 'h', 'e', ' ', 's', 'a', 'm', 'p',
                                            'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};
        ClientHandshake client(options, nonce);
        feedInPieces(client, data + 1, size - 1, piece);
    }
    return 0;
}
