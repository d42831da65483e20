// Masking (RFC 6455 §5.3): every implementation the CPU supports against a byte-by-byte reference, at every
// size up to 300 and some large ones, every key offset and every misalignment, plus guard-page over-read
// checks.
#include <QRandomGenerator>
#include <QTest>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "framescope/mask.h"

using framescope::MaskImpl;
using framescope::MaskKey;

Q_DECLARE_METATYPE(framescope::MaskImpl)

namespace {

constexpr MaskKey kKey = {0x37, 0xfa, 0x21, 0x3d};  // RFC 6455 §5.7
constexpr size_t kMaxMisalign = 32;
constexpr uint8_t kCanary = 0xA5;

void referenceMask(uint8_t* data, size_t size, MaskKey key, size_t keyOffset) {
    for (size_t i = 0; i < size; ++i)
        data[i] = static_cast<uint8_t>(data[i] ^ key[(keyOffset + i) % 4]);
}

std::vector<uint8_t> pattern(size_t size, uint32_t seed) {
    std::vector<uint8_t> bytes(size);
    QRandomGenerator rng(seed);
    for (auto& b : bytes)
        b = static_cast<uint8_t>(rng.bounded(256));
    return bytes;
}

// Index of the first differing byte, or -1.
qsizetype firstDifference(const uint8_t* a, const uint8_t* b, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        if (a[i] != b[i]) return static_cast<qsizetype>(i);
    }
    return -1;
}

bool allCanary(const uint8_t* p, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        if (p[i] != kCanary) return false;
    }
    return true;
}

// Read-write pages between two PROT_NONE pages: touching a byte outside them crashes.
class GuardedRegion {
public:
    explicit GuardedRegion(size_t size) {
        page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        usable_ = (size + page_ - 1) / page_ * page_;
        if (usable_ == 0) usable_ = page_;
        total_ = usable_ + 2 * page_;
        void* p = mmap(nullptr, total_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) qFatal("mmap failed");
        base_ = static_cast<uint8_t*>(p);
        if (mprotect(base_, page_, PROT_NONE) != 0 ||
            mprotect(base_ + page_ + usable_, page_, PROT_NONE) != 0) {
            qFatal("mprotect failed");
        }
    }
    ~GuardedRegion() { munmap(base_, total_); }
    GuardedRegion(const GuardedRegion&) = delete;
    GuardedRegion& operator=(const GuardedRegion&) = delete;

    uint8_t* atStart() const { return base_ + page_; }
    uint8_t* atEnd(size_t size) const { return base_ + page_ + usable_ - size; }

private:
    uint8_t* base_ = nullptr;
    size_t page_ = 0;
    size_t usable_ = 0;
    size_t total_ = 0;
};

const std::vector<size_t> kBigSizes = {1023, 1024, 2047, 2048, 2049, 4096, 65536 + 7, (1u << 20) + 3};

}  // namespace

class TestMask : public QObject {
    Q_OBJECT

private:
    static void addImplRows() {
        QTest::addColumn<MaskImpl>("impl");
        for (MaskImpl impl : {MaskImpl::Portable, MaskImpl::Sse2, MaskImpl::Avx2, MaskImpl::Avx512}) {
            QTest::newRow(framescope::maskImplName(impl)) << impl;
        }
    }
    static bool skipIfUnsupported(MaskImpl impl) { return !framescope::maskImplSupported(impl); }

private slots:
    void activeImplIsSupported() {
        QVERIFY(framescope::maskImplSupported(framescope::activeMaskImpl()));
        QVERIFY(framescope::maskImplSupported(MaskImpl::Portable));
        QCOMPARE(QByteArray(framescope::maskImplName(MaskImpl::Avx2)), QByteArray("avx2"));
        QCOMPARE(QByteArray(framescope::maskImplName(MaskImpl::Avx512)), QByteArray("avx512"));
        qInfo("active masking implementation: %s", framescope::maskImplName(framescope::activeMaskImpl()));
    }

    void rfcHelloExample_data() { addImplRows(); }
    void rfcHelloExample() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        // RFC 6455 §5.7: a single-frame masked text message "Hello".
        const uint8_t expected[5] = {0x7f, 0x9f, 0x4d, 0x51, 0x58};
        uint8_t data[5] = {'H', 'e', 'l', 'l', 'o'};
        QCOMPARE(framescope::applyMaskWith(impl, data, 5, kKey), size_t{1});
        QCOMPARE(firstDifference(data, expected, 5), qsizetype{-1});
        uint8_t copy[5] = {};
        const uint8_t hello[5] = {'H', 'e', 'l', 'l', 'o'};
        QCOMPARE(framescope::copyMaskedWith(impl, copy, hello, 5, kKey), size_t{1});
        QCOMPARE(firstDifference(copy, expected, 5), qsizetype{-1});
        QCOMPARE(framescope::applyMask(copy, 5, kKey), size_t{1});
        QCOMPARE(firstDifference(copy, hello, 5), qsizetype{-1});
    }

    void smallSizesMatchReference_data() { addImplRows(); }
    void smallSizesMatchReference() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        constexpr size_t kMaxSize = 300;
        const std::vector<uint8_t> input = pattern(kMaxSize, 1);
        std::vector<uint8_t> buffer(kMaxSize + 2 * kMaxMisalign + 64);
        std::vector<uint8_t> expected(kMaxSize);
        for (size_t size = 0; size <= kMaxSize; ++size) {
            for (size_t offset = 0; offset < 4; ++offset) {
                std::memcpy(expected.data(), input.data(), size);
                referenceMask(expected.data(), size, kKey, offset);
                for (size_t mis = 0; mis < kMaxMisalign; ++mis) {
                    std::fill(buffer.begin(), buffer.end(), kCanary);
                    uint8_t* data = buffer.data() + kMaxMisalign + mis;
                    if (size != 0) std::memcpy(data, input.data(), size);
                    QCOMPARE(framescope::applyMaskWith(impl, data, size, kKey, offset), (offset + size) % 4);
                    QCOMPARE(firstDifference(data, expected.data(), size), qsizetype{-1});
                    QVERIFY(allCanary(buffer.data(), kMaxMisalign + mis));
                    QVERIFY(allCanary(data + size, buffer.size() - (kMaxMisalign + mis + size)));
                }
            }
        }
    }

    void bigSizesMatchReference_data() { addImplRows(); }
    void bigSizesMatchReference() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        for (size_t size : kBigSizes) {
            const std::vector<uint8_t> input = pattern(size, 2);
            std::vector<uint8_t> buffer(size + kMaxMisalign);
            for (size_t offset = 0; offset < 4; ++offset) {
                std::vector<uint8_t> expected = input;
                referenceMask(expected.data(), size, kKey, offset);
                for (size_t mis = 0; mis < kMaxMisalign; ++mis) {
                    uint8_t* data = buffer.data() + mis;
                    std::memcpy(data, input.data(), size);
                    QCOMPARE(framescope::applyMaskWith(impl, data, size, kKey, offset), (offset + size) % 4);
                    QCOMPARE(firstDifference(data, expected.data(), size), qsizetype{-1});
                }
            }
        }
    }

    void largeKeyOffsetWraps_data() { addImplRows(); }
    void largeKeyOffsetWraps() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        std::vector<uint8_t> data = pattern(100, 3);
        std::vector<uint8_t> expected = data;
        referenceMask(expected.data(), expected.size(), kKey, 3);
        const size_t offset = SIZE_MAX;  // == 3 (mod 4)
        QCOMPARE(framescope::applyMaskWith(impl, data.data(), data.size(), kKey, offset), size_t{3});
        QCOMPARE(firstDifference(data.data(), expected.data(), data.size()), qsizetype{-1});
    }

    void guardPagesCatchOverReads_data() { addImplRows(); }
    void guardPagesCatchOverReads() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        std::vector<size_t> sizes;
        for (size_t s = 0; s <= 300; ++s)
            sizes.push_back(s);
        sizes.insert(sizes.end(), kBigSizes.begin(), kBigSizes.end());
        for (size_t size : sizes) {
            const GuardedRegion src(size);
            const GuardedRegion dst(size);
            const std::vector<uint8_t> input = pattern(size, 4);
            for (size_t offset = 0; offset < 4; ++offset) {
                std::vector<uint8_t> expected = input;
                referenceMask(expected.data(), size, kKey, offset);
                for (uint8_t* data : {src.atEnd(size), src.atStart()}) {
                    if (size != 0) std::memcpy(data, input.data(), size);
                    QCOMPARE(framescope::applyMaskWith(impl, data, size, kKey, offset), (offset + size) % 4);
                    QCOMPARE(firstDifference(data, expected.data(), size), qsizetype{-1});
                }
                uint8_t* from = src.atEnd(size);
                if (size != 0) std::memcpy(from, input.data(), size);
                for (uint8_t* to : {dst.atEnd(size), dst.atStart()}) {
                    QCOMPARE(framescope::copyMaskedWith(impl, to, from, size, kKey, offset),
                             (offset + size) % 4);
                    QCOMPARE(firstDifference(to, expected.data(), size), qsizetype{-1});
                }
            }
        }
    }

    void twiceRestores_data() { addImplRows(); }
    void twiceRestores() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        for (size_t size : {size_t{0}, size_t{1}, size_t{31}, size_t{257}, size_t{65536 + 7}}) {
            const std::vector<uint8_t> input = pattern(size, 5);
            std::vector<uint8_t> data = input;
            const size_t next = framescope::applyMaskWith(impl, data.data(), size, kKey, 1);
            QCOMPARE(framescope::applyMaskWith(impl, data.data(), size, kKey, 1), next);
            QVERIFY(data == input);
        }
    }

    void randomSplitsMatchWhole_data() { addImplRows(); }
    void randomSplitsMatchWhole() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        QRandomGenerator rng(6);
        const std::vector<uint8_t> input = pattern(20000, 7);
        for (int round = 0; round < 50; ++round) {
            const size_t start = rng.bounded(4u);
            std::vector<uint8_t> whole = input;
            const size_t wholeNext = framescope::applyMaskWith(impl, whole.data(), whole.size(), kKey, start);
            std::vector<uint8_t> pieces = input;
            const uint32_t maxPiece = round % 2 == 0 ? 40u : 3000u;
            size_t done = 0;
            size_t offset = start;
            while (done < pieces.size()) {
                const size_t n = std::min<size_t>(rng.bounded(maxPiece + 1), pieces.size() - done);
                offset = framescope::applyMaskWith(impl, pieces.data() + done, n, kKey, offset);
                done += n;
            }
            QCOMPARE(offset, wholeNext);
            QCOMPARE(firstDifference(pieces.data(), whole.data(), whole.size()), qsizetype{-1});
        }
    }

    void copyMaskedMatchesApplyMask_data() { addImplRows(); }
    void copyMaskedMatchesApplyMask() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        constexpr size_t kMaxSize = 300;
        const std::vector<uint8_t> input = pattern(kMaxSize, 8);
        std::vector<uint8_t> srcBuffer(kMaxSize + 2 * kMaxMisalign);
        std::vector<uint8_t> dstBuffer(kMaxSize + 3 * kMaxMisalign);
        for (size_t size = 0; size <= kMaxSize; ++size) {
            for (size_t offset = 0; offset < 4; ++offset) {
                std::vector<uint8_t> expected(input.begin(), input.begin() + static_cast<ptrdiff_t>(size));
                framescope::applyMaskWith(impl, expected.data(), size, kKey, offset);
                for (size_t dstMis = 0; dstMis < kMaxMisalign; ++dstMis) {
                    for (size_t delta : {0, 1, 3, 8, 17}) {
                        const uint8_t* src = srcBuffer.data() + (dstMis + delta) % kMaxMisalign;
                        if (size != 0)
                            std::memcpy(srcBuffer.data() + (dstMis + delta) % kMaxMisalign, input.data(),
                                        size);
                        std::fill(dstBuffer.begin(), dstBuffer.end(), kCanary);
                        uint8_t* dst = dstBuffer.data() + kMaxMisalign + dstMis;
                        QCOMPARE(framescope::copyMaskedWith(impl, dst, src, size, kKey, offset),
                                 (offset + size) % 4);
                        QCOMPARE(firstDifference(dst, expected.data(), size), qsizetype{-1});
                        QCOMPARE(firstDifference(src, input.data(), size),
                                 qsizetype{-1});  // source untouched
                        QVERIFY(allCanary(dstBuffer.data(), kMaxMisalign + dstMis));
                        QVERIFY(allCanary(dst + size, dstBuffer.size() - (kMaxMisalign + dstMis + size)));
                    }
                }
            }
        }
    }

    // dst at or before src, overlapping (an in-place echo moves each payload 4, 8, 12... bytes forward):
    // every kernel must load each piece before a store reaches it.
    void copyMaskedForwardOverlap_data() { addImplRows(); }
    void copyMaskedForwardOverlap() {
        QFETCH(MaskImpl, impl);
        if (skipIfUnsupported(impl)) QSKIP("not supported on this CPU");
        const std::vector<uint8_t> input = pattern(4200, 9);
        std::vector<uint8_t> buffer(4200 + 2 * 128);
        for (size_t size : {0, 1, 5, 31, 32, 63, 64, 65, 100, 127, 128, 255, 256, 300, 1024, 1031, 4100}) {
            for (size_t shift : {0, 1, 3, 4, 8, 12, 16, 31, 32, 60, 64, 68, 100, 128}) {
                for (size_t mis : {0, 1, 7, 8, 33}) {
                    std::vector<uint8_t> expected(input.begin(),
                                                  input.begin() + static_cast<ptrdiff_t>(size));
                    framescope::applyMaskWith(impl, expected.data(), size, kKey, shift % 4);
                    std::fill(buffer.begin(), buffer.end(), kCanary);
                    uint8_t* src = buffer.data() + 128 + mis;
                    std::memcpy(src, input.data(), size);
                    uint8_t* dst = src - shift;
                    QCOMPARE(framescope::copyMaskedWith(impl, dst, src, size, kKey, shift % 4),
                             (shift % 4 + size) % 4);
                    QVERIFY2(firstDifference(dst, expected.data(), size) == -1,
                             qPrintable(
                                 QString("size %1 shift %2 misalignment %3").arg(size).arg(shift).arg(mis)));
                    QVERIFY(allCanary(buffer.data(), 128 + mis - shift));
                }
            }
        }
    }

    void dispatchedEntryPoints_data() {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype size : {0, 1, 5, 64, 1000, 4096, 65536 + 7, (1 << 20) + 3}) {
            QTest::addRow("%lld", static_cast<long long>(size)) << size;
        }
    }
    void dispatchedEntryPoints() {
        QFETCH(qsizetype, size);
        const auto n = static_cast<size_t>(size);
        const std::vector<uint8_t> input = pattern(n, 9);
        for (size_t offset = 0; offset < 4; ++offset) {
            std::vector<uint8_t> expected = input;
            referenceMask(expected.data(), n, kKey, offset);
            std::vector<uint8_t> inPlace = input;
            QCOMPARE(framescope::applyMask(inPlace.data(), n, kKey, offset), (offset + n) % 4);
            QVERIFY(inPlace == expected);
            std::vector<uint8_t> copy(n + 1);
            QCOMPARE(framescope::copyMasked(copy.data() + 1, input.data(), n, kKey, offset),
                     (offset + n) % 4);
            QCOMPARE(firstDifference(copy.data() + 1, expected.data(), n), qsizetype{-1});
        }
    }
};

QTEST_APPLESS_MAIN(TestMask)
#include "tst_mask.moc"
