// The reverse proxy with real peers on loopback: a Python `websockets` client through our proxy to a Node
// `ws` server and the reverse, with permessage-deflate on, off, and on one leg only; every message and the
// close pass intact and the capture holds both legs' own bytes (masked by the app on the client leg, by us
// with our own keys on the upstream leg, unmasked from the servers). A wss:// upstream with certificates
// made here; refusals; headers and subprotocols passed through; a dropped upstream; the CLI.
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <QTemporaryDir>

#include <set>

#include "capture/capture_files.h"
#include "capture/capture_store.h"

#include "framescope/close_code.h"
#include "interop_peers.h"
#include "net/connection.h"
#include "net/echo_server.h"
#include "net/proxy_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

std::vector<RecordedFrame> framesOf(const RecordingSink& sink, Leg leg, Direction direction) {
    std::vector<RecordedFrame> out;
    for (const RecordedFrame& f : sink.frames())
        if (f.leg == leg && f.direction == direction) out.push_back(f);
    return out;
}

int countIf(const std::vector<RecordedFrame>& frames,
            const std::function<bool(const RecordedFrame&)>& match) {
    return static_cast<int>(std::count_if(frames.begin(), frames.end(), match));
}

bool isData(const RecordedFrame& f) {
    return f.header.opcode <= opcode::kBinary;
}

// The whole message a last frame carries (single-frame or compressed messages).
QByteArray messageOf(const RecordedFrame& f) {
    return f.compressed ? f.inflated : f.payload;
}

// An app connection through the proxy, open.
struct App {
    RecordingSink sink;
    std::unique_ptr<Connection> connection;
    std::unique_ptr<QSignalSpy> messages;

    explicit App(const QUrl& url, ConnectionOptions options = {}) {
        options.url = url;
        connection = std::make_unique<Connection>(options, &sink, 100);
        messages = std::make_unique<QSignalSpy>(connection.get(), &Connection::messageReceived);
        connection->open();
    }
};

QString nothingListening() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return QString("ws://127.0.0.1:%1/").arg(port);
}

}  // namespace

class TestReverseProxy : public QObject {
    Q_OBJECT

    TestPki pki_;

    void checkLegBytes(const RecordingSink& sink, bool appDeflate, bool upstreamDeflate) {
        const auto appIn = framesOf(sink, Leg::Client, Direction::Incoming);
        const auto appOut = framesOf(sink, Leg::Client, Direction::Outgoing);
        const auto upOut = framesOf(sink, Leg::Upstream, Direction::Outgoing);
        const auto upIn = framesOf(sink, Leg::Upstream, Direction::Incoming);
        // RFC 6455 §5.1: frames from a client are masked, frames from a server are not.
        QCOMPARE(countIf(appIn, [](auto& f) { return !f.header.masked; }), 0);
        QCOMPARE(countIf(upOut, [](auto& f) { return !f.header.masked; }), 0);
        QCOMPARE(countIf(appOut, [](auto& f) { return f.header.masked; }), 0);
        QCOMPARE(countIf(upIn, [](auto& f) { return f.header.masked; }), 0);
        // Six messages (five and a fragmented one) each way on each leg.
        for (const auto* frames : {&appIn, &appOut, &upOut, &upIn})
            QCOMPARE(countIf(*frames, [](auto& f) { return f.endsMessage; }), 6);
        QVERIFY(countIf(appIn, [](auto& f) { return isData(f) && !f.header.fin; }) >= 2);  // the fragments
        // Our masking keys are our own: none of the upstream leg's is one the app used.
        std::set<uint32_t> appKeys;
        for (const RecordedFrame& f : appIn)
            appKeys.insert(uint32_t(f.maskKey[0]) << 24 | f.maskKey[1] << 16 | f.maskKey[2] << 8 |
                           f.maskKey[3]);
        QCOMPARE(countIf(upOut,
                         [&](auto& f) {
                             return appKeys.count(uint32_t(f.maskKey[0]) << 24 | f.maskKey[1] << 16 |
                                                  f.maskKey[2] << 8 | f.maskKey[3]) != 0;
                         }),
                 0);
        // Each leg compressed as it negotiated.
        QCOMPARE(countIf(appIn, [](auto& f) { return f.compressed; }) > 0, appDeflate);
        QCOMPARE(countIf(appOut, [](auto& f) { return f.compressed; }) > 0, appDeflate);
        QCOMPARE(countIf(upOut, [](auto& f) { return f.compressed; }) > 0, upstreamDeflate);
        QCOMPARE(countIf(upIn, [](auto& f) { return f.compressed; }) > 0, upstreamDeflate);
        // The 1 MiB message crossed both legs intact, both ways.
        const QByteArray big(1 << 20, 'x');
        for (const auto* frames : {&appIn, &upOut, &upIn, &appOut})
            QCOMPARE(countIf(*frames, [&](auto& f) { return f.endsMessage && messageOf(f) == big; }), 1);
        // The app's close went upstream and each leg's close handshake completed.
        for (const auto* frames : {&appIn, &upOut, &upIn, &appOut})
            QCOMPARE(
                countIf(*frames,
                        [](auto& f) { return f.header.opcode == opcode::kClose && f.closeCode == 1000; }),
                1);
        QCOMPARE(countIf(sink.frames(),
                         [](auto& f) { return (f.connectionId % 2 == 1) != (f.leg == Leg::Client); }),
                 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(checkInteropPeers());
        QVERIFY(pki_.create());
    }

    void peersThroughTheProxy_data() {
        QTest::addColumn<QString>("appPeer");
        QTest::addColumn<QString>("serverPeer");
        QTest::addColumn<bool>("appDeflate");
        QTest::addColumn<bool>("upstreamDeflate");
        for (const auto& [app, server] : {std::pair{"python", "node"}, std::pair{"node", "python"}}) {
            QTest::addRow("%s-to-%s-deflate-both", app, server)
                << QString(app) << QString(server) << true << true;
            QTest::addRow("%s-to-%s-plain", app, server) << QString(app) << QString(server) << false << false;
            QTest::addRow("%s-to-%s-deflate-app-leg", app, server)
                << QString(app) << QString(server) << true << false;
            QTest::addRow("%s-to-%s-deflate-upstream-leg", app, server)
                << QString(app) << QString(server) << false << true;
        }
    }
    void peersThroughTheProxy() {
        QFETCH(QString, appPeer);
        QFETCH(QString, serverPeer);
        QFETCH(bool, appDeflate);
        QFETCH(bool, upstreamDeflate);
        QProcess server;
        const QUrl upstream = startPeerServer(server, serverPeer);
        QVERIFY2(!upstream.isEmpty(), qPrintable(serverPeer + " server printed no URL"));
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream;
        options.upstreamDeflate = upstreamDeflate ? UpstreamDeflate::Always : UpstreamDeflate::Never;
        ProxyServer proxy(options, &sink);
        QString error;
        QVERIFY2(proxy.start(&error), qPrintable(error));
        QStringList args{"client", proxy.url().toString(), "--fragmented"};
        if (!appDeflate) args << "--no-deflate";
        QByteArray output;
        const int rc = runTool(peerProgram(appPeer), peerCommand(appPeer, args), {}, output, kWait);
        QVERIFY2(rc == 0 && output.contains("ok"), output.constData());
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
        QCOMPARE(proxy.counters().pairsTotal.load(), 1u);
        QCOMPARE(proxy.counters().messagesToUpstream.load(), 6u);
        QCOMPARE(proxy.counters().messagesToClient.load(), 6u);
        checkLegBytes(sink, appDeflate, upstreamDeflate);
        server.kill();
        server.waitForFinished();
    }

    void wssUpstream() {
        EchoServerOptions echoOptions;
        echoOptions.certificateFile = pki_.path("server.pem");
        echoOptions.keyFile = pki_.path("server.key");
        EchoServer echo(echoOptions);
        QVERIFY(echo.start());
        QCOMPARE(echo.url().scheme(), QString("wss"));
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = echo.url();
        options.tls.caFile = pki_.path("ca.pem");
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        App app(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);
        app.connection->sendText("over TLS");
        app.connection->sendBinary(QByteArray(70000, '\x01'));
        QTRY_VERIFY2_WITH_TIMEOUT(
            app.messages->size() == 2,
            qPrintable(QString("the echo server echoed %1, the proxy relayed %2 up and %3 down")
                           .arg(echo.counters().messagesEchoed.load())
                           .arg(proxy.counters().messagesToUpstream.load())
                           .arg(proxy.counters().messagesToClient.load())),
            kWait);
        QCOMPARE(app.messages->at(0).at(1).toByteArray(), QByteArray("over TLS"));
        QCOMPARE(app.messages->at(1).at(1).toByteArray(), QByteArray(70000, '\x01'));
        QVERIFY(sink.hasNote("TLS established"));
        app.connection->sendClose(close_code::kNormal, "bye");
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Closed, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }

    void refusals_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("why");
        QTest::newRow("untrusted-certificate") << "tls"
                                               << "502"
                                               << "certificate";
        QTest::newRow("upstream-says-403") << "403"
                                           << "403"
                                           << "forbidden here";
        QTest::newRow("nothing-listening") << "closed"
                                           << "502"
                                           << "Connection refused";
    }
    void refusals() {
        QFETCH(QString, kind);
        QFETCH(QString, status);
        QFETCH(QString, why);
        EchoServerOptions echoOptions;
        echoOptions.certificateFile = pki_.path("bad.pem");
        echoOptions.keyFile = pki_.path("bad.key");
        EchoServer untrusted(echoOptions);
        ScriptedServer scripted;
        scripted.rawAnswer = "HTTP/1.1 403 Forbidden\r\nContent-Length: 14\r\n\r\nforbidden here";
        ProxyOptions options;
        if (kind == "tls") {
            QVERIFY(untrusted.start());
            options.upstream = untrusted.url();
        } else if (kind == "403") {
            QVERIFY(scripted.listen());
            options.upstream = QUrl(scripted.url());
        } else {
            options.upstream = QUrl(nothingListening());
        }
        RecordingSink sink;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        App app(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Failed, kWait);
        const QString sentence = app.connection->sentence();
        QVERIFY2(sentence.contains(status) && sentence.contains(why, Qt::CaseInsensitive),
                 qPrintable(sentence));
        QVERIFY(sink.hasNote("Refused the app with " + status));
        QCOMPARE(proxy.counters().upstreamRefusals.load(), 1u);
        QCOMPARE(proxy.counters().pairsTotal.load(), 0u);
    }

    void headersAndSubprotocolsPassThrough() {
        QProcess server;
        const QUrl upstream = startPeerServer(server, "node");
        QVERIFY(!upstream.isEmpty());
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream;
        options.headers = {{"X-Replace", "new"}, {"X-Drop", ""}, {"X-Add", "added"}};
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        ConnectionOptions appOptions;
        appOptions.subprotocols = {"chat", "superchat"};
        appOptions.origin = "http://app.example";
        appOptions.headers = {{"X-Keep", "1"}, {"X-Replace", "old"}, {"X-Drop", "gone"}};
        App app(proxy.url().resolved(QUrl("chat?room=1")), appOptions);
        QSignalSpy opened(app.connection.get(), &Connection::opened);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, kWait);
        QCOMPARE(opened.at(0).at(0).toString(), QString("chat"));  // the upstream's choice, passed back
        QString request;
        for (const RecordedNote& n : sink.notes())
            if (n.leg == Leg::Upstream && n.kind == NoteKind::HandshakeRequest) request = n.text;
        QVERIFY2(request.startsWith("GET /chat?room=1 HTTP/1.1"), qPrintable(request));
        for (const QString& expected :
             {QString("Host: 127.0.0.1:%1").arg(upstream.port()), QString("Origin: http://app.example"),
              QString("X-Keep: 1"), QString("X-Replace: new"), QString("X-Add: added"),
              QString("chat, superchat")})
            QVERIFY2(request.contains(expected), qPrintable(expected + " missing in:\n" + request));
        QVERIFY(!request.contains("X-Drop") && !request.contains("X-Replace: old"));
        app.connection->disconnectFromPeer();
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Closed, kWait);
        server.kill();
        server.waitForFinished();
    }

    void droppedUpstreamClosesTheApp() {
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = echo.url();
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        App app(proxy.url());
        QSignalSpy closes(app.connection.get(), &Connection::closeReceived);
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);
        app.connection->sendText("before the drop");
        QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 1, kWait);
        echo.abortAll();
        QTRY_COMPARE_WITH_TIMEOUT(closes.size(), 1, kWait);
        QCOMPARE(closes.at(0).at(0).value<quint16>(), quint16{1014});
        QVERIFY(sink.hasNote("closing the app's leg with 1014"));
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }

    // The legs survive a session file; a capture without a proxy keeps Leg::None (the old byte values).
    void sessionFileKeepsLegs() {
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        CaptureStore store;
        ProxyOptions options;
        options.upstream = echo.url();
        {
            ProxyServer proxy(options, &store);
            QVERIFY(proxy.start());
            App app(proxy.url());
            QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);
            app.connection->sendText("kept with its leg");
            QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 1, kWait);
            app.connection->disconnectFromPeer();
            QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Closed, kWait);
            QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("proxied.fscap");
        QString error;
        QVERIFY2(saveCaptureFile(store, path, SaveOptions{}, &error) > 0, qPrintable(error));
        CaptureStore reopened;
        QCOMPARE(openCaptureFile(path, reopened, &error), qint64(store.size()));
        int legs[3] = {0, 0, 0};
        for (size_t row = 0; row < store.size(); ++row) {
            QCOMPARE(reopened.record(row).leg, store.record(row).leg);
            QCOMPARE(reopened.record(row).direction, store.record(row).direction);
            ++legs[static_cast<int>(store.record(row).leg)];
        }
        QVERIFY(legs[int(Leg::Client)] >= 4 && legs[int(Leg::Upstream)] >= 4);  // frames and notes of each
        QCOMPARE(legs[int(Leg::None)], 1);                                      // the proxy's listening note
    }

    void cliPrintsLegTaggedJson() {
        QProcess serve;
        serve.start(FRAMESCOPE_CLI, {"serve", "--port", "0"});
        QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), kWait);
        const QByteArray upstream = serve.readLine().trimmed().mid(13);
        QProcess proxy;
        proxy.start(FRAMESCOPE_CLI,
                    {"proxy", "--listen", "127.0.0.1:0", "--upstream", QString(upstream), "--json"});
        QTRY_VERIFY_WITH_TIMEOUT(proxy.canReadLine(), kWait);
        const QByteArray first = proxy.readLine().trimmed();
        QVERIFY2(first.startsWith("listening on ws://127.0.0.1:") && first.endsWith("/"), first.constData());
        {
            App app(QUrl(QString::fromUtf8(first.mid(13))));
            QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);
            app.connection->sendText("via the cli");
            QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 1, kWait);
            app.connection->disconnectFromPeer();
            QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Closed, kWait);
        }
        std::set<QString> seen;  // leg and dir of each frame carrying the message
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                while (proxy.canReadLine()) {
                    const QJsonObject o = QJsonDocument::fromJson(proxy.readLine()).object();
                    if (o.value("type") != "frame" || !o.contains("leg")) return false;
                    if (o.value("payload").toString() != "via the cli" &&
                        o.value("inflated").toString() != "via the cli")
                        continue;
                    // A relayed frame names the other leg's message it carries.
                    const int other = o.value("leg") == "client" ? o.value("conn").toInt() + 1
                                                                 : o.value("conn").toInt() - 1;
                    const bool relay = o.contains("relay_of_conn") &&
                                       o.value("relay_of_conn").toInt() == other &&
                                       o.value("relay_of_message").toInt() == 0;
                    seen.insert(o.value("leg").toString() + "-" + o.value("dir").toString() + "-" +
                                (o.value("mask").toBool() ? "masked" : "plain") + (relay ? "-relay" : ""));
                }
                return seen.size() == 4;
            }(),
            kWait);
        QCOMPARE(seen, (std::set<QString>{"client-in-masked", "upstream-out-masked-relay",
                                          "upstream-in-plain", "client-out-plain-relay"}));
        proxy.terminate();
        QVERIFY(proxy.waitForFinished(kWait));
        QCOMPARE(proxy.exitCode(), 0);
        serve.terminate();
        serve.waitForFinished(kWait);
    }

    void cliMisuseAndFailure() {
        QByteArray output;
        QCOMPARE(runTool(FRAMESCOPE_CLI, {"proxy", "--listen", "127.0.0.1:0"}, {}, output, kWait), 2);
        QVERIFY2(output.contains("--upstream"), output.constData());
        QCOMPARE(runTool(FRAMESCOPE_CLI, {"proxy", "--listen", "127.0.0.1:0", "--upstream", "http://x/"}, {},
                         output, kWait),
                 2);
        QVERIFY2(output.contains("ws://"), output.constData());
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const QString busy = QString("127.0.0.1:%1").arg(taken.serverPort());
        QCOMPARE(runTool(FRAMESCOPE_CLI, {"proxy", "--listen", busy, "--upstream", "ws://127.0.0.1:9/"}, {},
                         output, kWait),
                 1);
        QVERIFY2(output.startsWith("Cannot listen") && output.count('\n') == 1, output.constData());
        QCOMPARE(runTool(FRAMESCOPE_CLI, {"proxy", "--help"}, {}, output, kWait), 0);
        QVERIFY(output.contains("--upstream-deflate"));
    }
};

QTEST_GUILESS_MAIN(TestReverseProxy)
#include "tst_reverse_proxy.moc"
