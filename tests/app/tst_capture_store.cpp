// CaptureStore: every record field round-trips, payload caps keep the true length, the arena allocates in
// chunks, and concurrent writers never expose a torn row to a reader.
#include <QTest>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "capture/capture_filter.h"
#include "capture/capture_store.h"
#include "capture/format_session.h"
#include "capture_test_util.h"
#include "framescope/close_code.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

namespace {

constexpr const char* kViolation = "A control frame is fragmented (RFC 6455 §5.5).";

// Concurrent test: the payload of writer `t`'s frame `seq` is a pattern derived from both.
uint8_t patternByte(uint32_t writer, uint64_t seq, size_t k) {
    return static_cast<uint8_t>(writer * 31u + seq * 7u + k);
}
size_t patternLength(uint64_t seq) {
    return seq % 61;
}

// Every field of a concurrently written row agrees with the pattern its writer used.
bool rowIsIntact(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    const uint64_t seq = r.messageIndex;
    const std::span<const uint8_t> payload = store.payload(row);
    if (r.timestampUs != static_cast<int64_t>(seq) || payload.size() != patternLength(seq) ||
        r.declaredLength != payload.size()) {
        return false;
    }
    for (size_t k = 0; k < payload.size(); ++k) {
        if (payload[k] != patternByte(r.connectionId, seq, k)) return false;
    }
    return true;
}

}  // namespace

class TestCaptureStore : public QObject {
    Q_OBJECT

private slots:
    void recordIsCompact();
    void frameRoundTrip();
    void closeFrame();
    void compressedMessage();
    void fragmentedMessageSizes();
    void payloadCapKeepsTrueLength();
    void arenaChunksSmallPayloads();
    void bigPayloadGetsOwnChunk();
    void notes();
    void clearFreesEverything();
    void concurrentAppend();
    void relayLinks();
};

void TestCaptureStore::recordIsCompact() {
    QVERIFY(sizeof(CaptureRecord) <= 96);
}

void TestCaptureStore::frameRoundTrip() {
    CaptureStore store;
    FrameBuilder b(opcode::kText, std::string(300, 'x'), Direction::Outgoing, 7);
    b.frame.timestampUs = 1'700'000'000'123'456;
    b.frame.header.fin = false;
    b.frame.header.rsv2 = true;
    b.frame.header.rsv3 = true;
    b.setDeclaredLength(300);
    b.frame.messageIndex = 42;
    b.frame.endsMessage = false;
    b.frame.violation = kViolation;
    b.frame.crafted = true;
    store.addFrame(b.frame);

    QCOMPARE(store.size(), size_t{1});
    const CaptureRecord& r = store.record(0);
    QCOMPARE(r.kind, RecordKind::Frame);
    QCOMPARE(r.timestampUs, int64_t{1'700'000'000'123'456});
    QCOMPARE(r.direction, Direction::Outgoing);
    QCOMPARE(r.connectionId, 7u);
    QVERIFY(!r.fin());
    QVERIFY(!r.rsv1());
    QVERIFY(r.rsv2());
    QVERIFY(r.rsv3());
    QCOMPARE(r.opcode, opcode::kText);
    QVERIFY(r.masked());
    QCOMPARE(r.maskKey, (MaskKey{0x11, 0x22, 0x33, 0x44}));
    QCOMPARE(r.declaredLength, uint64_t{300});
    QCOMPARE(r.payloadLength, uint64_t{300});
    QCOMPARE(r.lengthEncoding, LengthEncoding::Bits16);
    QCOMPARE(r.headerSize, uint8_t{8});
    QCOMPARE(r.rawHeaderSize, uint8_t{8});
    QVERIFY(std::equal(b.frame.rawHeader.begin(), b.frame.rawHeader.end(), r.rawHeader.begin()));
    QCOMPARE(r.messageIndex, uint64_t{42});
    QVERIFY(!r.endsMessage());
    QVERIFY(!r.compressed());
    QCOMPARE(r.violation, kViolation);
    QVERIFY(r.crafted());
    QVERIFY(!r.payloadTruncated());
    const std::span<const uint8_t> payload = store.payload(0);
    QVERIFY(std::equal(payload.begin(), payload.end(), b.payload.begin(), b.payload.end()));
    QVERIFY(store.inflated(0).empty());
    QCOMPARE(store.messageSizes(0).wireSize, uint64_t{0});
    QVERIFY(store.noteText(0).empty());

    const FrameHeader h = r.header();
    QCOMPARE(h.fin, false);
    QCOMPARE(h.rsv3, true);
    QCOMPARE(h.payloadLength, uint64_t{300});
    QCOMPARE(h.maskKey, b.frame.header.maskKey);
    uint8_t reencoded[kMaxFrameHeaderSize];
    QCOMPARE(encodeFrameHeader(h, reencoded), size_t{8});
    QVERIFY(std::memcmp(reencoded, r.rawHeader.data(), 8) == 0);
}

void TestCaptureStore::closeFrame() {
    CaptureStore store;
    const auto body = test::closeBody(close_code::kGoingAway, "later");
    FrameBuilder close(opcode::kClose, body);
    close.frame.closeCode = close_code::kGoingAway;
    store.addFrame(close.frame);
    QCOMPARE(store.record(0).closeCode, close_code::kGoingAway);
    QCOMPARE(store.record(0).messageIndex, kNoMessage);
    QCOMPARE(store.record(0).messageOpcode, opcode::kClose);
    QVERIFY(!store.record(0).endsMessage());
    QCOMPARE(store.payload(0).size(), body.size());
    QCOMPARE(store.messageSizes(0).wireSize, uint64_t{0});
}

void TestCaptureStore::compressedMessage() {
    CaptureStore store;
    FrameBuilder first(opcode::kText, "\x01\x02\x03", Direction::Incoming, 3);
    first.frame.header.fin = false;
    first.frame.header.rsv1 = true;
    first.frame.messageIndex = 5;
    first.frame.endsMessage = false;
    FrameBuilder last(opcode::kContinuation, "\x04\x05", Direction::Incoming, 3);
    last.frame.messageIndex = 5;
    last.frame.messageWireSize = 5;
    last.setInflated("hello hello hello");
    // Another connection's binary frame in between must not disturb connection 3's message.
    FrameBuilder other(opcode::kBinary, "zz", Direction::Incoming, 4);
    store.addFrame(first.frame);
    store.addFrame(other.frame);
    store.addFrame(last.frame);

    QVERIFY(store.record(0).has(record_flag::kInCompressedMessage));
    QVERIFY(store.record(0).rsv1());
    QVERIFY(!store.record(1).has(record_flag::kInCompressedMessage));
    const CaptureRecord& r = store.record(2);
    QVERIFY(r.has(record_flag::kInCompressedMessage));
    QVERIFY(!r.rsv1());
    QVERIFY(r.compressed());
    QVERIFY(r.endsMessage());
    QCOMPARE(r.opcode, opcode::kContinuation);
    QCOMPARE(r.messageOpcode, opcode::kText);
    const std::span<const uint8_t> inflated = store.inflated(2);
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(inflated.data()), qsizetype(inflated.size())),
             QByteArray("hello hello hello"));
    QCOMPARE(store.messageSizes(2).wireSize, uint64_t{5});
    QCOMPARE(store.messageSizes(2).inflatedSize, uint64_t{17});
    QCOMPARE(store.payload(2).size(), size_t{2});
}

void TestCaptureStore::fragmentedMessageSizes() {
    CaptureStore store;
    FrameBuilder single(opcode::kBinary, "abcd");
    store.addFrame(single.frame);
    QCOMPARE(store.messageSizes(0).wireSize, uint64_t{4});
    QCOMPARE(store.messageSizes(0).inflatedSize, uint64_t{4});

    FrameBuilder last(opcode::kContinuation, "ef");
    last.frame.messageWireSize = 6;
    store.addFrame(last.frame);
    QCOMPARE(store.messageSizes(1).wireSize, uint64_t{6});
    QCOMPARE(store.messageSizes(1).inflatedSize, uint64_t{6});
    QVERIFY(store.inflated(1).empty());
}

void TestCaptureStore::payloadCapKeepsTrueLength() {
    CaptureStoreOptions options;
    options.payloadCap = 1000;
    options.inflatedCap = 10;
    CaptureStore store(options);
    FrameBuilder big(opcode::kBinary, std::vector<uint8_t>(5000, 0xAB));
    big.setInflated("0123456789abcdef");
    store.addFrame(big.frame);
    const CaptureRecord& r = store.record(0);
    QCOMPARE(r.declaredLength, uint64_t{5000});
    QCOMPARE(r.payloadLength, uint64_t{5000});
    QCOMPARE(r.storedLength, 1000u);
    QVERIFY(r.payloadTruncated());
    QCOMPARE(store.payload(0).size(), size_t{1000});
    QCOMPARE(store.payload(0)[999], uint8_t{0xAB});
    QCOMPARE(store.inflated(0).size(), size_t{10});
    QCOMPARE(store.messageSizes(0).inflatedSize, uint64_t{16});

    // A frame cut short by a violation: fewer bytes than declared, all of them kept.
    FrameBuilder cut(opcode::kText, "short");
    cut.setDeclaredLength(200);
    store.addFrame(cut.frame);
    QCOMPARE(store.record(1).declaredLength, uint64_t{200});
    QCOMPARE(store.record(1).payloadLength, uint64_t{5});
    QVERIFY(!store.record(1).payloadTruncated());
}

void TestCaptureStore::arenaChunksSmallPayloads() {
    CaptureStoreOptions options;
    options.chunkSize = 64 * 1024;
    CaptureStore store(options);
    const std::vector<uint8_t> payload(100, 0x5A);
    constexpr size_t kFrames = 10'000;
    for (size_t i = 0; i < kFrames; ++i) {
        FrameBuilder b(opcode::kBinary, payload);
        store.addFrame(b.frame);
    }
    const CaptureMemory memory = store.memory();
    const size_t minimum = (kFrames * payload.size() + options.chunkSize - 1) / options.chunkSize;
    QVERIFY2(memory.arenaChunks >= minimum && memory.arenaChunks <= minimum + 1,
             qPrintable(QString::number(memory.arenaChunks)));
    QCOMPARE(memory.dedicatedChunks, size_t{0});
    QCOMPARE(memory.payloadBytes >= kFrames * payload.size(), true);
    QCOMPARE(memory.recordBytes, CaptureStore::kBlockSize * sizeof(CaptureRecord));
    QCOMPARE(store.bytesUsed(), memory.recordBytes + memory.arenaBytes);
    for (size_t i = 0; i < kFrames; i += 997)
        QCOMPARE(store.payload(i)[99], uint8_t{0x5A});
}

void TestCaptureStore::bigPayloadGetsOwnChunk() {
    CaptureStoreOptions options;
    options.chunkSize = 64 * 1024;
    CaptureStore store(options);
    FrameBuilder small(opcode::kText, "before");
    store.addFrame(small.frame);
    QCOMPARE(store.memory().arenaChunks, size_t{1});

    std::vector<uint8_t> big(200 * 1024);
    for (size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<uint8_t>(i * 13);
    FrameBuilder large(opcode::kBinary, big);
    store.addFrame(large.frame);
    QCOMPARE(store.memory().arenaChunks, size_t{2});
    QCOMPARE(store.memory().dedicatedChunks, size_t{1});
    QCOMPARE(store.memory().arenaBytes, options.chunkSize + big.size());

    // Small payloads keep filling the shared chunk.
    FrameBuilder after(opcode::kText, "after");
    store.addFrame(after.frame);
    QCOMPARE(store.memory().arenaChunks, size_t{2});
    QCOMPARE(store.payload(0).data() + 6, store.payload(2).data());
    const std::span<const uint8_t> kept = store.payload(1);
    QVERIFY(std::equal(kept.begin(), kept.end(), big.begin(), big.end()));
}

void TestCaptureStore::notes() {
    CaptureStoreOptions options;
    options.payloadCap = 16;
    CaptureStore store(options);
    const std::string request = "GET /chat HTTP/1.1\r\nHost: example.com\r\n\r\n";
    store.addNote({10, 2, Direction::Outgoing, NoteKind::HandshakeRequest, request});
    store.addNote({20, 2, Direction::Incoming, NoteKind::HandshakeResponse, "HTTP/1.1 101"});
    store.addNote({30, 2, Direction::Incoming, NoteKind::Status, "Connected."});
    QCOMPARE(store.size(), size_t{3});
    const CaptureRecord& r = store.record(0);
    QCOMPARE(r.kind, RecordKind::HandshakeRequest);
    QVERIFY(r.isNote());
    QCOMPARE(r.timestampUs, int64_t{10});
    QCOMPARE(r.connectionId, 2u);
    QCOMPARE(r.direction, Direction::Outgoing);
    QCOMPARE(r.payloadLength, uint64_t{request.size()});
    QCOMPARE(store.noteText(0), std::string_view(request).substr(0, 16));
    QVERIFY(store.payload(0).empty());
    QCOMPARE(store.record(1).kind, RecordKind::HandshakeResponse);
    QCOMPARE(store.noteText(1), std::string_view("HTTP/1.1 101"));
    QCOMPARE(store.record(2).kind, RecordKind::Status);
    QCOMPARE(store.noteText(2), std::string_view("Connected."));
    QCOMPARE(store.record(2).messageIndex, kNoMessage);
}

void TestCaptureStore::clearFreesEverything() {
    CaptureStore store;
    FrameBuilder b(opcode::kText, "x");
    for (int i = 0; i < 100; ++i)
        store.addFrame(b.frame);
    const uint64_t generation = store.generation();
    store.clear();
    QCOMPARE(store.size(), size_t{0});
    QCOMPARE(store.bytesUsed(), size_t{0});
    QVERIFY(store.generation() != generation);
    store.addFrame(b.frame);
    QCOMPARE(store.size(), size_t{1});
    QCOMPARE(store.payload(0)[0], uint8_t{'x'});
}

void TestCaptureStore::concurrentAppend() {
    constexpr uint32_t kWriters = 4;
    constexpr uint64_t kPerWriter = 50'000;  // 200,000 rows: several record blocks
    CaptureStoreOptions options;
    options.chunkSize = 256 * 1024;
    CaptureStore store(options);

    std::atomic<bool> writersDone{false};
    std::atomic<size_t> torn{0};
    std::atomic<size_t> checkedByReader{0};
    std::thread reader([&] {
        size_t checked = 0;
        while (!writersDone.load(std::memory_order_acquire) || checked < store.size()) {
            const size_t published = store.size();
            for (; checked < published; ++checked) {
                if (!rowIsIntact(store, checked)) torn.fetch_add(1);
            }
            std::this_thread::yield();
        }
        checkedByReader = checked;
    });
    std::vector<std::thread> writers;
    for (uint32_t w = 0; w < kWriters; ++w) {
        writers.emplace_back([&store, w] {
            std::vector<uint8_t> bytes(64);
            for (uint64_t seq = 0; seq < kPerWriter; ++seq) {
                for (size_t k = 0; k < patternLength(seq); ++k)
                    bytes[k] = patternByte(w, seq, k);
                FrameBuilder b(opcode::kBinary, std::span<const uint8_t>(bytes.data(), patternLength(seq)),
                               Direction::Incoming, w);
                b.frame.timestampUs = static_cast<int64_t>(seq);
                b.frame.messageIndex = seq;
                store.addFrame(b.frame);
            }
        });
    }
    for (std::thread& t : writers)
        t.join();
    writersDone = true;
    reader.join();

    QCOMPARE(store.size(), size_t{kWriters * kPerWriter});
    QCOMPARE(torn.load(), size_t{0});
    QCOMPARE(checkedByReader.load(), store.size());
    std::vector<uint64_t> next(kWriters, 0);
    for (size_t row = 0; row < store.size(); ++row) {
        const CaptureRecord& r = store.record(row);
        QCOMPARE(r.messageIndex, next[r.connectionId]);  // each writer's frames in its order
        ++next[r.connectionId];
    }
    for (uint64_t n : next)
        QCOMPARE(n, kPerWriter);
}

// A proxy pair's capture (the app leg 11, the upstream leg 12): message 0 from the app relayed as is on the
// upstream leg, message 1 dropped, message 2 relayed while another connection's row came between its
// arrival and its relay. Each relayed frame links to exactly its message, through dropOldest() and a
// session file.
void TestCaptureStore::relayLinks() {
    CaptureStore store;
    auto arrive = [&store](std::string_view text, uint64_t index) {
        FrameBuilder b(opcode::kText, text, Direction::Incoming, 11);
        b.frame.leg = Leg::Client;
        b.frame.messageIndex = index;
        store.addFrame(b.frame);
    };
    auto relay = [&store](std::string_view text, uint64_t outIndex, uint64_t source) {
        FrameBuilder b(opcode::kText, text, Direction::Outgoing, 12);
        b.frame.leg = Leg::Upstream;
        b.frame.messageIndex = outIndex;
        b.frame.relayOfConnection = 11;
        b.frame.relayOfMessage = source;
        store.addFrame(b.frame);
    };
    QVERIFY(!store.hasRelays());
    arrive("zero", 0);    // row 0
    relay("zero", 0, 0);  // row 1
    arrive("one", 1);     // row 2
    store.addRelayFate({11, 1, RelayFate::Dropped});
    arrive("two", 2);                                                                    // row 3
    store.addFrame(FrameBuilder(opcode::kText, "other", Direction::Incoming, 5).frame);  // row 4
    relay("two", 1, 2);                                                                  // row 5
    QVERIFY(store.hasRelays());
    QVERIFY(!store.record(0).relayed());
    QVERIFY(store.record(1).relayed());
    QVERIFY(store.record(5).relayed());
    QCOMPARE(store.relayRows(0), (std::vector<size_t>{1}));
    QCOMPARE(store.relayRows(2), (std::vector<size_t>{}));
    QCOMPARE(store.relayRows(3), (std::vector<size_t>{5}));
    QCOMPARE(store.relayRows(4), (std::vector<size_t>{}));  // another connection's message
    QCOMPARE(store.relayRows(1), (std::vector<size_t>{}));  // a relay relays nothing further
    QCOMPARE(store.relayFate(11, 1), RelayFate::Dropped);
    QCOMPARE(store.relayFate(11, 2), RelayFate::None);
    QVERIFY(!store.relaySource(0));
    QCOMPARE(store.relaySource(5)->connectionId, 11u);
    QCOMPARE(store.relaySource(5)->messageIndex, uint64_t{2});

    // The default filter hides the relayed copies; both legs show them.
    CaptureFilter oneRow;
    CaptureFilter bothLegs;
    bothLegs.hideRelayed = false;
    QVERIFY(!oneRow.isActive());
    size_t shown = 0;
    size_t shownBoth = 0;
    for (size_t row = 0; row < store.size(); ++row) {
        shown += CaptureFilterMatcher(oneRow).matches(store, row);
        shownBoth += CaptureFilterMatcher(bothLegs).matches(store, row);
    }
    QCOMPARE(shown, size_t{4});
    QCOMPARE(shownBoth, size_t{6});

    // A session file keeps the links (readers ignore a frame body's trailing bytes).
    std::vector<uint8_t> file;
    QVERIFY(writeSessionFile(store, RowSet(), [&file](std::span<const uint8_t> chunk) {
                file.insert(file.end(), chunk.begin(), chunk.end());
                return true;
            }).ok);
    CaptureStore reopened;
    QVERIFY(readSessionFile(file, reopened).ok);
    QCOMPARE(reopened.size(), size_t{6});
    QVERIFY(reopened.record(5).relayed());
    QVERIFY(!reopened.record(3).relayed());
    QCOMPARE(reopened.relayRows(3), (std::vector<size_t>{5}));
    QCOMPARE(reopened.relaySource(1)->messageIndex, uint64_t{0});

    // Dropping the oldest rows renumbers the links and forgets those of dropped rows.
    QCOMPARE(store.dropOldest(2), size_t{2});
    QCOMPARE(store.relayRows(0), (std::vector<size_t>{}));
    QCOMPARE(store.relayRows(1), (std::vector<size_t>{3}));
    QCOMPARE(store.relaySource(3)->messageIndex, uint64_t{2});
    store.clear();
    QVERIFY(!store.hasRelays());
    QCOMPARE(store.size(), size_t{0});
    QCOMPARE(store.relayFate(11, 1), RelayFate::None);
}

QTEST_GUILESS_MAIN(TestCaptureStore)
#include "tst_capture_store.moc"
