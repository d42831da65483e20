// Every fault provoked for real on loopback: each asserts the state, the one sentence, and that the
// capture kept what arrived before the fault.
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "net/connection.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::RecordedFrame;
using framescope::test::RecordingSink;
using framescope::test::ScriptedServer;
using framescope::test::serverFrame;

namespace {

constexpr int kWait = 30000;

ConnectionOptions optionsFor(const QString& url) {
    ConnectionOptions options;
    options.url = QUrl(url);
    return options;
}

bool waitState(const Connection& connection, ConnectionState state) {
    return QTest::qWaitFor([&] { return connection.state() == state; }, kWait);
}

}  // namespace

class TestFaults : public QObject {
    Q_OBJECT

private slots:
    void connectionRefused() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();  // nobody listens there now
        RecordingSink sink;
        Connection connection(optionsFor(QString("ws://127.0.0.1:%1/").arg(port)), &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY2(connection.sentence().startsWith("Connection refused"), qPrintable(connection.sentence()));
        QVERIFY(connection.sentence().contains(QString::number(port)));
        QVERIFY(sink.hasNote("Failed: Connection refused"));
    }

    void hostNotFound() {
        RecordingSink sink;
        ConnectionOptions options = optionsFor("ws://nonexistent.invalid/");
        options.connectTimeoutMs = 25000;
        Connection connection(options, &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY2(connection.sentence().startsWith("DNS failure"), qPrintable(connection.sentence()));
        QVERIFY(connection.sentence().contains("nonexistent.invalid"));
        QVERIFY(sink.hasNote("DNS failure"));
    }

    void refusedHandshake() {
        ScriptedServer server;
        server.rawAnswer =
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 23\r\n\r\nGo away, "
            "nothing here.\n";
        QVERIFY(server.listen());
        RecordingSink sink;
        Connection connection(optionsFor(server.url()), &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        const QString sentence = connection.sentence();
        QVERIFY2(sentence.startsWith("Handshake refused"), qPrintable(sentence));
        QVERIFY(sentence.contains("403 Forbidden"));
        QVERIFY(sentence.contains("Go away, nothing here."));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET / HTTP/1.1"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeResponse, "HTTP/1.1 403 Forbidden"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeResponse, "Go away"));
    }

    void peerGoneMidMessage() {
        ScriptedServer server;
        server.afterHandshake = [](QTcpSocket* socket) {
            socket->write(serverFrame(0x81, "complete message"));
            socket->write(serverFrame(0x01, QByteArray(300, 'a')));  // first fragment, FIN clear
            QByteArray cut = serverFrame(0x00, QByteArray(1000, 'b'));
            cut.truncate(4 + 400);  // the continuation's header and 400 of its 1000 bytes
            socket->write(cut);
            socket->flush();
            socket->disconnectFromHost();
        };
        QVERIFY(server.listen());
        RecordingSink sink;
        Connection connection(optionsFor(server.url()), &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        const QString sentence = connection.sentence();
        QVERIFY2(sentence.startsWith("Peer gone mid-message"), qPrintable(sentence));
        QVERIFY(sentence.contains("704 bytes"));
        QVERIFY(sentence.contains("300 payload bytes in complete frames, 404 bytes of a cut frame"));
        // Everything that arrived whole is in the capture.
        const auto frames = sink.frames();
        QCOMPARE(frames.size(), size_t(2));
        QCOMPARE(frames[0].payload, QByteArray("complete message"));
        QVERIFY(frames[0].endsMessage);
        QCOMPARE(frames[1].payload, QByteArray(300, 'a'));
        QVERIFY(!frames[1].header.fin);
        QCOMPARE(frames[1].messageIndex, 1u);
        QVERIFY(sink.hasNote("Peer gone mid-message"));
    }

    void peerGoneWithoutClose() {
        ScriptedServer server;
        server.afterHandshake = [](QTcpSocket* socket) {
            socket->write(serverFrame(0x82, "bin"));
            socket->flush();
            socket->disconnectFromHost();
        };
        QVERIFY(server.listen());
        RecordingSink sink;
        Connection connection(optionsFor(server.url()), &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY2(connection.sentence().startsWith("Peer gone: the connection closed without a close frame"),
                 qPrintable(connection.sentence()));
        QCOMPARE(sink.frames().size(), size_t(1));
    }

    void pingTimeout() {
        ScriptedServer server;  // completes the handshake, then never answers anything
        QVERIFY(server.listen());
        RecordingSink sink;
        ConnectionOptions options = optionsFor(server.url());
        options.keepAlive.pingIntervalMs = 100;
        options.keepAlive.pingTimeoutMs = 300;
        Connection connection(options, &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY2(connection.sentence().startsWith("Ping timeout: no pong arrived within 300 ms"),
                 qPrintable(connection.sentence()));
        QVERIFY(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Outgoing && f.header.opcode == opcode::kPing;
        }) >= 1);
        QVERIFY(sink.hasNote("Ping timeout"));
        QVERIFY(sink.hasNote("keep-alive ping every 100 ms"));
    }

    void protocolError() {
        ScriptedServer server;
        server.afterHandshake = [](QTcpSocket* socket) {
            socket->write(serverFrame(0x81, "before"));
            socket->write(serverFrame(0x83, "reserved opcode"));
        };
        QVERIFY(server.listen());
        RecordingSink sink;
        Connection connection(optionsFor(server.url()), &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        const QString sentence = connection.sentence();
        QVERIFY2(
            sentence.startsWith("Protocol error 1002 (Protocol error): The frame uses a reserved opcode"),
            qPrintable(sentence));
        const auto frames = sink.frames();
        QVERIFY(frames.size() >= 3);
        QCOMPARE(frames[0].payload, QByteArray("before"));
        QCOMPARE(frames[1].header.opcode, uint8_t(0x3));
        QVERIFY(frames[1].violation.contains("reserved opcode"));
        QCOMPARE(frames[2].direction, Direction::Outgoing);
        QCOMPARE(frames[2].closeCode, 1002);
        // The close frame reached the server.
        QTRY_VERIFY_WITH_TIMEOUT(server.received.size() >= 8, kWait);
        QCOMPARE(uint8_t(server.received[0]), uint8_t(0x88));
    }

    void connectTimeout() {
        ScriptedServer server;
        server.answerHandshake = false;  // accepts TCP, never answers the upgrade
        QVERIFY(server.listen());
        RecordingSink sink;
        ConnectionOptions options = optionsFor(server.url());
        options.connectTimeoutMs = 300;
        Connection connection(options, &sink, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY2(connection.sentence().startsWith("Connect timeout"), qPrintable(connection.sentence()));
        QVERIFY(connection.sentence().contains("WsHandshake"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "Upgrade: websocket"));
    }

    void invalidUrl() {
        Connection connection(optionsFor("http://127.0.0.1/"), nullptr, 1);
        connection.open();
        QVERIFY(waitState(connection, ConnectionState::Failed));
        QVERIFY(connection.sentence().startsWith("Invalid URL"));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
