// SecureRandom in steady state calls malloc not once, however many masking keys it draws: counted at the
// malloc level (glibc's malloc, calloc and realloc are replaced below for this test binary only), so that
// OpenSSL's allocations count too. OpenSSL's RAND_bytes allocates when it reseeds, every 65,536 calls:
// 20 million keys would cross that point with a pool drawn from RAND_bytes 1 KiB at a time.
// Also: a forked child does not draw the keys its parent draws.
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "framescope/secure_random.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FRAMESCOPE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FRAMESCOPE_SANITIZED 1
#endif
#endif

namespace {
std::atomic<uint64_t> mallocCalls{0};
}  // namespace

#ifndef FRAMESCOPE_SANITIZED  // the sanitizers' runtimes replace malloc themselves
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);

void* malloc(size_t size) {
    mallocCalls.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}
void* calloc(size_t count, size_t size) {
    mallocCalls.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(count, size);
}
void* realloc(void* pointer, size_t size) {
    mallocCalls.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(pointer, size);
}
}
#endif

namespace {

uint64_t keyValue(const framescope::MaskKey& key) {
    return uint64_t{key[0]} << 24 | uint64_t{key[1]} << 16 | uint64_t{key[2]} << 8 | key[3];
}

}  // namespace

class TstSecureRandomAllocations : public QObject {
    Q_OBJECT

private slots:
    void steadyKeysDoNotAllocate() {
#ifdef FRAMESCOPE_SANITIZED
        QSKIP("A sanitizer replaces malloc in this build, so its calls cannot be counted here.");
#else
        framescope::SecureRandom random;
        uint64_t mix = keyValue(random.nextMaskKey());  // the first draw keys the stream: it may allocate
        const uint64_t before = mallocCalls.load();
        constexpr uint64_t kKeys = 20'000'000;
        for (uint64_t i = 0; i < kKeys; ++i)
            mix = mix * 31 + keyValue(random.nextMaskKey());
        const uint64_t calls = mallocCalls.load() - before;
        QVERIFY(mix != 0);
        QCOMPARE(calls, uint64_t{0});
#endif
    }

    void forkedChildDrawsOtherKeys() {
        framescope::SecureRandom random;
        random.nextMaskKey();  // keyed, and the pool part used, before the fork
        int pipeEnds[2];
        QVERIFY(::pipe(pipeEnds) == 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            uint64_t keys[4];
            for (uint64_t& key : keys)
                key = keyValue(random.nextMaskKey());
            const bool written = ::write(pipeEnds[1], keys, sizeof keys) == ssize_t(sizeof keys);
            ::_exit(written ? 0 : 1);
        }
        ::close(pipeEnds[1]);
        uint64_t childKeys[4] = {};
        const ssize_t got = ::read(pipeEnds[0], childKeys, sizeof childKeys);
        ::close(pipeEnds[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        QCOMPARE(got, ssize_t(sizeof childKeys));
        int same = 0;
        for (uint64_t childKey : childKeys)
            same += childKey == keyValue(random.nextMaskKey()) ? 1 : 0;
        QVERIFY2(same == 0, "the forked child drew its parent's masking keys");
    }
};

QTEST_APPLESS_MAIN(TstSecureRandomAllocations)
#include "tst_secure_random_allocations.moc"
