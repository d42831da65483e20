// SecureRandom: masking keys do not repeat (RFC 6455 §5.3), the pool refills across batch boundaries, and
// fill() writes exactly the requested bytes for small and large requests.
#include <QTest>

#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include "framescope/secure_random.h"

namespace {

constexpr size_t kPoolBatch = 1024;  // SecureRandom::kBatch
constexpr uint8_t kCanary = 0xA5;

uint32_t keyValue(const framescope::MaskKey& key) {
    return uint32_t{key[0]} << 24 | uint32_t{key[1]} << 16 | uint32_t{key[2]} << 8 | key[3];
}

// With n uniformly random bytes, every byte value shows up when n is large (missing one: ~256 e^(-n/256)).
bool coversAllByteValues(const std::vector<uint8_t>& bytes) {
    std::array<bool, 256> seen{};
    for (uint8_t b : bytes)
        seen[b] = true;
    return std::all_of(seen.begin(), seen.end(), [](bool s) { return s; });
}

}  // namespace

class TestSecureRandom : public QObject {
    Q_OBJECT

private slots:
    void keysDoNotRepeat() {
        framescope::SecureRandom random;
        std::set<uint32_t> keys;
        constexpr int kDraws = 10000;
        for (int i = 0; i < kDraws; ++i)
            keys.insert(keyValue(random.nextMaskKey()));
        // Expected duplicates among 10^4 draws of 2^32 values: about 0.012.
        QVERIFY2(kDraws - static_cast<int>(keys.size()) <= 2, "masking keys repeat");
    }

    void poolRefillsAcrossBatches() {
        framescope::SecureRandom random;
        std::vector<uint8_t> stream;
        const size_t keys = 3 * kPoolBatch / 4 + 1;  // crosses three batch boundaries
        for (size_t i = 0; i < keys; ++i) {
            const framescope::MaskKey key = random.nextMaskKey();
            stream.insert(stream.end(), key.begin(), key.end());
        }
        QCOMPARE(stream.size(), 4 * keys);
        for (size_t batch = 0; batch + 1 < 3; ++batch) {
            const auto a = stream.begin() + static_cast<ptrdiff_t>(batch * kPoolBatch);
            const auto b = a + static_cast<ptrdiff_t>(kPoolBatch);
            QVERIFY2(!std::equal(a, b, b), "the pool was not refilled with fresh bytes");
        }
        QVERIFY(coversAllByteValues(stream));
    }

    void oddPiecesStraddleBoundaries() {
        framescope::SecureRandom random;
        std::vector<uint8_t> stream;
        for (size_t piece :
             {size_t{3}, size_t{7}, size_t{1}, size_t{1021}, size_t{5}, size_t{1023}, size_t{2}}) {
            for (int repeat = 0; repeat < 3; ++repeat) {
                std::vector<uint8_t> out(piece + 1, kCanary);
                random.fill(std::span<uint8_t>(out.data(), piece));
                QCOMPARE(out.back(), kCanary);
                stream.insert(stream.end(), out.begin(), out.end() - 1);
                const framescope::MaskKey key = random.nextMaskKey();
                stream.insert(stream.end(), key.begin(), key.end());
            }
        }
        // No 16-byte window repeats anywhere in the stream (it would if pool bytes were handed out twice).
        std::set<std::vector<uint8_t>> windows;
        for (size_t i = 0; i + 16 <= stream.size(); i += 16) {
            QVERIFY(windows
                        .insert({stream.begin() + static_cast<ptrdiff_t>(i),
                                 stream.begin() + static_cast<ptrdiff_t>(i + 16)})
                        .second);
        }
        QVERIFY(coversAllByteValues(stream));
    }

    void fillSizes_data() {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 5, 1023, 1024, 1025, 5000})
            QTest::addRow("%d", size) << size;
    }
    void fillSizes() {
        QFETCH(int, size);
        const auto n = static_cast<size_t>(size);
        framescope::SecureRandom random;
        std::vector<uint8_t> a(n + 1, kCanary);
        std::vector<uint8_t> b(n + 1, kCanary);
        random.fill(std::span<uint8_t>(a.data(), n));
        random.fill(std::span<uint8_t>(b.data(), n));
        QCOMPARE(a.back(), kCanary);
        QCOMPARE(b.back(), kCanary);
        if (n >= 16) QVERIFY(!std::equal(a.begin(), a.end() - 1, b.begin()));
        if (n >= 4096) QVERIFY(coversAllByteValues({a.begin(), a.end() - 1}));
        random.fill({});  // an empty span, null data
        (void)random.nextMaskKey();
    }
};

QTEST_APPLESS_MAIN(TestSecureRandom)
#include "tst_secure_random.moc"
