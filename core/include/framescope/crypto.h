// SHA-1 and Base64 from OpenSSL's libcrypto, and the RFC 6455 §4.2.2 Sec-WebSocket-Accept computation.
// Pure functions; safe to call from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace framescope {

inline constexpr size_t kSha1Size = 20;
using Sha1Digest = std::array<uint8_t, kSha1Size>;

// SHA-1 of `data`. Allocation-free after the first call on a thread. Aborts if libcrypto cannot provide
// SHA-1 at all (no handshake is possible without it).
Sha1Digest sha1(std::span<const uint8_t> data);
Sha1Digest sha1(std::string_view data);

// Standard Base64 (RFC 4648 §4) with '=' padding, no line breaks.
std::string base64Encode(std::span<const uint8_t> data);
std::string base64Encode(std::string_view data);

// Strict decoding: length a multiple of 4, alphabet characters only, at most two '=' and only at the end,
// no whitespace. Returns nullopt otherwise.
std::optional<std::vector<uint8_t>> base64Decode(std::string_view text);

// The GUID appended to the client's key (RFC 6455 §1.3).
inline constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
inline constexpr size_t kAcceptKeySize = 28;  // base64 of a 20-byte digest

// base64(sha1(clientKey + GUID)) (RFC 6455 §4.2.2) written into `out` (not NUL-terminated).
// No heap allocation for keys up to 220 bytes (a real key is 24).
void computeAcceptKey(std::string_view clientKey, char (&out)[kAcceptKeySize]);
std::string computeAcceptKey(std::string_view clientKey);

}  // namespace framescope
