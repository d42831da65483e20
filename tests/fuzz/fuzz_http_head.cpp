// libFuzzer target for the HTTP head of the server handshake, aimed at the Host header (RFC 7230 §5.4).
// First byte odd: the rest is a Host value (up to the first newline) placed in an otherwise valid
// upgrade request, followed by any extra header lines. Even: the rest is a whole request head.
// Either way a 101 is only allowed with exactly one Host that the grammar accepts, and a refusal
// always carries a 4xx status.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "framescope/handshake.h"
#include "framescope/http_head.h"

using namespace framescope;

namespace {

std::string templated(std::string_view input) {
    const size_t newline = input.find('\n');
    const std::string_view host = input.substr(0, newline);
    const std::string_view extra = newline == std::string_view::npos ? "" : input.substr(newline + 1);
    std::string request = "GET /chat HTTP/1.1\r\nHost: ";
    request.append(host);
    request +=
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    request.append(extra);
    request += "\r\n";
    return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string request = (data[0] & 1) ? templated(input) : std::string(input);
    ServerHandshake server(ServerHandshakeOptions{});
    const size_t piece = size_t(data[0] >> 1) + 1;
    for (size_t offset = 0; offset < request.size(); offset += piece) {
        const HandshakeStep step = server.receive(std::string_view(request).substr(offset, piece));
        if (step.state != HandshakeState::InProgress) break;
    }
    if (server.state() == HandshakeState::Succeeded) {
        const auto host = server.headers().first("Host");
        if (server.headers().count("Host") != 1 || !host || !isValidHostHeader(*host)) __builtin_trap();
        if (server.responseStatus() != 101) __builtin_trap();
    } else if (server.state() == HandshakeState::Failed) {
        if (server.responseStatus() < 400 || server.responseStatus() > 499) __builtin_trap();
    }
    return 0;
}
