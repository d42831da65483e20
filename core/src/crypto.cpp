// SHA-1 through a cached EVP_MD and a per-thread reusable EVP_MD_CTX (SHA1() in OpenSSL 3 fetches the
// algorithm and allocates a context on every call, three times slower for a 60-byte input).
#include "framescope/crypto.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace framescope {
namespace {

struct DigestContext {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

const EVP_MD* sha1Algorithm() {
    static const EVP_MD* const md = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr);
        return fetched != nullptr ? fetched : EVP_sha1();
    }();
    return md;
}

void sha1Into(const uint8_t* data, size_t size, uint8_t* out) {
    thread_local DigestContext context;
    unsigned int length = 0;
    if (context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, sha1Algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(context.ctx, data, size) != 1 ||
        EVP_DigestFinal_ex(context.ctx, out, &length) != 1 || length != kSha1Size) {
        std::abort();  // libcrypto without SHA-1: nothing sensible is left to do
    }
}

// Alphabet check for one character; '=' is handled by the caller.
bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

Sha1Digest sha1(std::span<const uint8_t> data) {
    Sha1Digest digest;
    sha1Into(data.data(), data.size(), digest.data());
    return digest;
}

Sha1Digest sha1(std::string_view data) {
    return sha1(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

std::string base64Encode(std::span<const uint8_t> data) {
    if (data.empty()) return {};
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock writes a NUL
    // EVP_EncodeBlock takes an int length; split very large inputs at a multiple of 3.
    constexpr size_t kChunk = 3 * (1u << 28);
    size_t written = 0;
    for (size_t offset = 0; offset < data.size(); offset += kChunk) {
        const size_t n = std::min(kChunk, data.size() - offset);
        written += static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                                       data.data() + offset, static_cast<int>(n)));
    }
    out.resize(written);
    return out;
}

std::string base64Encode(std::string_view data) {
    return base64Encode(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

std::optional<std::vector<uint8_t>> base64Decode(std::string_view text) {
    // RFC 4648 §3.3: reject characters outside the alphabet; §3.2: padding is required here.
    if (text.size() % 4 != 0 || text.size() > (1u << 30)) return std::nullopt;
    if (text.empty()) return std::vector<uint8_t>{};
    size_t padding = 0;
    if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < text.size() - padding; ++i) {
        if (!isBase64Char(text[i])) return std::nullopt;
    }
    std::vector<uint8_t> out(text.size() / 4 * 3);
    // EVP_DecodeBlock ignores padding: it returns whole 3-byte groups, so we trim `padding` bytes.
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0 || static_cast<size_t>(n) != out.size()) return std::nullopt;
    out.resize(out.size() - padding);
    return out;
}

void computeAcceptKey(std::string_view clientKey, char (&out)[kAcceptKeySize]) {
    constexpr size_t kStackInput = 256;
    Sha1Digest digest;
    if (clientKey.size() + kWebSocketGuid.size() <= kStackInput) {
        uint8_t input[kStackInput];
        std::memcpy(input, clientKey.data(), clientKey.size());
        std::memcpy(input + clientKey.size(), kWebSocketGuid.data(), kWebSocketGuid.size());
        sha1Into(input, clientKey.size() + kWebSocketGuid.size(), digest.data());
    } else {
        std::string input;
        input.reserve(clientKey.size() + kWebSocketGuid.size());
        input.append(clientKey).append(kWebSocketGuid);
        digest = sha1(input);
    }
    unsigned char encoded[kAcceptKeySize + 1];  // + the NUL EVP_EncodeBlock writes
    EVP_EncodeBlock(encoded, digest.data(), static_cast<int>(digest.size()));
    std::memcpy(out, encoded, kAcceptKeySize);
}

std::string computeAcceptKey(std::string_view clientKey) {
    char out[kAcceptKeySize];
    computeAcceptKey(clientKey, out);
    return std::string(out, kAcceptKeySize);
}

}  // namespace framescope
