// Cryptographically strong random bytes (OpenSSL RAND_bytes), drawn in batches so that a fresh masking
// key per frame (RFC 6455 §5.3) costs a copy, not a system call. One instance per session; not thread-safe.
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
    // Fills `out` with strong random bytes. Aborts the process if the CSPRNG fails: continuing with
    // predictable masking keys or handshake nonces would be worse.
    void fill(std::span<uint8_t> out);
    MaskKey nextMaskKey();

private:
    static constexpr size_t kBatch = 1024;
    std::array<uint8_t, kBatch> pool_{};
    size_t used_ = kBatch;
};

}  // namespace framescope
