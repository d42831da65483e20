// Cryptographically strong random bytes, drawn in batches so that a fresh masking key per frame (RFC 6455
// §5.3) costs a copy. The batches are an AES-256-CTR keystream keyed from OpenSSL's CSPRNG (RAND_bytes) on
// first use and again in a forked child: a steady stream of keys then never allocates (RAND_bytes itself
// reseeds every 65,536 calls, and that allocates). One instance per session; not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "framescope/mask.h"

namespace framescope {

class SecureRandom {
public:
    SecureRandom() = default;
    ~SecureRandom();
    SecureRandom(const SecureRandom&) = delete;
    SecureRandom& operator=(const SecureRandom&) = delete;
    // Fills `out` with strong random bytes. Aborts the process if the CSPRNG fails: continuing with
    // predictable masking keys or handshake nonces would be worse.
    void fill(std::span<uint8_t> out);
    MaskKey nextMaskKey();

private:
    void refill();

    static constexpr size_t kBatch = 1024;
    std::array<uint8_t, kBatch> pool_{};
    size_t used_ = kBatch;
    struct Keystream;
    Keystream* keystream_ = nullptr;  // created on the first refill
    uint64_t keyedInFork_ = 0;        // the fork generation the keystream was keyed in
};

}  // namespace framescope
