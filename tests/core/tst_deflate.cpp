// Tests of the permessage-deflate codec (RFC 7692 §7.2): MessageDeflater and MessageInflater. The
// negotiation functions of deflate.h are tested in tst_extensions.cpp.
#include <QTest>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <random>
#include <stdexcept>
#include <vector>

#include "framescope/deflate.h"

using framescope::ByteBuffer;
using framescope::DeflateStatus;
using framescope::MessageDeflater;
using framescope::MessageInflater;

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& a) {
    return {reinterpret_cast<const uint8_t*>(a.constData()), static_cast<size_t>(a.size())};
}
std::span<const uint8_t> bytesOf(const std::vector<uint8_t>& v) {
    return {v.data(), v.size()};
}
QByteArray toQ(const ByteBuffer& b) {
    return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}
QByteArray toQ(const std::vector<uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

// How a compressed message is cut into frames before it reaches the inflater.
enum class Split { AsGiven, Whole, ByteByByte };

// Inflates one message given as its frames' payloads; the first failure (from inflate or finishMessage).
DeflateStatus inflateFrames(MessageInflater& inflater, const QByteArrayList& frames, ByteBuffer& out,
                            size_t limit) {
    for (const QByteArray& frame : frames) {
        const DeflateStatus status = inflater.inflate(bytesOf(frame), out, limit);
        if (status != DeflateStatus::Ok) return status;
    }
    return inflater.finishMessage(out, limit);
}

QByteArrayList oneBytePerFrame(const QByteArray& message) {
    QByteArrayList frames;
    for (char c : message)
        frames.append(QByteArray(1, c));
    return frames;
}

// "f248cd|c9c90700": one message whose frames are separated by '|', in hex.
QByteArrayList framesOf(const QString& hexFrames, Split split) {
    QByteArrayList frames;
    for (const QString& part : hexFrames.split(QLatin1Char('|'))) {
        frames.append(QByteArray::fromHex(part.toLatin1()));
    }
    if (split == Split::Whole) return {frames.join()};
    if (split == Split::ByteByByte) return oneBytePerFrame(frames.join());
    return frames;
}

// Cuts `message` into 1..5 frames at random points (empty frames included).
QByteArrayList randomFrames(const QByteArray& message, std::mt19937& rng) {
    std::uniform_int_distribution<int> count(0, 4);
    std::uniform_int_distribution<qsizetype> at(0, message.size());
    std::vector<qsizetype> cuts{0, message.size()};
    for (int i = count(rng); i > 0; --i)
        cuts.push_back(at(rng));
    std::sort(cuts.begin(), cuts.end());
    QByteArrayList frames;
    for (size_t i = 1; i < cuts.size(); ++i)
        frames.append(message.mid(cuts[i - 1], cuts[i] - cuts[i - 1]));
    return frames;
}

std::vector<uint8_t> makeText(size_t size, uint32_t seed) {
    static const char* const words[] = {"frame ", "opcode ", "mask ", "payload ", "deflate ", "window ",
                                        "close ", "ping ",   "pong ", "text ",    "binary ",  "{\"id\": "};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, std::size(words) - 1);
    std::vector<uint8_t> text;
    text.reserve(size + 16);
    while (text.size() < size) {
        const char* word = words[pick(rng)];
        text.insert(text.end(), word, word + std::strlen(word));
    }
    text.resize(size);
    return text;
}

std::vector<uint8_t> makeRandom(size_t size, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> data(size);
    for (uint8_t& b : data)
        b = static_cast<uint8_t>(rng());
    return data;
}

QByteArray compressOnce(MessageDeflater& deflater, const QByteArray& message) {
    ByteBuffer out;
    deflater.compress(bytesOf(message), out);
    return toQ(out);
}

}  // namespace

class TestDeflate : public QObject {
    Q_OBJECT

private slots:
    void rfcExamplesInflate_data();
    void rfcExamplesInflate();
    void rfcExamplesDeflate_data();
    void rfcExamplesDeflate();
    void roundTrip_data();
    void roundTrip();
    void levels_data();
    void levels();
    void contextTakeover_data();
    void contextTakeover();
    void bomb_data();
    void bomb();
    void limitCountsExistingBytes();
    void corrupt_data();
    void corrupt();
    void buffersAreReused();
    void badWindowBitsThrow();
};

// RFC 7692 §7.2.3 examples, byte for byte, plus what lenient peers send. Each runs three ways: frames as
// given, each message in one frame, and one byte per frame.
void TestDeflate::rfcExamplesInflate_data() {
    QTest::addColumn<QStringList>("messages");  // hex, frames separated by '|'
    QTest::addColumn<QStringList>("expected");
    const QString hello = QStringLiteral("f248cdc9c90700");
    QTest::newRow("7.2.3.1 one block") << QStringList{hello} << QStringList{"Hello"};
    QTest::newRow("7.2.3.1 fragmented") << QStringList{"f248cd|c9c90700"} << QStringList{"Hello"};
    QTest::newRow("7.2.3.2 shared window")
        << QStringList{hello, "f200110000"} << QStringList{"Hello", "Hello"};
    QTest::newRow("7.2.3.3 stored block") << QStringList{"000500faff48656c6c6f00"} << QStringList{"Hello"};
    QTest::newRow("7.2.3.4 BFINAL") << QStringList{"f348cdc9c9070000", hello}
                                    << QStringList{"Hello", "Hello"};
    QTest::newRow("7.2.3.5 two blocks")
        << QStringList{"f248050000 00ffff cac9c90700"} << QStringList{"Hello"};
    QTest::newRow("7.2.3.6 empty fragment")
        << QStringList{"f248cdc9c907000000ffff|00"} << QStringList{"Hello"};
    QTest::newRow("empty message") << QStringList{"00", hello, "00"} << QStringList{"", "Hello", ""};
    // Not what §7.2.1 asks for, but unambiguous: accepted, and the next message still inflates.
    QTest::newRow("BFINAL without trailing 00")
        << QStringList{"f348cdc9c90700", hello} << QStringList{"Hello", "Hello"};
    QTest::newRow("BFINAL empty block") << QStringList{"0300", hello} << QStringList{"", "Hello"};
    QTest::newRow("empty payload") << QStringList{"", hello} << QStringList{"", "Hello"};
}

void TestDeflate::rfcExamplesInflate() {
    QFETCH(QStringList, messages);
    QFETCH(QStringList, expected);
    for (Split split : {Split::AsGiven, Split::Whole, Split::ByteByByte}) {
        MessageInflater inflater(15, false);
        ByteBuffer out;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            out.clear();
            QString hexFrames = messages[i];
            hexFrames.remove(QLatin1Char(' '));
            const DeflateStatus status = inflateFrames(inflater, framesOf(hexFrames, split), out, 1024);
            QCOMPARE(status, DeflateStatus::Ok);
            QCOMPARE(toQ(out), expected[i].toLatin1());
        }
    }
}

// What our deflater (zlib 1.2.x, level 6, memLevel 8) sends: exactly the RFC 7692 §7.2.3.1/.2 bytes.
void TestDeflate::rfcExamplesDeflate_data() {
    QTest::addColumn<bool>("noContextTakeover");
    QTest::addColumn<QStringList>("messages");
    QTest::addColumn<QStringList>("expected");  // hex
    QTest::newRow("7.2.3.2 takeover")
        << false << QStringList{"Hello", "Hello"} << QStringList{"f248cdc9c90700", "f200110000"};
    QTest::newRow("no takeover") << true << QStringList{"Hello", "Hello"}
                                 << QStringList{"f248cdc9c90700", "f248cdc9c90700"};
    // §7.2.3.6: zlib itself gives 00 on a fresh stream but nothing after a previous flush.
    QTest::newRow("empty, takeover") << false << QStringList{"", "Hello", "", "Hello"}
                                     << QStringList{"00", "f248cdc9c90700", "00", "f200110000"};
    QTest::newRow("empty, no takeover")
        << true << QStringList{"", "Hello", ""} << QStringList{"00", "f248cdc9c90700", "00"};
}

void TestDeflate::rfcExamplesDeflate() {
    QFETCH(bool, noContextTakeover);
    QFETCH(QStringList, messages);
    QFETCH(QStringList, expected);
    MessageDeflater deflater(15, noContextTakeover);
    MessageInflater inflater(15, noContextTakeover);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray compressed = compressOnce(deflater, messages[i].toLatin1());
        QCOMPARE(compressed.toHex(), expected[i].toLatin1());
        ByteBuffer out;
        QCOMPARE(inflateFrames(inflater, {compressed}, out, 1024), DeflateStatus::Ok);
        QCOMPARE(toQ(out), messages[i].toLatin1());
    }
}

void TestDeflate::roundTrip_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("random");
    QTest::addColumn<int>("windowBits");
    QTest::addColumn<bool>("noContextTakeover");
    for (int size : {0, 1, 1000, 64 * 1024, 1024 * 1024}) {
        for (bool random : {false, true}) {
            for (int windowBits = 9; windowBits <= 15; ++windowBits) {
                for (bool noContext : {false, true}) {
                    QTest::addRow("%s-%d-w%d-%s", random ? "random" : "text", size, windowBits,
                                  noContext ? "nocontext" : "takeover")
                        << size << random << windowBits << noContext;
                }
            }
        }
    }
}

// Three messages per connection (so the window is carried over or reset in between), each cut into
// random frames; small ones also byte by byte. The limit is exactly the message size.
void TestDeflate::roundTrip() {
    QFETCH(int, size);
    QFETCH(bool, random);
    QFETCH(int, windowBits);
    QFETCH(bool, noContextTakeover);
    const uint32_t seed = static_cast<uint32_t>(size * 31 + windowBits * 7 + (random ? 1 : 0));
    std::mt19937 rng(seed);
    MessageDeflater deflater(windowBits, noContextTakeover);
    MessageInflater inflater(windowBits, noContextTakeover);
    ByteBuffer compressed;
    ByteBuffer out;
    for (uint32_t round = 0; round < 3; ++round) {
        const auto length = static_cast<size_t>(size);
        const std::vector<uint8_t> message =
            random ? makeRandom(length, seed + round) : makeText(length, seed);
        compressed.clear();
        deflater.compress(bytesOf(message), compressed);
        QVERIFY(!compressed.empty());
        QByteArrayList frames = randomFrames(toQ(compressed), rng);
        if (compressed.size() <= 4096 && round == 1) frames = oneBytePerFrame(toQ(compressed));
        out.clear();
        QCOMPARE(inflateFrames(inflater, frames, out, length), DeflateStatus::Ok);
        QCOMPARE(out.size(), message.size());
        QVERIFY(toQ(out) == toQ(message));
    }
}

void TestDeflate::levels_data() {
    QTest::addColumn<int>("level");
    for (int level : {-1, 0, 1, 9})
        QTest::addRow("level %d", level) << level;
}

// Level 0 sends stored blocks (at most 64 KiB each); all levels round-trip and end without the tail.
void TestDeflate::levels() {
    QFETCH(int, level);
    const std::vector<uint8_t> message = makeText(200 * 1024, 5);
    MessageDeflater deflater(12, false, level);
    MessageInflater inflater(12, false);
    for (int round = 0; round < 2; ++round) {
        const QByteArray compressed = compressOnce(deflater, toQ(message));
        QVERIFY(!compressed.endsWith(QByteArray::fromHex("0000ffff")));
        if (level == 0) QVERIFY(static_cast<size_t>(compressed.size()) > message.size());
        ByteBuffer out;
        QCOMPARE(inflateFrames(inflater, {compressed}, out, message.size()), DeflateStatus::Ok);
        QVERIFY(toQ(out) == toQ(message));
    }
}

void TestDeflate::contextTakeover_data() {
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("Hello") << QByteArray("Hello");
    QTest::newRow("text 1000") << toQ(makeText(1000, 7));
    QTest::newRow("text 64 KiB") << toQ(makeText(64 * 1024, 8));
}

// RFC 7692 §7.2.3.2: with context takeover a repeated message refers back to the previous one.
void TestDeflate::contextTakeover() {
    QFETCH(QByteArray, message);
    MessageDeflater takeover(15, false);
    const QByteArray first = compressOnce(takeover, message);
    const QByteArray second = compressOnce(takeover, message);
    QVERIFY2(second.size() < first.size(),
             qPrintable(QStringLiteral("%1 then %2").arg(first.size()).arg(second.size())));

    MessageDeflater fresh(15, true);
    const QByteArray a = compressOnce(fresh, message);
    const QByteArray b = compressOnce(fresh, message);
    QCOMPARE(a, b);
    QCOMPARE(a, first);
}

void TestDeflate::bomb_data() {
    QTest::addColumn<int>("frameSize");  // 0: the whole message in one frame
    QTest::addColumn<int>("limit");
    QTest::newRow("one frame, 64 KiB") << 0 << 64 * 1024;
    QTest::newRow("100-byte frames, 64 KiB") << 100 << 64 * 1024;
    QTest::newRow("one frame, 1 byte") << 0 << 1;
    QTest::newRow("one frame, 0 bytes") << 0 << 0;
    QTest::newRow("one frame, 1 MiB - 1") << 0 << 1024 * 1024 - 1;
}

// 1 MiB of zeros deflates to about 1 KiB; inflating it must stop at the limit, not after.
void TestDeflate::bomb() {
    QFETCH(int, frameSize);
    QFETCH(int, limit);
    const std::vector<uint8_t> zeros(1024 * 1024, 0);
    MessageDeflater deflater(15, false);
    ByteBuffer compressed;
    deflater.compress(bytesOf(zeros), compressed);
    QVERIFY(compressed.size() < 2048);

    const QByteArray all = toQ(compressed);
    QByteArrayList frames;
    if (frameSize == 0) frames.append(all);
    for (qsizetype at = 0; frameSize != 0 && at < all.size(); at += frameSize)
        frames.append(all.mid(at, frameSize));

    MessageInflater inflater(15, false);
    ByteBuffer out;
    const auto cap = static_cast<size_t>(limit);
    QCOMPARE(inflateFrames(inflater, frames, out, cap), DeflateStatus::TooBig);
    QVERIFY(out.size() <= cap);
    // ByteBuffer doubles, so capacity may reach twice the limit plus one 16 KiB chunk, never 1 MiB.
    QVERIFY2(out.capacity() <= 2 * (cap + 16 * 1024),
             qPrintable(QStringLiteral("capacity %1").arg(out.capacity())));
}

// The limit is on out.size() in total: bytes already in `out` (earlier frames) count.
void TestDeflate::limitCountsExistingBytes() {
    const QByteArray hello = QByteArray::fromHex("f248cdc9c90700");
    for (size_t limit : {size_t{14}, size_t{15}}) {
        MessageInflater inflater(15, true);
        ByteBuffer out;
        out.append(bytesOf(QByteArray("0123456789")));
        const DeflateStatus expected = limit == 15 ? DeflateStatus::Ok : DeflateStatus::TooBig;
        QCOMPARE(inflateFrames(inflater, {hello}, out, limit), expected);
        QVERIFY(out.size() <= limit);
        if (expected == DeflateStatus::Ok) QCOMPARE(toQ(out), QByteArray("0123456789Hello"));
    }
}

void TestDeflate::corrupt_data() {
    QTest::addColumn<QString>("message");  // hex, frames separated by '|'
    QTest::newRow("reserved block type") << "07";
    QTest::newRow("stored lengths disagree") << "0005000000"
                                                "48656c6c6f00";
    QTest::newRow("distance before any history") << "f200110000";
    QTest::newRow("truncated stored block") << "000500faff4865";
    QTest::newRow("tail not removed by sender") << "f248cdc9c907000000ffff";
    QTest::newRow("garbage") << "ffffffffffffffff";
}

// Bad data gives Corrupt (from inflate or finishMessage); afterwards a good message inflates again.
void TestDeflate::corrupt() {
    QFETCH(QString, message);
    for (Split split : {Split::Whole, Split::ByteByByte}) {
        MessageInflater inflater(15, true);
        ByteBuffer out;
        QCOMPARE(inflateFrames(inflater, framesOf(message, split), out, 1024), DeflateStatus::Corrupt);
        out.clear();
        QCOMPARE(inflateFrames(inflater, {QByteArray::fromHex("f248cdc9c90700")}, out, 1024),
                 DeflateStatus::Ok);
        QCOMPARE(toQ(out), QByteArray("Hello"));
    }
}

// Steady state: once the caller's buffers have grown, neither side needs them to grow again.
void TestDeflate::buffersAreReused() {
    const std::vector<uint8_t> message = makeText(256 * 1024, 3);
    for (bool noContext : {false, true}) {
        MessageDeflater deflater(15, noContext);
        MessageInflater inflater(15, noContext);
        ByteBuffer compressed;
        ByteBuffer out;
        const uint8_t* compressedData = nullptr;
        const uint8_t* outData = nullptr;
        for (int round = 0; round < 5; ++round) {
            compressed.clear();
            deflater.compress(bytesOf(message), compressed);
            out.clear();
            QCOMPARE(inflater.inflate(compressed.view(), out, message.size()), DeflateStatus::Ok);
            QCOMPARE(inflater.finishMessage(out, message.size()), DeflateStatus::Ok);
            QCOMPARE(out.size(), message.size());
            if (round == 1) {
                compressedData = compressed.data();
                outData = out.data();
            }
            if (round > 1) {
                QCOMPARE(compressed.data(), compressedData);
                QCOMPARE(out.data(), outData);
            }
        }
    }
}

// RFC 7692 §7.1.2.1 allows 8, which zlib's raw deflate refuses; the codec takes 9..15 only.
void TestDeflate::badWindowBitsThrow() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MessageDeflater(8, false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MessageDeflater(16, false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MessageDeflater(15, false, 10));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MessageInflater(8, false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MessageInflater(16, true));
}

QTEST_APPLESS_MAIN(TestDeflate)
#include "tst_deflate.moc"
