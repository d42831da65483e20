// The physical limit of masking in place: the plainest XOR loop over the widest vectors this CPU has, with
// none of the work a real masking function must do (no key offset, no alignment head, no dispatch). Four
// vectors per step, then one at a time, as in our kernels: with one vector per step, this "limit" was 20 %
// slower than our kernel at 1 KiB and 4 KiB (a loop at one store per iteration did not keep the stores
// busy), so it was not the limit. The AVX-512 loop ends with plain 32-, 16- and 8-byte steps; the others end
// a byte at a time. Rows never use it
// for output, only as a baseline: an in-place masking row cannot beat it by more than noise.
#include "ideal_xor.h"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace framescope::bench {
namespace {

uint32_t keyWord(MaskKey key) noexcept {
    uint32_t word = 0;
    std::memcpy(&word, key.data(), sizeof word);
    return word;
}

void xorTail(uint8_t* data, size_t from, size_t size, MaskKey key) noexcept {
    for (size_t i = from; i < size; ++i)
        data[i] = static_cast<uint8_t>(data[i] ^ key[i & 3]);
}

#if defined(__x86_64__)
// The tail takes plain stores of 32, 16, 8 and 4 bytes, then single bytes: a masked AVX-512 store was
// slower, because it cannot forward to the next round's load of the same bytes.
[[gnu::target("avx512f"), gnu::aligned(64)]] void xorAvx512(uint8_t* data, size_t size,
                                                            MaskKey key) noexcept {
    const __m512i k = _mm512_set1_epi32(static_cast<int>(keyWord(key)));
    size_t i = 0;
    for (; i + 256 <= size; i += 256) {
        auto* p = reinterpret_cast<__m512i*>(data + i);
        const __m512i a = _mm512_loadu_si512(p);
        const __m512i b = _mm512_loadu_si512(p + 1);
        const __m512i c = _mm512_loadu_si512(p + 2);
        const __m512i d = _mm512_loadu_si512(p + 3);
        _mm512_storeu_si512(p, _mm512_xor_si512(a, k));
        _mm512_storeu_si512(p + 1, _mm512_xor_si512(b, k));
        _mm512_storeu_si512(p + 2, _mm512_xor_si512(c, k));
        _mm512_storeu_si512(p + 3, _mm512_xor_si512(d, k));
    }
    for (; i + 64 <= size; i += 64) {
        auto* p = reinterpret_cast<__m512i*>(data + i);
        _mm512_storeu_si512(p, _mm512_xor_si512(_mm512_loadu_si512(p), k));
    }
    if (i + 32 <= size) {
        auto* p = reinterpret_cast<__m256i*>(data + i);
        _mm256_storeu_si256(
            p, _mm256_xor_si256(_mm256_loadu_si256(p), _mm256_set1_epi32(static_cast<int>(keyWord(key)))));
        i += 32;
    }
    if (i + 16 <= size) {
        auto* p = reinterpret_cast<__m128i*>(data + i);
        _mm_storeu_si128(p,
                         _mm_xor_si128(_mm_loadu_si128(p), _mm_set1_epi32(static_cast<int>(keyWord(key)))));
        i += 16;
    }
    const uint64_t word = keyWord(key) | (uint64_t{keyWord(key)} << 32);
    for (; i + 8 <= size; i += 8) {
        uint64_t v = 0;
        std::memcpy(&v, data + i, 8);
        v ^= word;
        std::memcpy(data + i, &v, 8);
    }
    xorTail(data, i, size, key);
}

[[gnu::target("avx2"), gnu::aligned(64)]] void xorAvx2(uint8_t* data, size_t size, MaskKey key) noexcept {
    const __m256i k = _mm256_set1_epi32(static_cast<int>(keyWord(key)));
    size_t i = 0;
    for (; i + 128 <= size; i += 128) {
        auto* p = reinterpret_cast<__m256i*>(data + i);
        const __m256i a = _mm256_loadu_si256(p);
        const __m256i b = _mm256_loadu_si256(p + 1);
        const __m256i c = _mm256_loadu_si256(p + 2);
        const __m256i d = _mm256_loadu_si256(p + 3);
        _mm256_storeu_si256(p, _mm256_xor_si256(a, k));
        _mm256_storeu_si256(p + 1, _mm256_xor_si256(b, k));
        _mm256_storeu_si256(p + 2, _mm256_xor_si256(c, k));
        _mm256_storeu_si256(p + 3, _mm256_xor_si256(d, k));
    }
    for (; i + 32 <= size; i += 32) {
        auto* p = reinterpret_cast<__m256i*>(data + i);
        _mm256_storeu_si256(p, _mm256_xor_si256(_mm256_loadu_si256(p), k));
    }
    xorTail(data, i, size, key);
}

void xorSse2(uint8_t* data, size_t size, MaskKey key) noexcept {
    const __m128i k = _mm_set1_epi32(static_cast<int>(keyWord(key)));
    size_t i = 0;
    for (; i + 16 <= size; i += 16) {
        auto* p = reinterpret_cast<__m128i*>(data + i);
        _mm_storeu_si128(p, _mm_xor_si128(_mm_loadu_si128(p), k));
    }
    xorTail(data, i, size, key);
}
#endif

}  // namespace

IdealXor idealXorForThisCpu() noexcept {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) return {"ideal XOR (AVX-512)", xorAvx512};
    if (__builtin_cpu_supports("avx2")) return {"ideal XOR (AVX2)", xorAvx2};
    return {"ideal XOR (SSE2)", xorSse2};
#else
    return {"ideal XOR (bytes)",
            [](uint8_t* data, size_t size, MaskKey key) noexcept { xorTail(data, 0, size, key); }};
#endif
}

}  // namespace framescope::bench
