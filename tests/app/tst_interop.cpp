// Interop with real peers: Python `websockets` (python3-websockets) and Node `ws` (npm ci into
// tests/interop/node). Our client against their echo servers and their clients against our server, with
// and without permessage-deflate. A missing peer fails the test with what to install; it never skips.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include "framescope/close_code.h"
#include "interop_peers.h"
#include "net/connection.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::RecordedFrame;
using framescope::test::RecordingSink;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

}  // namespace

class TestInterop : public QObject {
    Q_OBJECT

    void addPeerRows() {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<bool>("deflate");
        for (const char* peer : {"python", "node"}) {
            QTest::addRow("%s-deflate", peer) << QString(peer) << true;
            QTest::addRow("%s-plain", peer) << QString(peer) << false;
        }
    }

private slots:
    void initTestCase() { QVERIFY(checkInteropPeers()); }

    void ourClientAgainstTheirServer_data() { addPeerRows(); }
    void ourClientAgainstTheirServer() {
        QFETCH(QString, peer);
        QFETCH(bool, deflate);
        QProcess server;
        server.start(peerProgram(peer), peerCommand(peer, deflate ? QStringList{"server"}
                                                                  : QStringList{"server", "--no-deflate"}));
        QVERIFY(server.waitForStarted(kWait));
        QTRY_VERIFY2_WITH_TIMEOUT(server.canReadLine(), qPrintable(peer + " server printed no URL"), kWait);
        const QByteArray first = server.readLine().trimmed();
        QVERIFY2(first.startsWith("listening on ws://"), first.constData());
        RecordingSink sink;
        ConnectionOptions options;
        options.url = QUrl(QString::fromUtf8(first.mid(13)));
        if (deflate) options.deflate = DeflateOffer{};
        Connection connection(options, &sink, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        connection.open();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Open, kWait);
        const QByteArray big(1 << 20, 'z');
        const QByteArray binary = QByteArray(70000, '\x07') + QByteArray(1, '\xff');
        connection.sendText("hello");
        connection.sendText(QString::fromLatin1(big));
        connection.sendBinary(binary);
        connection.sendPing("interop");
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 3, kWait);
        QCOMPARE(messages[0][1].toByteArray(), QByteArray("hello"));
        QCOMPARE(messages[1][1].toByteArray(), big);
        QCOMPARE(messages[2][1].toByteArray(), binary);
        QCOMPARE(messages[2][0].toBool(), false);
        QTRY_VERIFY_WITH_TIMEOUT(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Incoming && f.header.opcode == opcode::kPong;
        }) == 1,
                                 kWait);
        const int compressed = sink.countFrames(
            [](const RecordedFrame& f) { return f.direction == Direction::Incoming && f.compressed; });
        QCOMPARE(compressed > 0, deflate);
        connection.sendClose(close_code::kNormal, "bye");
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
        QVERIFY2(connection.sentence().contains("1000"), qPrintable(connection.sentence()));
        server.kill();
        server.waitForFinished();
    }

    void theirClientAgainstOurServer_data() { addPeerRows(); }
    void theirClientAgainstOurServer() {
        QFETCH(QString, peer);
        QFETCH(bool, deflate);
        RecordingSink sink;
        EchoServerOptions options;
        options.deflate = deflate;
        EchoServer server(options, &sink);
        QVERIFY(server.start());
        QStringList args{"client", server.url().toString()};
        if (!deflate) args << "--no-deflate";
        QByteArray output;
        const int rc = runTool(peerProgram(peer), peerCommand(peer, args), {}, output, kWait);
        QVERIFY2(rc == 0, output.constData());
        QVERIFY(output.contains("ok"));
        QCOMPARE(server.counters().messagesEchoed.load(), 5u);
        const int compressed = sink.countFrames(
            [](const RecordedFrame& f) { return f.direction == Direction::Incoming && f.compressed; });
        QCOMPARE(compressed > 0, deflate);
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().clientsConnected.load(), 0u, kWait);
        QVERIFY(sink.countFrames([](const RecordedFrame& f) {
            return f.direction == Direction::Incoming && f.header.opcode == opcode::kClose &&
                   f.closeCode == 1000;
        }) == 1);
    }
};

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
