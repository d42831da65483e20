// Strong random bytes: an AES-256-CTR keystream keyed from OpenSSL's CSPRNG. RFC 6455 §5.3: masking keys must
// come from a strong source of entropy and be unpredictable; RFC 6455 §4.1: the Sec-WebSocket-Key nonce must
// be randomly selected.
#include "framescope/secure_random.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace framescope {
namespace {

[[noreturn]] void dieRandFailed(const char* what = "RAND_bytes") {
    const unsigned long err = ERR_get_error();
    char reason[256] = "no OpenSSL error queued";
    if (err != 0) ERR_error_string_n(err, reason, sizeof reason);
    std::fprintf(stderr,
                 "framescope: fatal: %s failed (%s); refusing to continue without a "
                 "strong random source\n",
                 what, reason);
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

// Bumped in every forked child, so that a keystream keyed before the fork is keyed again there: parent and
// child would otherwise draw the same masking keys.
std::atomic<uint64_t> forkGeneration{1};

void registerForkHandler() {
    static const bool registered = [] {
        pthread_atfork(nullptr, nullptr, [] { forkGeneration.fetch_add(1, std::memory_order_relaxed); });
        return true;
    }();
    (void)registered;
}

constexpr uint8_t kZeros[1024] = {};  // the keystream is AES-256-CTR applied to zeros

}  // namespace

struct SecureRandom::Keystream {
    EVP_CIPHER_CTX* context = nullptr;
};

SecureRandom::~SecureRandom() {
    if (keystream_ != nullptr) EVP_CIPHER_CTX_free(keystream_->context);
    delete keystream_;
}

void SecureRandom::refill() {
    static_assert(sizeof kZeros == kBatch);
    const uint64_t generation = forkGeneration.load(std::memory_order_relaxed);
    if (keystream_ == nullptr || keyedInFork_ != generation) {
        registerForkHandler();
        if (keystream_ == nullptr) keystream_ = new Keystream{EVP_CIPHER_CTX_new()};
        uint8_t keyAndCounter[32 + 16];
        drawOrDie(keyAndCounter, sizeof keyAndCounter);
        if (keystream_->context == nullptr ||
            EVP_EncryptInit_ex(keystream_->context, EVP_aes_256_ctr(), nullptr, keyAndCounter,
                               keyAndCounter + 32) != 1)
            dieRandFailed("AES-256-CTR set-up");
        OPENSSL_cleanse(keyAndCounter, sizeof keyAndCounter);
        keyedInFork_ = generation;
    }
    int written = 0;
    if (EVP_EncryptUpdate(keystream_->context, pool_.data(), &written, kZeros, static_cast<int>(kBatch)) !=
            1 ||
        written != static_cast<int>(kBatch))
        dieRandFailed("AES-256-CTR keystream");
    used_ = 0;
}

void SecureRandom::fill(std::span<uint8_t> out) {
    if (out.size() >= kBatch) {  // large requests: straight from the CSPRNG, the pool is left alone
        drawOrDie(out.data(), out.size());
        return;
    }
    if (keyedInFork_ != forkGeneration.load(std::memory_order_relaxed)) used_ = kBatch;  // a forked child
    size_t done = 0;
    while (done < out.size()) {
        if (used_ == kBatch) refill();
        const size_t take = std::min(out.size() - done, kBatch - used_);
        std::memcpy(out.data() + done, pool_.data() + used_, take);
        used_ += take;
        done += take;
    }
}

// A client draws one key per frame: the common case (four bytes left in the pool, no fork since it was
// keyed) takes them without fill()'s loop.
MaskKey SecureRandom::nextMaskKey() {
    MaskKey key{};
    if (used_ <= kBatch - key.size() && keyedInFork_ == forkGeneration.load(std::memory_order_relaxed)) {
        std::memcpy(key.data(), pool_.data() + used_, key.size());
        used_ += key.size();
        return key;
    }
    fill(key);
    return key;
}

}  // namespace framescope
