// A client session and a server session wired to each other in memory: every message kind, sizes,
// fragmentation, compression, closing from either side, automatic replies and local errors.
#include <QTest>

#include <random>
#include <set>

#include "framescope/close_code.h"
#include "session_log.h"

using namespace framescope;
using namespace framescope::test;

namespace {

struct Pair {
    explicit Pair(std::optional<DeflateParams> deflate = std::nullopt)
        : client(SessionOptions{.role = Role::Client, .deflate = deflate}),
          server(SessionOptions{.role = Role::Server, .deflate = deflate}) {}

    // Delivers `wire` (written by one side) to the other, plus that side's automatic replies back.
    QStringList deliver(Session& to, Session& from, ByteBuffer& wire) {
        QStringList log;
        from.takePendingOutput(wire);
        to.receive(wire.view());
        wire.clear();
        drainEvents(to, log);
        return log;
    }
    QStringList toServer() { return deliver(server, client, clientOut); }
    QStringList toClient() { return deliver(client, server, serverOut); }

    Session client;
    Session server;
    ByteBuffer clientOut;
    ByteBuffer serverOut;
};

Bytes randomBytes(size_t size, uint32_t seed) {
    std::mt19937 rng(seed);
    Bytes bytes(size);
    for (auto& b : bytes)
        b = uint8_t(rng());
    return bytes;
}

std::string randomText(size_t size, uint32_t seed) {
    static const char* pieces[] = {"a", "κ", "€", "𝄞", " ", "z", "\n"};
    std::mt19937 rng(seed);
    std::string text;
    while (text.size() < size)
        text += pieces[rng() % 7];
    return text;
}

Event lastEventOf(Session& session, EventKind kind, int* count = nullptr) {
    Event event, found;
    int n = 0;
    while (session.nextEvent(event)) {
        if (event.kind == kind) {
            found = event;
            ++n;
        }
    }
    if (count) *count = n;
    return found;
}

}  // namespace

Q_DECLARE_METATYPE(std::optional<framescope::DeflateParams>)

class TstSession : public QObject {
    Q_OBJECT

private slots:
    void messagesBothWays_data() {
        QTest::addColumn<bool>("deflate");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("fragment");
        for (bool deflate : {false, true}) {
            for (int size : {0, 1, 125, 126, 65535, 65536, 1 << 20}) {
                for (int fragment : {0, 1000, 7}) {
                    if (fragment == 7 && size > 65536) continue;
                    QTest::addRow("%s size=%d fragment=%d", deflate ? "deflate" : "plain", size, fragment)
                        << deflate << size << fragment;
                }
            }
        }
    }

    void messagesBothWays() {
        QFETCH(bool, deflate);
        QFETCH(int, size);
        QFETCH(int, fragment);
        Pair pair(deflate ? std::optional(DeflateParams{}) : std::nullopt);
        const SendOptions options{.fragmentSize = size_t(fragment)};
        const std::string text = randomText(size_t(size), uint32_t(size));
        const Bytes binary = randomBytes(size_t(size), uint32_t(size + 1));

        for (Session* from : {&pair.client, &pair.server}) {
            Session& to = from == &pair.client ? pair.server : pair.client;
            ByteBuffer& out = from == &pair.client ? pair.clientOut : pair.serverOut;
            QCOMPARE(from->sendText(text, out, options), LocalError::None);
            QCOMPARE(from->sendBinary(binary, out, options), LocalError::None);
            to.receive(out.view());
            out.clear();
            Event event;
            std::vector<Event> messages;
            int frames = 0;
            QStringList texts;
            while (to.nextEvent(event)) {
                QVERIFY2(event.kind != EventKind::ProtocolError, event.error);
                if (event.kind == EventKind::Frame) {
                    ++frames;
                    QCOMPARE(event.header.masked, from == &pair.client);
                    QCOMPARE(event.header.rsv1, deflate && event.header.opcode != opcode::kContinuation);
                }
                if (event.kind != EventKind::Message) continue;
                QCOMPARE(event.compressed, deflate);
                if (event.messageOpcode == opcode::kText) {
                    QCOMPARE(std::string_view(reinterpret_cast<const char*>(event.payload.data()),
                                              event.payload.size()),
                             std::string_view(text));
                } else {
                    QVERIFY(
                        std::equal(event.payload.begin(), event.payload.end(), binary.begin(), binary.end()));
                }
                messages.push_back(event);
            }
            QCOMPARE(messages.size(), size_t(2));
            if (fragment != 0 && !deflate) {
                const auto framesFor = [&](size_t bytes) {
                    return std::max<size_t>(1, (bytes + fragment - 1) / fragment);
                };
                QCOMPARE(size_t(frames), framesFor(text.size()) + framesFor(binary.size()));
            }
            if (!deflate) QCOMPARE(messages[1].wireSize, uint64_t(size));
        }
    }

    void compressionShrinksRepetitiveText() {
        Pair pair(DeflateParams{});
        const std::string text(10000, 'x');
        QCOMPARE(pair.client.sendText(text, pair.clientOut), LocalError::None);
        QVERIFY(pair.clientOut.size() < 200);
        pair.server.receive(pair.clientOut.view());
        const Event message = lastEventOf(pair.server, EventKind::Message);
        QCOMPARE(message.payload.size(), text.size());
        QVERIFY(message.wireSize < 200);
        QVERIFY(message.compressed);
    }

    void uncompressedSendOnDeflateConnection() {
        Pair pair(DeflateParams{});
        QCOMPARE(pair.client.sendText("plain", pair.clientOut, {.compress = false}), LocalError::None);
        QCOMPARE(int(pair.clientOut.data()[0]), 0x81);  // no RSV1
        pair.server.receive(pair.clientOut.view());
        const Event message = lastEventOf(pair.server, EventKind::Message);
        QVERIFY(!message.compressed);
        QCOMPARE(message.payload.size(), size_t(5));
    }

    void noContextTakeoverBothWays() {
        DeflateParams params;
        params.clientNoContextTakeover = true;
        params.serverNoContextTakeover = true;
        params.clientMaxWindowBits = 9;
        params.serverMaxWindowBits = 10;
        Pair pair(params);
        const std::string text = randomText(5000, 7);
        uint64_t firstWireSize = 0;
        for (int round = 0; round < 3; ++round) {
            QCOMPARE(pair.client.sendText(text, pair.clientOut), LocalError::None);
            pair.server.receive(pair.clientOut.view());
            pair.clientOut.clear();
            int count = 0;
            const Event message = lastEventOf(pair.server, EventKind::Message, &count);
            QCOMPARE(count, 1);
            QCOMPARE(message.payload.size(), text.size());
            // Without context takeover every message compresses alone, to the same size.
            if (round == 0) firstWireSize = message.wireSize;
            QCOMPARE(message.wireSize, firstWireSize);

            QCOMPARE(pair.server.sendText(text, pair.serverOut), LocalError::None);
            pair.client.receive(pair.serverOut.view());
            pair.serverOut.clear();
            QCOMPARE(lastEventOf(pair.client, EventKind::Message, &count).payload.size(), text.size());
            QCOMPARE(count, 1);
        }
    }

    void contextTakeoverShrinksRepeats() {
        Pair pair(DeflateParams{});
        const std::string text = randomText(2000, 9);
        QCOMPARE(pair.client.sendText(text, pair.clientOut), LocalError::None);
        const size_t first = pair.clientOut.size();
        pair.clientOut.clear();
        QCOMPARE(pair.client.sendText(text, pair.clientOut), LocalError::None);
        QVERIFY2(pair.clientOut.size() < first / 4, "the second copy should refer back to the first");
    }

    void pingPongBothWays() {
        Pair pair;
        const Bytes payload = bytesOf("are you there");
        QCOMPARE(pair.client.sendPing(payload, pair.clientOut), LocalError::None);
        QCOMPARE(pair.toServer(), QStringList({"frame fin=1 rsv=000 op=ping mask=1 len=13",
                                               "ping 61726520796f75207468657265"}));
        // The server's automatic pong goes back with the same payload.
        QCOMPARE(pair.toClient(), QStringList({"frame fin=1 rsv=000 op=pong mask=0 len=13",
                                               "pong 61726520796f75207468657265"}));
        QCOMPARE(pair.server.sendPong(bytesOf("unsolicited"), pair.serverOut), LocalError::None);
        QCOMPARE(pair.toClient().last(), QString("pong 756e736f6c696369746564"));
        QVERIFY(!pair.client.hasPendingOutput());  // pongs are never answered
    }

    void closeFromClient() {
        Pair pair;
        QCOMPARE(pair.client.sendClose(close_code::kNormal, "done", pair.clientOut), LocalError::None);
        QCOMPARE(pair.client.state(), SessionState::CloseSent);
        QCOMPARE(pair.client.sendText("late", pair.clientOut), LocalError::NotOpen);
        QCOMPARE(pair.client.sendPing({}, pair.clientOut), LocalError::NotOpen);
        QCOMPARE(pair.toServer(), QStringList({"frame fin=1 rsv=000 op=close mask=1 len=6",
                                               "close code=1000 reason=\"done\""}));
        QCOMPARE(pair.server.state(), SessionState::Closed);
        QCOMPARE(pair.toClient(),
                 QStringList({"frame fin=1 rsv=000 op=close mask=0 len=2", "close code=1000 reason=\"\""}));
        QCOMPARE(pair.client.state(), SessionState::Closed);
        QVERIFY(!pair.client.hasPendingOutput());
    }

    void closeFromServerWithoutAutoReply() {
        Session client(SessionOptions{.role = Role::Client, .autoCloseReply = false});
        Session server(SessionOptions{.role = Role::Server});
        ByteBuffer wire;
        QCOMPARE(server.sendClose(4000, "bye", wire), LocalError::None);
        client.receive(wire.view());
        wire.clear();
        QStringList log;
        drainEvents(client, log);
        QCOMPARE(log.last(), QString("close code=4000 reason=\"bye\""));
        QCOMPARE(client.state(), SessionState::CloseReceived);
        QVERIFY(!client.hasPendingOutput());
        // "Nothing but the close reply after a close" (RFC 6455 §5.5.1).
        QCOMPARE(client.sendText("more", wire), LocalError::NotOpen);
        QCOMPARE(client.sendClose(close_code::kGoingAway, {}, wire), LocalError::None);
        QCOMPARE(client.state(), SessionState::Closed);
        server.receive(wire.view());
        log.clear();
        drainEvents(server, log);
        QCOMPARE(log.last(), QString("close code=1001 reason=\"\""));
        QCOMPARE(server.state(), SessionState::Closed);
    }

    void localErrors() {
        Session client(SessionOptions{.role = Role::Client});
        ByteBuffer out;
        const Bytes big(126, 'x');
        QCOMPARE(client.sendPing(big, out), LocalError::ControlPayloadTooLong);
        QCOMPARE(client.sendPong(big, out), LocalError::ControlPayloadTooLong);
        QCOMPARE(client.sendText("\xc0\x80", out), LocalError::InvalidUtf8);
        QCOMPARE(client.sendClose(1005, "reason", out), LocalError::InvalidCloseCode);
        QCOMPARE(client.sendClose(1006, {}, out), LocalError::InvalidCloseCode);
        QCOMPARE(client.sendClose(999, {}, out), LocalError::InvalidCloseCode);
        QCOMPARE(client.sendClose(1000, std::string(124, 'r'), out), LocalError::CloseReasonTooLong);
        QCOMPARE(client.sendClose(1000, "\xff", out), LocalError::InvalidUtf8);
        QCOMPARE(out.size(), size_t(0));
        QCOMPARE(client.state(), SessionState::Open);
        const std::error_code code = LocalError::CloseReasonTooLong;
        QVERIFY(code.message().find("123") != std::string::npos);
        QCOMPARE(client.sendClose(1000, std::string(123, 'r'), out), LocalError::None);
    }

    void rawFramesIgnoreState() {
        Session client(SessionOptions{.role = Role::Client});
        ByteBuffer out;
        QCOMPARE(client.sendClose(1000, {}, out), LocalError::None);
        out.clear();
        RawFrameSpec spec;
        spec.opcode = 0x3;
        spec.rsv2 = true;
        QCOMPARE(client.sendRaw(spec, out), LocalError::None);
        QCOMPARE(toHex(out.view()), QString("a3 00"));
        spec.opcode = 0x10;
        QCOMPARE(client.sendRaw(spec, out), LocalError::InvalidRawFrame);
    }

    void failFromOurSide() {
        Session client(SessionOptions{.role = Role::Client});
        client.fail(close_code::kMandatoryExtension, "permessage-deflate is required");
        QCOMPARE(client.state(), SessionState::Failed);
        ByteBuffer out;
        client.takePendingOutput(out);
        const QStringList sent = describeWrittenFrames(out.view());
        QCOMPARE(sent.size(), 1);
        QVERIFY(sent[0].startsWith("sent fin=1 rsv=000 op=close mask=1 len=32"));
        QCOMPARE(client.sendText("x", out), LocalError::NotOpen);
    }

    void protocolErrorQueuesCloseWithCodeAndReason() {
        Session server(SessionOptions{.role = Role::Server});
        const Bytes unmasked = fromHex("81 02 68 69");
        server.receive(unmasked);
        Event event;
        QVERIFY(server.nextEvent(event));
        QVERIFY(server.nextEvent(event));
        QCOMPARE(event.kind, EventKind::ProtocolError);
        QCOMPARE(event.closeCode, uint16_t(1002));
        QCOMPARE(QString(event.error), QString("A client frame is unmasked (RFC 6455 §5.1)."));
        ByteBuffer out;
        server.takePendingOutput(out);
        const QByteArray expectedReason = QByteArray("\x03\xea") + QByteArray(event.error);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(out.data()) + 2, qsizetype(out.size() - 2)),
                 expectedReason);
        // Sticky: more bytes produce nothing.
        server.receive(fromHex("81 82 00 00 00 00 68 69"));
        QVERIFY(!server.nextEvent(event));
    }

    void invalidTextFailsBeforeTheFrameEnds() {
        // A 1 MiB masked text frame whose 4th byte breaks UTF-8: the error comes with the first 8 bytes.
        Session server(SessionOptions{.role = Role::Server});
        Bytes wire = fromHex("81 ff 00 00 00 00 00 10 00 00 11 22 33 44");
        const Bytes start = bytesOf("abc\xff defg");
        for (size_t i = 0; i < start.size(); ++i)
            wire.push_back(uint8_t(start[i] ^ wire[10 + i % 4]));
        QStringList log = feedSession(server, wire, Feed::ByteByByte);
        QCOMPARE(log, QStringList({"frame fin=1 rsv=000 op=text mask=1 len=1048576", "error code=1007"}));
        Event none;
        QVERIFY(!server.nextEvent(none));
        QCOMPARE(server.state(), SessionState::Failed);
    }

    void validTextArrivingSlowlyIsValidatedOnce() {
        Session server(SessionOptions{.role = Role::Server});
        Session client(SessionOptions{.role = Role::Client});
        ByteBuffer wire;
        const std::string text = randomText(100000, 3);
        QCOMPARE(client.sendText(text, wire, {.fragmentSize = 30000}), LocalError::None);
        QStringList log;
        for (size_t offset = 0; offset < wire.size(); offset += 997) {
            server.receive(wire.view().subspan(offset, std::min<size_t>(997, wire.size() - offset)));
            drainEvents(server, log);
        }
        QCOMPARE(
            log.last(),
            QString("message text len=%1 wire=%1 fragments=4 compressed=0 data=<%1 bytes>").arg(text.size()));
    }

    void truncatedFrameShowsWhatArrived() {
        Session client(SessionOptions{.role = Role::Client});
        client.receive(fromHex("83 0a 01 02 03"));  // reserved opcode, 10 declared, 3 arrived
        Event frame;
        QVERIFY(client.nextEvent(frame));
        QCOMPARE(frame.kind, EventKind::Frame);
        QVERIFY(!frame.payloadComplete);
        QCOMPARE(toHex(frame.payload), QString("01 02 03"));
        QCOMPARE(toHex(frame.rawHeader), QString("83 0a"));
    }

    void frameAndMessageViews() {
        Session server(SessionOptions{.role = Role::Server});
        server.receive(fromHex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        Event frame, message;
        QVERIFY(server.nextEvent(frame));
        QCOMPARE(toHex(frame.rawHeader), QString("81 85 37 fa 21 3d"));
        QCOMPARE(toHex(frame.payload), QString("48 65 6c 6c 6f"));
        QCOMPARE(frame.messageIndex, uint64_t(0));
        QVERIFY(server.nextEvent(message));
        QCOMPARE(message.messageIndex, uint64_t(0));
        QCOMPARE(message.payload.data(), frame.payload.data());  // no copy for a single frame
        QCOMPARE(server.messagesReceived(), uint64_t(1));
    }

    void zeroCopyReceive() {
        Session client(SessionOptions{.role = Role::Client});
        const Bytes wire = fromHex("81 02 68 69 82 01 ff");
        uint8_t* dst = nullptr;
        QCOMPARE(client.prepareReceive(wire.size(), dst), LocalError::None);
        std::copy(wire.begin(), wire.end(), dst);
        client.commitReceive(wire.size());
        QStringList log;
        drainEvents(client, log);
        QCOMPARE(log.size(), 4);
        QCOMPARE(client.bufferedBytes(), size_t(0));
    }

    void clientKeysAreFreshPerFrame() {
        Session client(SessionOptions{.role = Role::Client});
        ByteBuffer out;
        std::set<uint32_t> keys;
        for (int i = 0; i < 1000; ++i) {
            out.clear();
            QCOMPARE(client.sendBinary({}, out), LocalError::None);
            FrameHeader header;
            QCOMPARE(parseFrameHeader(out.view(), header).status, ParseStatus::Done);
            QVERIFY(header.masked);
            keys.insert(uint32_t(header.maskKey[0]) << 24 | header.maskKey[1] << 16 | header.maskKey[2] << 8 |
                        header.maskKey[3]);
        }
        QVERIFY(keys.size() > 990);
    }

    // receive() unmasks whole frames while it copies them in; a partial frame, frames fed later, and a frame
    // the parser refuses must still be unmasked exactly once.
    void wholeFramesUnmaskedOnArrival() {
        Pair pair;
        const Bytes first = randomBytes(1000, 1);
        const Bytes second = randomBytes(70000, 2);
        const Bytes third = randomBytes(300, 3);
        for (const Bytes* payload : {&first, &second, &third})
            QCOMPARE(pair.client.sendBinary(*payload, pair.clientOut), LocalError::None);
        const std::span<const uint8_t> wire = pair.clientOut.view();
        const size_t cut = wire.size() - 100;  // the third frame arrives in two pieces
        std::vector<Bytes> received;
        for (const std::span<const uint8_t> piece : {wire.first(cut), wire.subspan(cut)}) {
            QCOMPARE(pair.server.receive(piece), LocalError::None);
            Event event;
            while (pair.server.nextEvent(event)) {
                if (event.kind == EventKind::Message)
                    received.emplace_back(event.payload.begin(), event.payload.end());
            }
        }
        QCOMPARE(received.size(), size_t(3));
        QVERIFY(received[0] == first);
        QVERIFY(received[1] == second);
        QVERIFY(received[2] == third);
    }

    void refusedWholeFrameShownUnmaskedOnce() {
        Pair pair;
        const Bytes payload = bytesOf("hello");
        QCOMPARE(pair.client.sendBinary(payload, pair.clientOut), LocalError::None);
        Bytes wire(pair.clientOut.view().begin(), pair.clientOut.view().end());
        wire[0] |= 0x40;  // RSV1 without permessage-deflate: refused when parsed
        QCOMPARE(pair.server.receive(wire), LocalError::None);
        Event event;
        bool sawFrame = false;
        while (pair.server.nextEvent(event)) {
            if (event.kind != EventKind::Frame) continue;
            sawFrame = true;
            QVERIFY(Bytes(event.payload.begin(), event.payload.end()) == payload);
        }
        QVERIFY(sawFrame);
        QCOMPARE(pair.server.state(), SessionState::Failed);
    }
};

QTEST_APPLESS_MAIN(TstSession)
#include "tst_session.moc"
