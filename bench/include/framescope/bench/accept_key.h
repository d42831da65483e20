// Sec-WebSocket-Accept (RFC 6455 §4.2.2): base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
// A stand-in with the signature of core's coming framescope/crypto.h computeAcceptKey(); when that lands,
// this header becomes a using-declaration of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace framescope::bench {

std::string computeAcceptKey(std::string_view key);

// The accept row's baseline: one SHA-1 over `size` bytes.
void sha1Digest(const uint8_t* data, size_t size, uint8_t (&digest)[20]) noexcept;

}  // namespace framescope::bench
