// The session takes a whole unfragmented message in one step when its frame has all arrived (see
// Session::deliverWholeMessage). A frame whose header arrived first goes the general way, through the
// receive table. Both must queue the same events, field by field, leave the same replies and state, and
// number messages the same: each case here is fed whole, and split right after the header. With
// SessionOptions::frameEvents off, both ways must queue the same events less the Frame events.
#include <QTest>

#include <optional>

#include "framescope/close_code.h"
#include "session_log.h"

using namespace framescope;
using namespace framescope::test;

Q_DECLARE_METATYPE(framescope::test::Bytes)

namespace {

QString describeHeaderFully(const FrameHeader& h) {
    return describeFrameHeader(h) + QString(" key=%1 enc=%2 size=%3")
                                        .arg(toHex(h.maskKey).remove(' '))
                                        .arg(lengthEncodingName(h.lengthEncoding))
                                        .arg(h.headerSize);
}

// Every field of the event but `generation` (which counts parse steps, and so differs by design). Of a
// refused frame, how much payload is shown depends on how the bytes were split: that is left out.
QString describeEventFully(const Event& e, bool refused) {
    const QString payload =
        refused ? QString("(what arrived)")
                : QString::number(qHash(QByteArray(reinterpret_cast<const char*>(e.payload.data()),
                                                   qsizetype(e.payload.size())))) +
                      "/" + QString::number(e.payload.size());
    return QString(
               "kind=%1 complete=%2 follows=%3 compressed=%4 op=%5 close=%6 fragments=%7 [%8] raw=%9 "
               "payload=%10 index=%11 wire=%12 error=%13")
        .arg(int(e.kind))
        .arg(refused ? -1 : int(e.payloadComplete))
        .arg(int(e.derivedFollows))
        .arg(int(e.compressed))
        .arg(e.messageOpcode)
        .arg(e.closeCode)
        .arg(e.fragments)
        .arg(describeHeaderFully(e.header))
        .arg(toHex(e.rawHeader).remove(' '))
        .arg(payload)
        .arg(e.messageIndex == kNoMessage ? QString("none") : QString::number(e.messageIndex))
        .arg(e.wireSize)
        .arg(e.error ? e.error : "");
}

struct Outcome {
    QStringList events;
    QString replies;
    QString state;
    uint64_t messages = 0;
};

// A Frame event is described once its derived event is known (its views are still valid then).
void drainFully(Session& session, QStringList& log) {
    const Event* frame = nullptr;
    while (const Event* event = session.nextEventInPlace()) {
        if (frame != nullptr) log << describeEventFully(*frame, event->kind == EventKind::ProtocolError);
        frame = event->kind == EventKind::Frame && event->derivedFollows ? event : nullptr;
        if (frame == nullptr) log << describeEventFully(*event, false);
    }
}

// The replies' frames, unmasked: a client masks each with a fresh random key.
QString describeReplies(std::span<const uint8_t> bytes) {
    QString text;
    while (!bytes.empty()) {
        FrameHeader header;
        const HeaderParseResult parsed = parseFrameHeader(bytes, header);
        if (parsed.status != ParseStatus::Done) return text + " (unparsed " + toHex(bytes) + ")";
        Bytes payload(bytes.begin() + parsed.consumed,
                      bytes.begin() + parsed.consumed + header.payloadLength);
        if (header.masked) applyMask(payload.data(), payload.size(), header.maskKey);
        text += describeFrameHeader(header) + " " + toHex(payload) + "; ";
        bytes = bytes.subspan(parsed.consumed + payload.size());
    }
    return text;
}

size_t headerSizeOf(const Bytes& frame) {
    FrameHeader header;
    return parseFrameHeader(frame, header, {.tolerateNonMinimalLength = true}).consumed;
}

// Feeds each frame whole, or (`payloadFirst` set) its header and the first `*payloadFirst` payload bytes
// first, then the rest.
Outcome feed(const SessionOptions& options, const std::vector<Bytes>& frames, bool closeFirst,
             std::optional<size_t> payloadFirst) {
    Session session(options);
    if (closeFirst) {
        ByteBuffer ignored;
        session.sendClose(close_code::kNormal, "bye", ignored);
    }
    Outcome outcome;
    for (const Bytes& frame : frames) {
        const size_t first =
            payloadFirst ? std::min(frame.size(), headerSizeOf(frame) + *payloadFirst) : frame.size();
        session.receive({frame.data(), first});
        drainFully(session, outcome.events);
        session.receive({frame.data() + first, frame.size() - first});
        drainFully(session, outcome.events);
    }
    ByteBuffer replies;
    session.takePendingOutput(replies);
    outcome.replies = describeReplies(replies.view());
    outcome.state = sessionStateName(session.state());
    outcome.messages = session.messagesReceived();
    return outcome;
}

Bytes frameOf(const RawFrameSpec& spec) {
    ByteBuffer out;
    encodeRawFrame(spec, out);
    return Bytes(out.data(), out.data() + out.size());
}

Bytes dataFrame(uint8_t op, const Bytes& payload, bool masked, uint8_t firstByteExtra = 0) {
    RawFrameSpec spec;
    spec.fin = (firstByteExtra & 0x80) == 0;  // 0x80 here means: clear FIN
    spec.rsv1 = (firstByteExtra & 0x40) != 0;
    spec.opcode = op;
    spec.masked = masked;
    spec.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    spec.payload = payload;
    return frameOf(spec);
}

Bytes patterned(size_t size) {
    Bytes bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>('a' + i % 26);
    return bytes;
}

}  // namespace

class TstSessionWholeMessages : public QObject {
    Q_OBJECT

private slots:
    void sameEventsWholeOrSplit_data() {
        QTest::addColumn<int>("role");  // the receiving side
        QTest::addColumn<bool>("deflate");
        QTest::addColumn<bool>("closeFirst");
        QTest::addColumn<uint64_t>("maxMessage");
        QTest::addColumn<QList<Bytes>>("frames");
        const int server = int(Role::Server);
        const int client = int(Role::Client);
        const Bytes text = bytesOf("héllo, wörld");
        const Bytes badText = fromHex("68 65 c3 28 6c");  // an invalid 2-byte sequence
        QList<Bytes> sizes;
        for (size_t size : {1u, 125u, 126u, 1024u, 65535u, 65536u})
            sizes << dataFrame(opcode::kBinary, patterned(size), true);
        QTest::newRow("binary at each length encoding")
            << server << false << false << uint64_t(64 << 20) << sizes;
        QTest::newRow("text then binary") << server << false << false << uint64_t(64 << 20)
                                          << QList<Bytes>{dataFrame(opcode::kText, text, true),
                                                          dataFrame(opcode::kBinary, patterned(300), true)};
        QTest::newRow("client receives unmasked")
            << client << false << false << uint64_t(64 << 20)
            << QList<Bytes>{dataFrame(opcode::kText, text, false), dataFrame(opcode::kBinary, text, false)};
        QTest::newRow("uncompressed on a deflate connection")
            << server << true << false << uint64_t(64 << 20)
            << QList<Bytes>{dataFrame(opcode::kBinary, patterned(500), true)};
        QTest::newRow("after our close") << server << false << true << uint64_t(64 << 20)
                                         << QList<Bytes>{dataFrame(opcode::kText, text, true)};
        QTest::newRow("invalid UTF-8") << server << false << false << uint64_t(64 << 20)
                                       << QList<Bytes>{dataFrame(opcode::kText, badText, true)};
        QTest::newRow("unmasked from a client") << server << false << false << uint64_t(64 << 20)
                                                << QList<Bytes>{dataFrame(opcode::kBinary, text, false)};
        QTest::newRow("masked from a server") << client << false << false << uint64_t(64 << 20)
                                              << QList<Bytes>{dataFrame(opcode::kBinary, text, true)};
        QTest::newRow("RSV1 without deflate") << server << false << false << uint64_t(64 << 20)
                                              << QList<Bytes>{dataFrame(opcode::kBinary, text, true, 0x40)};
        QTest::newRow("over the message limit")
            << server << false << false << uint64_t(200)
            << QList<Bytes>{dataFrame(opcode::kBinary, patterned(100), true),
                            dataFrame(opcode::kBinary, patterned(201), true)};
        QTest::newRow("whole messages between control frames")
            << server << false << false << uint64_t(64 << 20)
            << QList<Bytes>{dataFrame(opcode::kBinary, patterned(200), true),
                            dataFrame(opcode::kPing, text, true),
                            dataFrame(opcode::kPing, {}, true),
                            dataFrame(opcode::kText, text, true),
                            dataFrame(opcode::kPong, text, true),
                            dataFrame(opcode::kBinary, patterned(3), true)};
        QTest::newRow("the same binary messages again (rx_ has room: read ahead by receive())")
            << server << false << false << uint64_t(64 << 20)
            << QList<Bytes>{dataFrame(opcode::kBinary, patterned(1024), true),
                            dataFrame(opcode::kBinary, patterned(1024), true),
                            dataFrame(opcode::kBinary, patterned(126), true),
                            dataFrame(opcode::kBinary, patterned(0), true),
                            dataFrame(opcode::kBinary, patterned(1024), true)};
        QTest::newRow("a fragment, then a new message")
            << server << false << false << uint64_t(64 << 20)
            << QList<Bytes>{dataFrame(opcode::kBinary, text, true, 0x80),
                            dataFrame(opcode::kBinary, text, true)};
    }

    void sameEventsWholeOrSplit() {
        QFETCH(int, role);
        QFETCH(bool, deflate);
        QFETCH(bool, closeFirst);
        QFETCH(uint64_t, maxMessage);
        QFETCH(QList<Bytes>, frames);
        SessionOptions options;
        options.role = Role(role);
        options.limits.maxMessageSize = maxMessage;
        if (deflate) options.deflate = DeflateParams{};
        const std::vector<Bytes> list(frames.begin(), frames.end());
        const Outcome whole = feed(options, list, closeFirst, std::nullopt);
        QVERIFY(!whole.events.isEmpty());
        // The header, with none or one byte of the payload: the frame is in progress when its header is
        // accepted, so it goes the general way.
        for (size_t payloadFirst : {size_t{0}, size_t{1}}) {
            const Outcome parts = feed(options, list, closeFirst, payloadFirst);
            QCOMPARE(parts.events, whole.events);
            QCOMPARE(parts.replies, whole.replies);
            QCOMPARE(parts.state, whole.state);
            QCOMPARE(parts.messages, whole.messages);
        }
        // Without Frame events: the same derived events, whichever way the bytes came.
        QStringList derived;
        for (const QString& event : whole.events) {
            if (!event.startsWith("kind=0 ")) derived << event;
        }
        options.frameEvents = false;
        for (std::optional<size_t> payloadFirst : {std::optional<size_t>{}, std::optional<size_t>{0}}) {
            const Outcome messagesOnly = feed(options, list, closeFirst, payloadFirst);
            QCOMPARE(messagesOnly.events, derived);
            QCOMPARE(messagesOnly.replies, whole.replies);
            QCOMPARE(messagesOnly.state, whole.state);
            QCOMPARE(messagesOnly.messages, whole.messages);
        }
    }

    void wholeMessageEventsSayWhatArrived() {
        SessionOptions options;
        options.role = Role::Server;
        Session session(options);
        const Bytes payload = patterned(1024);
        const Bytes wire = dataFrame(opcode::kBinary, payload, true);
        for (uint64_t round = 0; round < 3; ++round) {
            QCOMPARE(session.receive(wire), LocalError::None);
            const Event* frame = session.nextEventInPlace();
            QVERIFY(frame && frame->kind == EventKind::Frame && frame->derivedFollows);
            QCOMPARE(toHex(frame->rawHeader), toHex({wire.data(), 8}));
            QCOMPARE(frame->header.payloadLength, uint64_t(1024));
            QCOMPARE(frame->header.lengthEncoding, LengthEncoding::Bits16);
            QCOMPARE(frame->messageIndex, round);
            const Event* message = session.nextEventInPlace();
            QVERIFY(message && message->kind == EventKind::Message && !message->derivedFollows);
            QVERIFY(
                std::equal(payload.begin(), payload.end(), message->payload.begin(), message->payload.end()));
            QCOMPARE(message->messageIndex, round);
            QCOMPARE(message->fragments, 1u);
            QCOMPARE(message->wireSize, uint64_t(1024));
            QVERIFY(session.isCurrent(*frame));  // the frame outlives its derived event's handling
            QVERIFY(session.nextEventInPlace() == nullptr);
        }
    }

    // receive() reads one whole binary message ahead (Session::receiveOneBinaryMessage): its event waits
    // for the next nextEvent(). Whatever comes between must not lose, repeat or reorder it.
    void readAheadMessageSurvivesWhatComesBetween_data() {
        QTest::addColumn<QString>("between");
        QTest::addColumn<int>("delivered");  // of the two messages sent
        for (const char* between : {"nothing", "receive", "prepareReceive", "releaseIdleMemory", "sendClose"})
            QTest::newRow(between) << QString(between) << 2;
        QTest::newRow("fail") << QString("fail") << 0;
    }

    void readAheadMessageSurvivesWhatComesBetween() {
        QFETCH(QString, between);
        QFETCH(int, delivered);
        SessionOptions options;
        options.role = Role::Server;
        options.frameEvents = false;
        Session session(options);
        const Bytes first = patterned(1024);
        const Bytes second = patterned(700);
        const Bytes firstWire = dataFrame(opcode::kBinary, first, true);
        const Bytes secondWire = dataFrame(opcode::kBinary, second, true);
        QCOMPARE(session.receive(firstWire), LocalError::None);  // gives rx_ room, the general way
        QVERIFY(session.nextEventInPlace() != nullptr);
        QVERIFY(session.nextEventInPlace() == nullptr);

        QCOMPARE(session.receive(firstWire), LocalError::None);
        QCOMPARE(session.bufferedBytes(), firstWire.size());  // read ahead, not yet parsed
        bool secondSent = false;
        if (between == "receive") {
            QCOMPARE(session.receive(secondWire), LocalError::None);
            secondSent = true;
        } else if (between == "prepareReceive") {
            uint8_t* into = nullptr;
            QCOMPARE(session.prepareReceive(secondWire.size(), into), LocalError::None);
            std::copy(secondWire.begin(), secondWire.end(), into);
            session.commitReceive(secondWire.size());
            secondSent = true;
        } else if (between == "releaseIdleMemory") {
            session.releaseIdleMemory();
        } else if (between == "sendClose") {
            ByteBuffer ignored;
            QCOMPARE(session.sendClose(close_code::kNormal, "bye", ignored), LocalError::None);
        } else if (between == "fail") {
            session.fail(close_code::kInternalError, "stopped");
        }
        QList<Bytes> payloads;
        QList<uint64_t> indices;
        while (const Event* event = session.nextEventInPlace()) {
            QCOMPARE(event->kind, EventKind::Message);
            QVERIFY(session.isCurrent(*event));
            payloads << Bytes(event->payload.begin(), event->payload.end());
            indices << event->messageIndex;
        }
        if (!secondSent && delivered != 0) {
            QCOMPARE(session.receive(secondWire), LocalError::None);
            while (const Event* event = session.nextEventInPlace()) {
                payloads << Bytes(event->payload.begin(), event->payload.end());
                indices << event->messageIndex;
            }
        }
        const QList<Bytes> expected = delivered == 0 ? QList<Bytes>{} : QList<Bytes>{first, second};
        QCOMPARE(payloads, expected);
        const QList<uint64_t> expectedIndices = delivered == 0 ? QList<uint64_t>{} : QList<uint64_t>{1, 2};
        QCOMPARE(indices, expectedIndices);
        QCOMPARE(session.messagesReceived(), uint64_t(1 + delivered));
        QCOMPARE(session.bufferedBytes(), size_t{0});
    }
};

QTEST_APPLESS_MAIN(TstSessionWholeMessages)
#include "tst_session_whole_messages.moc"
