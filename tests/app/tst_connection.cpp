// Our client against our echo server on loopback: every message kind, sizes up to 16 MiB, compressed and
// not, closes from either side, keep-alive, periodic sends, crafted frames, reconnect, and the capture.
#include <QSignalSpy>
#include <QTest>

#include "framescope/close_code.h"
#include "net/connection.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::RecordedFrame;
using framescope::test::RecordingSink;

namespace {

constexpr int kWait = 120000;  // the 16 MiB deflated echo took 41 s on a loaded 2-core machine

QByteArray pattern(qsizetype size, bool text) {
    QByteArray bytes(size, Qt::Uninitialized);
    uint32_t x = 12345;
    for (qsizetype i = 0; i < size; ++i) {
        x = x * 1103515245 + 12345;
        bytes[i] = text ? char('a' + (x >> 16) % 8) : char(x >> 16);
    }
    return bytes;
}

}  // namespace

class TestConnection : public QObject {
    Q_OBJECT

private:
    ConnectionOptions optionsFor(const EchoServer& server, bool deflate) {
        ConnectionOptions options;
        options.url = server.url();
        if (deflate) options.deflate = DeflateOffer{};
        return options;
    }
    bool waitOpen(Connection& connection) {
        connection.open();
        return QTest::qWaitFor([&] { return connection.state() == ConnectionState::Open; }, kWait);
    }

private slots:
    void echoesEveryKindAndSize_data() {
        QTest::addColumn<bool>("text");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("deflate");
        for (const bool deflate : {false, true}) {
            for (const int size : {0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20}) {
                if (framescope::test::kUnderThreadSanitizer && size > 65536) continue;  // minutes under TSan
                for (const bool text : {true, false}) {
                    QTest::addRow("%s-%d-%s", text ? "text" : "binary", size, deflate ? "deflate" : "plain")
                        << text << size << deflate;
                }
            }
        }
    }
    void echoesEveryKindAndSize() {
        QFETCH(bool, text);
        QFETCH(int, size);
        QFETCH(bool, deflate);
        RecordingSink serverSink;
        RecordingSink sink;
        EchoServer server(EchoServerOptions{}, &serverSink);
        QVERIFY(server.start());
        Connection connection(optionsFor(server, deflate), &sink, 7);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        QVERIFY(waitOpen(connection));
        const QByteArray payload = pattern(size, text);
        if (text) {
            connection.sendText(QString::fromLatin1(payload));
        } else {
            connection.sendBinary(payload);
        }
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
        QCOMPARE(messages[0][0].toBool(), text);
        QCOMPARE(messages[0][1].toByteArray(), payload);
        QCOMPARE(server.counters().messagesEchoed.load(), 1u);
        QCOMPARE(server.counters().bytesEchoed.load(), uint64_t(size));
        // Both directions captured, with the connection id, masking and compression as sent.
        const auto frames = sink.frames();
        QCOMPARE(frames.size(), size_t(2));
        const RecordedFrame& out = frames[0];
        const RecordedFrame& in = frames[1];
        QCOMPARE(out.direction, Direction::Outgoing);
        QCOMPARE(in.direction, Direction::Incoming);
        QCOMPARE(out.connectionId, 7u);
        QVERIFY(out.header.masked);
        QVERIFY(!in.header.masked);
        QCOMPARE(out.header.opcode, text ? opcode::kText : opcode::kBinary);
        QVERIFY(out.endsMessage && in.endsMessage);
        QCOMPARE(out.messageIndex, 0u);
        QCOMPARE(in.messageIndex, 0u);
        QCOMPARE(out.compressed, deflate);
        QCOMPARE(in.compressed, deflate);
        QCOMPARE(deflate ? in.inflated : in.payload, payload);
        QCOMPARE(deflate ? out.inflated : out.payload, payload);
        QCOMPARE(in.wireSize, uint64_t(in.payload.size()));
        // The server captured the same message under its own connection id.
        QTRY_COMPARE_WITH_TIMEOUT(
            serverSink.countFrames([](const RecordedFrame& f) { return f.endsMessage; }), 2, kWait);
        QCOMPARE(serverSink.frames()[0].connectionId, 1u);
    }

    void controlFramesAndHandshakeNotes() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        ConnectionOptions options = optionsFor(server, true);
        options.subprotocols = {"chat"};
        options.headers = {{"X-Test", "yes"}};
        options.origin = "http://example.test";
        Connection connection(options, &sink, 1);
        QSignalSpy timing(&connection, &Connection::timingUpdated);
        QVERIFY(waitOpen(connection));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET / HTTP/1.1"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "X-Test: yes"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "Origin: http://example.test"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeResponse, "101 Switching Protocols"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeResponse, "permessage-deflate"));
        QVERIFY(sink.hasNote("Timing: TCP connect"));
        connection.sendPing("are you there");
        connection.sendPong("unsolicited");
        QTRY_VERIFY_WITH_TIMEOUT(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Incoming && f.header.opcode == opcode::kPong &&
                   f.payload == "are you there";
        }) == 1,
                                 kWait);
        QTRY_VERIFY_WITH_TIMEOUT(connection.timing().firstFrameUs >= 0, kWait);
        QVERIFY(connection.timing().tcpConnectUs >= 0);
        QVERIFY(connection.timing().handshakeUs >= 0);
        QCOMPARE(connection.timing().tlsUs, int64_t(-1));
        QVERIFY(sink.hasNote("Timing: first frame"));
        QVERIFY(timing.size() >= 2);
    }

    void closedByClient() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QSignalSpy gone(&server, &EchoServer::clientDisconnected);
        QVERIFY(server.start());
        Connection connection(optionsFor(server, false), &sink, 1);
        QSignalSpy closes(&connection, &Connection::closeReceived);
        QVERIFY(waitOpen(connection));
        connection.sendClose(close_code::kNormal, "bye");
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
        QCOMPARE(closes.size(), 1);
        QCOMPARE(closes[0][0].toUInt(), 1000u);
        QVERIFY(connection.sentence().contains("1000"));
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kWait);
        QVERIFY(gone[0][1].toString().contains("completed"));
        QCOMPARE(sink.countFrames([](const RecordedFrame& f) { return f.header.opcode == opcode::kClose; }),
                 2);
    }

    void closedByServer() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QSignalSpy connected(&server, &EchoServer::clientConnected);
        QVERIFY(server.start());
        Connection connection(optionsFor(server, true), &sink, 1);
        QVERIFY(waitOpen(connection));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWait);
        server.closeAll(close_code::kGoingAway, "shutting down");
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
        QVERIFY(connection.sentence().contains("1001"));
        QVERIFY(connection.sentence().contains("shutting down"));
        const auto frames = sink.frames();
        QCOMPARE(frames.front().direction, Direction::Incoming);
        QCOMPARE(frames.front().closeCode, 1001);
        QCOMPARE(frames.back().direction, Direction::Outgoing);
        QCOMPARE(frames.back().closeCode, 1001);
    }

    void fragmentsWithPingsBetween() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        Connection connection(optionsFor(server, false), &sink, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        QVERIFY(waitOpen(connection));
        FragmentedMessage message;
        message.payload = pattern(3000, true);
        message.fragmentSizes = {1, 100, 1000};
        message.pingsBetween = 1;
        message.pingPayload = "between";
        connection.sendFragmented(message);
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
        QCOMPARE(messages[0][1].toByteArray(), message.payload);
        // 1 + 100 + 1000 + 1000 + 899: five frames and four pings out; four pongs back.
        QCOMPARE(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Outgoing && !isControlOpcode(f.header.opcode) && f.crafted;
        }),
                 5);
        QTRY_COMPARE_WITH_TIMEOUT(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Incoming && f.header.opcode == opcode::kPong;
        }),
                                  4, kWait);
    }

    void craftedViolationIsAnsweredWith1002() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        Connection connection(optionsFor(server, false), &sink, 1);
        QSignalSpy closes(&connection, &Connection::closeReceived);
        QVERIFY(waitOpen(connection));
        RawFrame frame;
        frame.opcode = 0x3;
        frame.payload = "reserved";
        connection.sendRaw(frame);
        QTRY_COMPARE_WITH_TIMEOUT(closes.size(), 1, kWait);
        QCOMPARE(closes[0][0].toUInt(), 1002u);
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
        QCOMPARE(sink.countFrames([](const RecordedFrame& f) { return f.crafted && f.header.opcode == 0x3; }),
                 1);
        // The crafted frame is marked with the rule it breaks, like a received violation.
        QCOMPARE(sink.countFrames([](const RecordedFrame& f) {
            return f.crafted && f.violation == "The frame uses a reserved opcode (RFC 6455 §5.2).";
        }),
                 1);
    }

    void lyingLengthIsCapturedFromTheSpec() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        Connection connection(optionsFor(server, false), &sink, 1);
        QVERIFY(waitOpen(connection));
        RawFrame frame;
        frame.payload = "short";
        frame.declaredLength = 5;
        frame.encoding = LengthEncoding::Bits64;  // non-minimal: the server refuses it
        frame.maskKey = MaskKey{1, 2, 3, 4};
        connection.sendRaw(frame);
        QTRY_VERIFY_WITH_TIMEOUT(sink.countFrames([](const RecordedFrame& f) { return f.crafted; }) == 1,
                                 kWait);
        RecordedFrame crafted{};
        for (const RecordedFrame& f : sink.frames())
            if (f.crafted) crafted = f;
        QCOMPARE(crafted.header.lengthEncoding, LengthEncoding::Bits64);
        QCOMPARE(crafted.header.headerSize, uint8_t(14));
        QCOMPARE(crafted.payload, QByteArray("short"));
        QCOMPARE(crafted.header.maskKey, (MaskKey{1, 2, 3, 4}));
        QVERIFY2(crafted.violation.contains("minimal"), qPrintable(crafted.violation));
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
    }

    void keepAliveAndPeriodicSends() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        ConnectionOptions options = optionsFor(server, false);
        options.keepAlive.pingIntervalMs = 50;
        options.keepAlive.pingTimeoutMs = 5000;
        options.periodicSend.intervalMs = 50;
        options.periodicSend.payload = "tick";
        Connection connection(options, &sink, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        QVERIFY(waitOpen(connection));
        QTRY_VERIFY_WITH_TIMEOUT(messages.size() >= 3, kWait);
        QCOMPARE(messages[0][1].toByteArray(), QByteArray("tick"));
        QTRY_VERIFY_WITH_TIMEOUT(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Incoming && f.header.opcode == opcode::kPong;
        }) >= 2,
                                 kWait);
        QVERIFY(sink.hasNote("Options: keep-alive ping every 50 ms"));
        QVERIFY(sink.hasNote("periodic send"));
        QCOMPARE(connection.state(), ConnectionState::Open);
        connection.disconnectFromPeer();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
    }

    void manyClientsWithTheirOwnIds() {
        RecordingSink serverSink;
        EchoServer server(EchoServerOptions{}, &serverSink);
        QVERIFY(server.start());
        std::vector<std::unique_ptr<Connection>> clients;
        for (uint32_t i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<Connection>(optionsFor(server, i % 2 == 0), nullptr, i));
            QVERIFY(waitOpen(*clients.back()));
        }
        for (auto& client : clients) {
            for (int m = 0; m < 20; ++m)
                client->sendText(QString("message %1").arg(m));
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().messagesEchoed.load(), 100u, kWait);
        QCOMPARE(server.counters().clientsConnected.load(), 5u);
        QSet<uint32_t> ids;
        for (const RecordedFrame& f : serverSink.frames())
            ids.insert(f.connectionId);
        QCOMPARE(ids.size(), 5);
        clients.clear();
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().clientsConnected.load(), 0u, kWait);
    }

    void reconnectsWithBackoff() {
        RecordingSink sink;
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        ConnectionOptions options = optionsFor(server, false);
        options.reconnect.enabled = true;
        options.reconnect.initialDelayMs = 20;
        Connection connection(options, &sink, 1);
        QSignalSpy states(&connection, &Connection::stateChanged);
        QVERIFY(waitOpen(connection));
        server.abortAll();
        QTRY_VERIFY_WITH_TIMEOUT(sink.hasNote("Reconnect: attempt 1 in 20 ms"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().clientsTotal.load(), 2u, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Open, kWait);
        bool failedBetween = false;
        for (const auto& args : states)
            failedBetween |= args[0].value<ConnectionState>() == ConnectionState::Failed;
        QVERIFY(failedBetween);
    }

    void ipv6Loopback() {
        EchoServerOptions serverOptions;
        serverOptions.host = QHostAddress::LocalHostIPv6;
        EchoServer server(serverOptions);
        QString error;
        if (!server.start(&error)) QSKIP(qPrintable("no IPv6 loopback on this machine: " + error));
        QCOMPARE(server.url().host(), QString("::1"));
        ConnectionOptions options;
        options.url = server.url();
        options.ipVersion = IpVersion::IPv6;
        RecordingSink sink;
        Connection connection(options, &sink, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        QVERIFY(waitOpen(connection));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, QString("Host: [::1]:%1").arg(server.port())));
        connection.sendText("six");
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
    }

    void sendingWhenNotOpenSaysSo() {
        ConnectionOptions options;
        options.url = QUrl("ws://127.0.0.1:1/");
        Connection connection(options, nullptr, 1);
        QSignalSpy failures(&connection, &Connection::commandFailed);
        connection.sendText("nobody listens");
        QTRY_COMPARE_WITH_TIMEOUT(failures.size(), 1, kWait);
        QVERIFY(failures[0][0].toString().contains("not open"));
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
