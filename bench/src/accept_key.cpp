#include "framescope/bench/accept_key.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace framescope::bench {
namespace {
constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";  // RFC 6455 §1.3
}

std::string computeAcceptKey(std::string_view key) {
    // A real key is 24 characters (RFC 6455 §4.1); longer ones take the heap.
    std::string longInput;
    unsigned char stackInput[128];
    const unsigned char* input = stackInput;
    const size_t size = key.size() + kGuid.size();
    if (size <= sizeof stackInput) {
        std::memcpy(stackInput, key.data(), key.size());
        std::memcpy(stackInput + key.size(), kGuid.data(), kGuid.size());
    } else {
        longInput.append(key).append(kGuid);
        input = reinterpret_cast<const unsigned char*>(longInput.data());
    }
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(input, size, digest);
    unsigned char encoded[32];  // base64 of 20 bytes: 28 characters and a NUL
    const int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
    return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length));
}

void sha1Digest(const uint8_t* data, size_t size, uint8_t (&digest)[20]) noexcept {
    SHA1(data, size, digest);
}

}  // namespace framescope::bench
