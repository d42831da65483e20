// The preloaded malloc counter (bench/alloc/malloc_count.cpp): run with LD_PRELOAD set to it (see
// tests/bench/CMakeLists.txt). It must count every malloc-family call of the calling thread with the bytes
// asked for, including those of C libraries (zlib), keep other threads out of the thread counts and in the
// process counts.
#include <QTest>

#include <zlib.h>

#include <cstdlib>
#include <thread>

#include "framescope/bench/alloc_counter.h"

using framescope::bench::AllocSnapshot;
using framescope::bench::allocSnapshot;
using framescope::bench::threadAllocSnapshot;

namespace {

// Keeps the compiler from pairing (and removing) a malloc with its free.
void* volatile sink;

}  // namespace

class TestMallocCount : public QObject {
    Q_OBJECT

private slots:
    void isPreloaded() { QVERIFY(framescope::bench::allocCountingAvailable()); }

    void countsEveryMallocFamilyCall() {
        const AllocSnapshot before = threadAllocSnapshot();
        void* a = std::malloc(100);
        sink = a;
        void* b = std::calloc(3, 10);
        sink = b;
        a = std::realloc(a, 200);
        sink = a;
        void* c = nullptr;
        QCOMPARE(posix_memalign(&c, 64, 128), 0);
        void* d = std::aligned_alloc(64, 64);
        sink = d;
        const AllocSnapshot after = threadAllocSnapshot();
        std::free(a);
        std::free(b);
        std::free(c);
        std::free(d);
        QCOMPARE(after.count - before.count, uint64_t{5});
        QCOMPARE(after.bytes - before.bytes, uint64_t{100 + 30 + 200 + 128 + 64});
    }

    void freeIsNotCounted() {
        void* a = std::malloc(10);
        sink = a;
        const AllocSnapshot before = threadAllocSnapshot();
        std::free(a);
        QCOMPARE(threadAllocSnapshot().count, before.count);
    }

    void countsWhatCLibrariesAllocate() {
        z_stream stream{};
        const AllocSnapshot before = threadAllocSnapshot();
        QCOMPARE(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
        const AllocSnapshot after = threadAllocSnapshot();
        deflateEnd(&stream);
        QVERIFY(after.count > before.count);
        QVERIFY(after.bytes - before.bytes > 64 * 1024);  // zlib's window, hash and pending buffers
    }

    void otherThreadsCountForTheProcessOnly() {
        const AllocSnapshot threadBefore = threadAllocSnapshot();
        const AllocSnapshot processBefore = allocSnapshot();
        std::thread other([] {
            for (int i = 0; i < 1000; ++i) {
                sink = std::malloc(16);
                std::free(sink);
            }
        });
        other.join();
        QVERIFY(allocSnapshot().count - processBefore.count >= 1000);
        // Starting and joining a thread may allocate on this thread, but far fewer than 1000 times.
        QVERIFY(threadAllocSnapshot().count - threadBefore.count < 10);
    }
};

QTEST_GUILESS_MAIN(TestMallocCount)
#include "tst_malloc_count.moc"
