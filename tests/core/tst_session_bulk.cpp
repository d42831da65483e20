// The bulk paths for whole messages (Session::takeWholeMessages(), Session::echoWholeMessages() and its
// in-place form) must
// change nothing a caller can see but speed: the same messages with the same numbers, the same replies
// byte for byte, the same errors, and every frame they do not take left for nextEvent(). Each case feeds
// one stream of frames to a reference session read through nextEvent() alone, and to a session read
// through the bulk path with nextEvent() for the rest, whole and in two pieces.
#include <QTest>

#include "framescope/frame.h"
#include "framescope/session.h"
#include "test_util.h"

using namespace framescope;
using namespace framescope::test;

Q_DECLARE_METATYPE(framescope::test::Bytes)

namespace {

// One frame as a peer in `from` sends it: a client masks (with a fixed key, to keep cases readable).
struct FrameSpec {
    uint8_t opcode = opcode::kBinary;
    bool fin = true;
    bool rsv1 = false;
    Bytes payload;
};

Bytes encode(const std::vector<FrameSpec>& frames, Role from) {
    ByteBuffer out;
    for (const FrameSpec& spec : frames) {
        RawFrameSpec raw;
        raw.fin = spec.fin;
        raw.rsv1 = spec.rsv1;
        raw.opcode = spec.opcode;
        raw.masked = from == Role::Client;
        raw.maskKey = {0x37, 0xfa, 0x21, 0x3d};
        raw.payload = spec.payload;
        encodeRawFrame(raw, out);
    }
    return Bytes(out.data(), out.data() + out.size());
}

Bytes filled(size_t size, uint8_t seed) {
    Bytes bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(seed + i * 7);
    return bytes;
}

QString describe(const Event& event) {
    return QString("kind=%1 op=%2 index=%3 payload=%4 close=%5 error=%6")
        .arg(int(event.kind))
        .arg(event.messageOpcode)
        .arg(event.messageIndex == kNoMessage ? -1 : qint64(event.messageIndex))
        .arg(toHex(event.payload))
        .arg(event.closeCode)
        .arg(event.error ? event.error : "");
}

QString describe(const Session::WholeMessage& message) {
    return QString("kind=%1 op=%2 index=%3 payload=%4 close=0 error=")
        .arg(int(EventKind::Message))
        .arg(message.opcode)
        .arg(qint64(message.index))
        .arg(toHex(message.payload));
}

SessionOptions optionsFor(Role role) {
    SessionOptions options;
    options.role = role;
    options.frameEvents = false;
    options.limits.maxFramePayload = 70000;
    options.limits.maxMessageSize = 70000;
    return options;
}

// What a reader sees, and what an echo server sends, reading `pieces` one after the other.
struct Outcome {
    QStringList events;
    Bytes sent;
    QString state;
    uint64_t messages = 0;
    uint64_t bulk = 0;  // messages the bulk path took (0 for the reference)
};

enum class Way { Reference, Take, Echo, EchoInPlace };

// The echo of a Message event, as an echo server sends it from the event.
void echoEvent(Session& session, const Event& event, ByteBuffer& out) {
    if (event.kind != EventKind::Message) return;
    if (event.messageOpcode == opcode::kText) {
        session.sendText({reinterpret_cast<const char*>(event.payload.data()), event.payload.size()}, out);
    } else {
        session.sendBinary(event.payload, out);
    }
}

// Reads what is buffered: the bulk path first each time, nextEvent() for what it leaves.
void drain(Session& session, Way way, Outcome& outcome, ByteBuffer& out, uint64_t echoLimit) {
    for (;;) {
        if (way == Way::Take) {
            Session::WholeMessage batch[3];
            const size_t taken = session.takeWholeMessages(batch);
            for (size_t i = 0; i < taken; ++i)
                outcome.events << describe(batch[i]);
            outcome.bulk += taken;
            if (taken == std::size(batch)) continue;
        } else if (way == Way::Echo) {
            Session::Echoed echoed;
            session.echoWholeMessages(out, echoLimit, echoed);
            outcome.bulk += echoed.messages;
        } else if (way == Way::EchoInPlace) {
            Session::Echoed echoed;
            out.append(session.echoWholeMessagesInPlace(echoLimit, echoed));  // before any other reply
            outcome.bulk += echoed.messages;
        }
        const Event* event = session.nextEventInPlace();
        if (event == nullptr) return;
        outcome.events << describe(*event);
        if (way != Way::Take) echoEvent(session, *event, out);
        if (session.hasPendingOutput()) session.takePendingOutput(out);
    }
}

// `viaReceive`: the pieces go through receive() (which unmasks whole frames on the way in) instead of
// prepareReceive() (as the socket drivers read).
Outcome run(const SessionOptions& options, const Bytes& stream, size_t split, Way way,
            uint64_t echoLimit = UINT64_MAX, bool viaReceive = false) {
    Session session(options);
    Outcome outcome;
    ByteBuffer out;
    const size_t cut = std::min(split, stream.size());
    const std::span<const uint8_t> all(stream);
    for (const std::span<const uint8_t> piece : {all.first(cut), all.subspan(cut)}) {
        if (piece.empty()) continue;
        if (viaReceive) {
            if (session.receive(piece) != LocalError::None) QTest::qFail("refused", "", 0);
        } else {
            uint8_t* into = nullptr;
            if (session.prepareReceive(piece.size(), into) != LocalError::None)
                QTest::qFail("refused", "", 0);
            std::copy(piece.begin(), piece.end(), into);
            session.commitReceive(piece.size());
        }
        drain(session, way, outcome, out, echoLimit);
    }
    outcome.sent.assign(out.data(), out.data() + out.size());
    outcome.state = sessionStateName(session.state());
    outcome.messages = session.messagesReceived();
    return outcome;
}

void addCase(const char* name, const std::vector<FrameSpec>& frames) {
    QTest::newRow(name) << frames;
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<FrameSpec>)

class TestSessionBulk : public QObject {
    Q_OBJECT
private slots:
    void sameAsEvents_data();
    void sameAsEvents();
    void echoStopsAtItsLimit();
    void echoOnlyWhereItsReplyIsExact();
    void takenPayloadsStayUntilTheNextCall();
    void messageReadAheadIsTakenOnce();
};

void TestSessionBulk::sameAsEvents_data() {
    QTest::addColumn<std::vector<FrameSpec>>("frames");
    const Bytes hello = bytesOf("hello");
    addCase("binary messages", {{opcode::kBinary, true, false, filled(64, 1)},
                                {opcode::kBinary, true, false, filled(0, 2)},
                                {opcode::kBinary, true, false, filled(300, 3)},
                                {opcode::kBinary, true, false, filled(125, 4)},
                                {opcode::kBinary, true, false, filled(126, 5)},
                                {opcode::kBinary, true, false, filled(65535, 6)},
                                {opcode::kBinary, true, false, filled(65536, 7)},
                                {opcode::kText, true, false, Bytes(69999, 'a')},
                                {opcode::kBinary, true, false, filled(1, 8)}});
    addCase("text, a ping and a fragmented message between",
            {{opcode::kText, true, false, hello},
             {opcode::kPing, true, false, bytesOf("p")},
             {opcode::kText, true, false, bytesOf("h\xc3\xa9")},
             {opcode::kBinary, false, false, filled(10, 6)},
             {opcode::kPing, true, false, {}},
             {opcode::kContinuation, true, false, filled(5, 7)},
             {opcode::kBinary, true, false, filled(200, 8)},
             {opcode::kText, true, false, hello}});
    addCase("text that is not UTF-8 ends it", {{opcode::kBinary, true, false, filled(20, 9)},
                                               {opcode::kText, true, false, bytesOf("ok")},
                                               {opcode::kText, true, false, bytesOf("\xc3\x28")},
                                               {opcode::kBinary, true, false, filled(20, 10)}});
    addCase("a message past the limit ends it", {{opcode::kBinary, true, false, filled(30, 11)},
                                                 {opcode::kBinary, true, false, filled(70001, 12)}});
    addCase("RSV1 without deflate ends it",
            {{opcode::kBinary, true, false, filled(3, 13)}, {opcode::kBinary, true, true, filled(3, 14)}});
    addCase("a close, then a message the session ignores", {{opcode::kBinary, true, false, filled(3, 15)},
                                                            {opcode::kClose, true, false, {0x03, 0xe8}},
                                                            {opcode::kBinary, true, false, filled(3, 16)}});
}

// For each role and each split point: the bulk path reads the same messages, in the same order, with the
// same numbers, and leaves the same state; a server's echo sends exactly the reference's bytes (a client's
// replies carry random mask keys, and its session echoes nothing).
void TestSessionBulk::sameAsEvents() {
    QFETCH(std::vector<FrameSpec>, frames);
    for (const Role role : {Role::Server, Role::Client}) {
        const SessionOptions options = optionsFor(role);
        const Bytes stream = encode(frames, role == Role::Server ? Role::Client : Role::Server);
        uint64_t taken = 0;
        uint64_t echoed = 0;
        for (size_t split = 0; split <= stream.size(); split += std::max<size_t>(1, stream.size() / 37)) {
            const Outcome reference = run(options, stream, split, Way::Reference);
            const QByteArray where = QString("role %1, split at %2").arg(int(role)).arg(split).toUtf8();
            const Outcome take = run(options, stream, split, Way::Take);
            QVERIFY2(take.events == reference.events, where);
            QVERIFY2(take.state == reference.state && take.messages == reference.messages, where);
            taken += take.bulk;
            for (const Way way : {Way::Echo, Way::EchoInPlace}) {
                for (const bool viaReceive : {false, true}) {
                    const Outcome echo = run(options, stream, split, way, UINT64_MAX, viaReceive);
                    const QByteArray how = where + (way == Way::Echo ? ", copied" : ", in place") +
                                           (viaReceive ? ", through receive()" : "");
                    QVERIFY2(echo.events.size() + qsizetype(echo.bulk) == reference.events.size(), how);
                    QVERIFY2(echo.state == reference.state && echo.messages == reference.messages, how);
                    if (role == Role::Server) QVERIFY2(echo.sent == reference.sent, how);
                    echoed += echo.bulk;
                }
            }
        }
        QVERIFY(taken > 0);  // the bulk path was taken, not only the events
        QCOMPARE(echoed > 0, role == Role::Server);
    }
}

// Past `maxBytes` of payload the echo stops, and the rest reaches nextEvent() as Message events.
void TestSessionBulk::echoStopsAtItsLimit() {
    const Bytes stream = encode({{opcode::kBinary, true, false, filled(40, 1)},
                                 {opcode::kBinary, true, false, filled(40, 2)},
                                 {opcode::kBinary, true, false, filled(40, 3)}},
                                Role::Client);
    const SessionOptions options = optionsFor(Role::Server);
    const Outcome reference = run(options, stream, stream.size(), Way::Reference);
    for (const Way way : {Way::Echo, Way::EchoInPlace}) {
        const Outcome limited = run(options, stream, stream.size(), way, 90);
        QCOMPARE(limited.bulk, uint64_t{2});
        QCOMPARE(limited.events.size(), 1);
        QVERIFY(limited.events[0].contains("index=2"));
        QCOMPARE(toHex(limited.sent), toHex(reference.sent));
    }
}

// The echo's frame is what sendText()/sendBinary() would send only for an open server's session without
// deflate and without Frame events: elsewhere it echoes nothing.
void TestSessionBulk::echoOnlyWhereItsReplyIsExact() {
    const Bytes stream = encode({{opcode::kBinary, true, false, filled(8, 1)}}, Role::Client);
    SessionOptions withFrames = optionsFor(Role::Server);
    withFrames.frameEvents = true;
    SessionOptions withDeflate = optionsFor(Role::Server);
    withDeflate.deflate = DeflateParams{};
    for (const SessionOptions& options : {withFrames, withDeflate}) {
        Session session(options);
        QCOMPARE(session.receive(stream), LocalError::None);
        ByteBuffer out;
        Session::Echoed echoed;
        session.echoWholeMessages(out, UINT64_MAX, echoed);
        QVERIFY(session.echoWholeMessagesInPlace(UINT64_MAX, echoed).empty());
        QCOMPARE(echoed.messages, uint64_t{0});
        QCOMPARE(out.size(), size_t{0});
        const Event* event = session.nextEventInPlace();
        QVERIFY(event != nullptr);
        if (event->kind == EventKind::Frame) event = session.nextEventInPlace();
        QVERIFY(event != nullptr && event->kind == EventKind::Message);
    }
}

// The payloads of one takeWholeMessages() call are all valid together, until the next call.
void TestSessionBulk::takenPayloadsStayUntilTheNextCall() {
    std::vector<FrameSpec> frames;
    for (uint8_t i = 0; i < 8; ++i)
        frames.push_back({opcode::kBinary, true, false, filled(100 + i, i)});
    const Bytes stream = encode(frames, Role::Client);
    Session session(optionsFor(Role::Server));
    QCOMPARE(session.receive(stream), LocalError::None);
    Session::WholeMessage batch[8];
    QCOMPARE(session.takeWholeMessages(batch), size_t{8});
    for (uint8_t i = 0; i < 8; ++i) {
        QCOMPARE(batch[i].index, uint64_t{i});
        QCOMPARE(toHex(batch[i].payload), toHex(filled(100 + i, i)));
    }
    QCOMPARE(session.takeWholeMessages(batch), size_t{0});
    QVERIFY(session.nextEventInPlace() == nullptr);
}

// receive() of exactly one whole binary message reads it ahead (its event is written before it is asked
// for): the bulk paths take it once, with its number, and nextEvent() does not deliver it again.
void TestSessionBulk::messageReadAheadIsTakenOnce() {
    const Bytes stream = encode({{opcode::kBinary, true, false, filled(50, 1)}}, Role::Client);
    for (const Way way : {Way::Take, Way::Echo, Way::EchoInPlace}) {
        Session session(optionsFor(Role::Server));
        for (uint64_t round = 0; round < 3; ++round) {
            QCOMPARE(session.receive(stream), LocalError::None);
            ByteBuffer out;
            if (way == Way::Take) {
                Session::WholeMessage batch[2];
                QCOMPARE(session.takeWholeMessages(batch), size_t{1});
                QCOMPARE(batch[0].index, round);
                QCOMPARE(toHex(batch[0].payload), toHex(filled(50, 1)));
            } else {
                Session::Echoed echoed;
                if (way == Way::Echo) {
                    session.echoWholeMessages(out, UINT64_MAX, echoed);
                } else {
                    out.append(session.echoWholeMessagesInPlace(UINT64_MAX, echoed));
                }
                QCOMPARE(echoed.messages, uint64_t{1});
                QCOMPARE(toHex(out.view()), "82 32 " + toHex(filled(50, 1)));
            }
            QVERIFY(session.nextEventInPlace() == nullptr);
            QCOMPARE(session.messagesReceived(), round + 1);
        }
    }
}

QTEST_APPLESS_MAIN(TestSessionBulk)
#include "tst_session_bulk.moc"
