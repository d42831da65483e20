// Strong random bytes from OpenSSL's CSPRNG. RFC 6455 §5.3: masking keys must come from a strong source of
// entropy and be unpredictable; RFC 6455 §4.1: the Sec-WebSocket-Key nonce must be randomly selected.
#include "framescope/secure_random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace framescope {
namespace {

[[noreturn]] void dieRandFailed() {
    const unsigned long err = ERR_get_error();
    char reason[256] = "no OpenSSL error queued";
    if (err != 0) ERR_error_string_n(err, reason, sizeof reason);
    std::fprintf(stderr,
                 "framescope: fatal: RAND_bytes failed (%s); refusing to continue without a "
                 "strong random source\n",
                 reason);
    std::fflush(stderr);
    std::abort();
}

// RAND_bytes takes an int count, so very large requests go in slices.
void drawOrDie(uint8_t* out, size_t size) {
    constexpr size_t kMaxSlice = size_t{1} << 30;
    while (size > 0) {
        const size_t slice = std::min(size, kMaxSlice);
        if (RAND_bytes(out, static_cast<int>(slice)) != 1) dieRandFailed();
        out += slice;
        size -= slice;
    }
}

}  // namespace

void SecureRandom::fill(std::span<uint8_t> out) {
    if (out.size() >= kBatch) {  // large requests: straight from the CSPRNG, the pool is left alone
        drawOrDie(out.data(), out.size());
        return;
    }
    size_t done = 0;
    while (done < out.size()) {
        if (used_ == kBatch) {
            drawOrDie(pool_.data(), pool_.size());
            used_ = 0;
        }
        const size_t take = std::min(out.size() - done, kBatch - used_);
        std::memcpy(out.data() + done, pool_.data() + used_, take);
        used_ += take;
        done += take;
    }
}

MaskKey SecureRandom::nextMaskKey() {
    MaskKey key{};
    fill(key);
    return key;
}

}  // namespace framescope
