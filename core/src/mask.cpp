// RFC 6455 §5.3 masking: octet i of the payload is XORed with octet (i mod 4) of the masking key.
//
// Theory of operation. Every implementation is one kernel `dst = src ^ key`, where dst == src means
// in place; applyMask() and copyMasked() share it. A payload arrives in pieces, so a kernel takes the key
// offset at which the piece starts and lines the key up with it. The x86-64 kernels first handle a short
// head bit by bit (1, 2, 4, 8, 16 bytes) so that dst becomes vector-aligned, then run an unrolled loop of
// aligned stores (loads may stay unaligned for copies), then the tail the same way as the head; they never
// touch a byte outside [src, src + size) or [dst, dst + size). The AVX-512 kernel does the same with a
// head and tail of up to 63 bytes and 64-byte vectors in between. The kernel is picked once, on the first
// call, and cached in an atomic function pointer (every racing thread stores the same value).
#include "framescope/mask.h"

#include <atomic>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace framescope {
namespace {

// A kernel returns the key offset for the next piece, so that applyMask() can tail-call it (at 64 bytes
// a call and return more cost a tenth of the whole XOR).
using XorKernel = size_t (*)(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key,
                             size_t keyOffset) noexcept;

size_t nextOffset(size_t keyOffset, size_t size) noexcept {
    return (keyOffset + size) & 3;
}

// The four key octets in the order they meet the data when the piece starts at key octet `keyOffset`:
// the key word rotated by that many octets (towards the low address on either byte order).
uint32_t alignedKeyWord(MaskKey key, size_t keyOffset) noexcept {
    uint32_t word = 0;
    std::memcpy(&word, key.data(), sizeof word);
    const int shift = static_cast<int>(8 * (keyOffset & 3));
    if constexpr (std::endian::native == std::endian::little) return std::rotr(word, shift);
    return std::rotl(word, shift);
}

// Both halves hold the same four octets, so the word lines up with memory on either byte order.
uint64_t alignedKeyWord64(MaskKey key, size_t keyOffset) noexcept {
    const uint64_t word = alignedKeyWord(key, keyOffset);
    return word | (word << 32);
}

void xorBytes(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key, size_t keyOffset) noexcept {
    for (size_t i = 0; i < size; ++i) {
        dst[i] = static_cast<uint8_t>(src[i] ^ key[(keyOffset + i) & 3]);
    }
}

// Every kernel starts on a 64-byte boundary, so that where its loops fall against the CPU's fetch and
// op-cache lines does not move when other code of the library grows: at the default 16-byte alignment, a
// change to session.cpp once moved xorAvx512 and made masking 1 KiB in place 10 % slower (9.3 -> 10.4 ns).
// Portable kernel: eight bytes per word, four words per iteration; byte order does not matter.
[[gnu::aligned(64)]] size_t xorPortable(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key,
                                        size_t keyOffset) noexcept {
    const size_t next = nextOffset(keyOffset, size);
    const uint64_t k = alignedKeyWord64(key, keyOffset);
    size_t i = 0;
    for (; i + 32 <= size; i += 32) {
        uint64_t w[4];
        std::memcpy(w, src + i, sizeof w);
        w[0] ^= k;
        w[1] ^= k;
        w[2] ^= k;
        w[3] ^= k;
        std::memcpy(dst + i, w, sizeof w);
    }
    for (; i + 8 <= size; i += 8) {
        uint64_t w = 0;
        std::memcpy(&w, src + i, sizeof w);
        w ^= k;
        std::memcpy(dst + i, &w, sizeof w);
    }
    xorBytes(dst + i, src + i, size - i, key, keyOffset);  // i is a multiple of 4: same key offset
    return next;
}

#if defined(__x86_64__)

// x86-64 is little-endian: advancing the key by n octets rotates the repeated key word right by 8n bits.
uint64_t advanceKey(uint64_t k, size_t n) noexcept {
    return std::rotr(k, static_cast<int>(8 * (n & 3)));
}

// XORs n < 32 bytes in at most five steps (1, 2, 4, 8, 16 bytes, in that order, so that a head brings
// dst to 32-byte alignment). Advances dst and src; returns the key word for the next byte. Always inlined,
// so that inside the AVX2 kernel its 16-byte step is VEX-encoded (no SSE/AVX transition penalty).
[[gnu::always_inline]] inline uint64_t xorShort(uint8_t*& dst, const uint8_t*& src, size_t n,
                                                uint64_t k) noexcept {
    if (n & 1) {
        dst[0] = static_cast<uint8_t>(src[0] ^ static_cast<uint8_t>(k));
        ++dst;
        ++src;
        k = advanceKey(k, 1);
    }
    if (n & 2) {
        uint16_t w = 0;
        std::memcpy(&w, src, sizeof w);
        w = static_cast<uint16_t>(w ^ static_cast<uint16_t>(k));
        std::memcpy(dst, &w, sizeof w);
        dst += 2;
        src += 2;
        k = advanceKey(k, 2);
    }
    if (n & 4) {
        uint32_t w = 0;
        std::memcpy(&w, src, sizeof w);
        w ^= static_cast<uint32_t>(k);
        std::memcpy(dst, &w, sizeof w);
        dst += 4;
        src += 4;
    }
    if (n & 8) {
        uint64_t w = 0;
        std::memcpy(&w, src, sizeof w);
        w ^= k;
        std::memcpy(dst, &w, sizeof w);
        dst += 8;
        src += 8;
    }
    if (n & 16) {  // SSE2 is part of the x86-64 baseline
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
        const __m128i kv = _mm_set1_epi64x(static_cast<long long>(k));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm_xor_si128(v, kv));
        dst += 16;
        src += 16;
    }
    return k;
}

size_t misalignment(const uint8_t* p, size_t alignment) noexcept {
    return (alignment - (reinterpret_cast<uintptr_t>(p) & (alignment - 1))) & (alignment - 1);
}

[[gnu::aligned(64)]] size_t xorSse2(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key,
                                    size_t keyOffset) noexcept {
    const size_t next = nextOffset(keyOffset, size);
    uint64_t k = alignedKeyWord64(key, keyOffset);
    if (size < 16) {
        xorShort(dst, src, size, k);
        return next;
    }
    const size_t head = misalignment(dst, 16);
    k = xorShort(dst, src, head, k);
    size -= head;
    const __m128i kv = _mm_set1_epi64x(static_cast<long long>(k));
    const uint8_t* const end = src + size;
    for (; end - src >= 64; src += 64, dst += 64) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 32));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 48));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst), _mm_xor_si128(a, kv));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst + 16), _mm_xor_si128(b, kv));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst + 32), _mm_xor_si128(c, kv));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst + 48), _mm_xor_si128(d, kv));
    }
    for (; end - src >= 16; src += 16, dst += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst), _mm_xor_si128(a, kv));
    }
    xorShort(dst, src, static_cast<size_t>(end - src), k);
    return next;
}

[[gnu::aligned(64)]] __attribute__((target("avx2"))) size_t xorAvx2(uint8_t* dst, const uint8_t* src,
                                                                    size_t size, MaskKey key,
                                                                    size_t keyOffset) noexcept {
    const size_t next = nextOffset(keyOffset, size);
    uint64_t k = alignedKeyWord64(key, keyOffset);
    if (size < 32) {
        xorShort(dst, src, size, k);
        return next;
    }
    const size_t head = misalignment(dst, 32);
    k = xorShort(dst, src, head, k);
    size -= head;
    const __m256i kv = _mm256_set1_epi64x(static_cast<long long>(k));
    const uint8_t* const end = src + size;
    for (; end - src >= 128; src += 128, dst += 128) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 32));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 64));
        const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 96));
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst), _mm256_xor_si256(a, kv));
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32), _mm256_xor_si256(b, kv));
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 64), _mm256_xor_si256(c, kv));
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 96), _mm256_xor_si256(d, kv));
    }
    for (; end - src >= 32; src += 32, dst += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
        _mm256_store_si256(reinterpret_cast<__m256i*>(dst), _mm256_xor_si256(a, kv));
    }
    _mm256_zeroupper();  // the tail needs at most 16-byte vectors
    xorShort(dst, src, static_cast<size_t>(end - src), k);
    return next;
}

// XORs n < 64 bytes: the pieces of xorShort, then 32 bytes (so that a head brings dst to 64-byte
// alignment). Plain stores, not AVX-512 masked ones: a masked store cannot forward to a later load of the
// same bytes, which made small and unaligned pieces several times slower.
__attribute__((target("avx512f,avx512bw"))) inline uint64_t xorBelow64(uint8_t*& dst, const uint8_t*& src,
                                                                       size_t n, uint64_t k) noexcept {
    k = xorShort(dst, src, n & 31, k);
    if (n & 32) {  // a multiple of 4 bytes: the key word stays as it is
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
        const __m256i kv = _mm256_set1_epi64x(static_cast<long long>(k));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_xor_si256(v, kv));
        dst += 32;
        src += 32;
    }
    return k;
}

// XORs whole 64-byte vectors from src to a 64-byte aligned dst while at least 64 bytes remain.
__attribute__((target("avx512f,avx512bw"))) inline void xorVectors512(uint8_t*& dst, const uint8_t*& src,
                                                                      size_t& size, __m512i kv) noexcept {
    for (; size >= 256; size -= 256, src += 256, dst += 256) {
        const __m512i a = _mm512_loadu_si512(src);
        const __m512i b = _mm512_loadu_si512(src + 64);
        const __m512i c = _mm512_loadu_si512(src + 128);
        const __m512i d = _mm512_loadu_si512(src + 192);
        _mm512_store_si512(dst, _mm512_xor_si512(a, kv));
        _mm512_store_si512(dst + 64, _mm512_xor_si512(b, kv));
        _mm512_store_si512(dst + 128, _mm512_xor_si512(c, kv));
        _mm512_store_si512(dst + 192, _mm512_xor_si512(d, kv));
    }
    for (; size >= 64; size -= 64, src += 64, dst += 64) {
        _mm512_store_si512(dst, _mm512_xor_si512(_mm512_loadu_si512(src), kv));
    }
}

// dst is brought to 64-byte alignment first at every size: a 64-byte store split across two cache lines
// made a 256-byte XOR into a buffer 8 bytes off alignment (a payload behind its frame header) five times
// slower, and memcpy suffers the same. An already aligned dst skips the head's steps.
[[gnu::aligned(64)]] __attribute__((target("avx512f,avx512bw"))) size_t xorAvx512(uint8_t* dst,
                                                                                  const uint8_t* src,
                                                                                  size_t size, MaskKey key,
                                                                                  size_t keyOffset) noexcept {
    const size_t next = nextOffset(keyOffset, size);
    uint64_t k = alignedKeyWord64(key, keyOffset);
    if (size < 64) {
        xorBelow64(dst, src, size, k);
        return next;
    }
    if (const size_t head = misalignment(dst, 64); head != 0) {
        k = xorBelow64(dst, src, head, k);
        size -= head;
    }
    xorVectors512(dst, src, size, _mm512_set1_epi64(static_cast<long long>(k)));
    if (size != 0) xorBelow64(dst, src, size, k);  // 64-byte steps keep the key phase: k still applies
    return next;
}

bool cpuHasAvx2() noexcept {
    __builtin_cpu_init();  // may run before libgcc's own constructor
    return __builtin_cpu_supports("avx2") != 0;
}

bool cpuHasAvx512() noexcept {
    __builtin_cpu_init();
    // libgcc reports AVX-512 only when the OS saves the ZMM state (XCR0), so this is safe to act on.
    return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0;
}

#endif  // __x86_64__

MaskImpl detectBestImpl() noexcept {
#if defined(__x86_64__)
    if (cpuHasAvx512()) return MaskImpl::Avx512;
    return cpuHasAvx2() ? MaskImpl::Avx2 : MaskImpl::Sse2;
#else
    return MaskImpl::Portable;
#endif
}

XorKernel kernelFor(MaskImpl impl) noexcept {
    if (!maskImplSupported(impl)) return &xorPortable;
    switch (impl) {
#if defined(__x86_64__)
        case MaskImpl::Sse2:
            return &xorSse2;
        case MaskImpl::Avx2:
            return &xorAvx2;
        case MaskImpl::Avx512:
            return &xorAvx512;
#endif
        default:
            return &xorPortable;
    }
}

size_t resolveAndRun(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key, size_t keyOffset) noexcept;

std::atomic<XorKernel> activeKernel{&resolveAndRun};

size_t resolveAndRun(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key, size_t keyOffset) noexcept {
    const size_t next = nextOffset(keyOffset, size);
    const XorKernel kernel = kernelFor(activeMaskImpl());
    activeKernel.store(kernel, std::memory_order_relaxed);
    kernel(dst, src, size, key, keyOffset);
    return next;
}

}  // namespace

size_t applyMask(uint8_t* data, size_t size, MaskKey key, size_t keyOffset) noexcept {
    return activeKernel.load(std::memory_order_relaxed)(data, data, size, key, keyOffset);
}

size_t copyMasked(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key, size_t keyOffset) noexcept {
    return activeKernel.load(std::memory_order_relaxed)(dst, src, size, key, keyOffset);
}

MaskImpl activeMaskImpl() noexcept {
    static const MaskImpl impl = detectBestImpl();  // thread-safe one-time initialisation
    return impl;
}

bool maskImplSupported(MaskImpl impl) noexcept {
    switch (impl) {
        case MaskImpl::Portable:
            return true;
#if defined(__x86_64__)
        case MaskImpl::Sse2:
            return true;
        case MaskImpl::Avx2: {
            static const bool avx2 = cpuHasAvx2();
            return avx2;
        }
        case MaskImpl::Avx512: {
            static const bool avx512 = cpuHasAvx512();
            return avx512;
        }
#endif
        default:
            return false;
    }
}

const char* maskImplName(MaskImpl impl) noexcept {
    switch (impl) {
        case MaskImpl::Portable:
            return "portable";
        case MaskImpl::Sse2:
            return "sse2";
        case MaskImpl::Avx2:
            return "avx2";
        case MaskImpl::Avx512:
            return "avx512";
    }
    return "unknown";
}

size_t applyMaskWith(MaskImpl impl, uint8_t* data, size_t size, MaskKey key, size_t keyOffset) noexcept {
    return kernelFor(impl)(data, data, size, key, keyOffset);
}

size_t copyMaskedWith(MaskImpl impl, uint8_t* dst, const uint8_t* src, size_t size, MaskKey key,
                      size_t keyOffset) noexcept {
    return kernelFor(impl)(dst, src, size, key, keyOffset);
}

}  // namespace framescope
