// The forward proxy with real peers on loopback: an absolute-URI WebSocket upgrade to the built-in server;
// a Python `websockets` client doing CONNECT itself, once through an opaque tunnel (it verifies the real
// server's certificate and the capture holds no frame of it) and once intercepted (it trusts only the CA
// FrameScope generated, and the capture holds both legs' frames), with and without permessage-deflate;
// Python websockets to Node ws and the reverse through CONNECT with deflate on or off on each leg; headless
// Chromium;
// refusals with their status and sentence; the CA's fields checked with the openssl CLI; the CLI.
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_sink.h"
#include "interop_peers.h"
#include "net/echo_server.h"
#include "net/local_ca.h"
#include "net/proxy_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

// tests/interop/connect_client.py (websockets 10.4 has no proxy support: it does CONNECT itself).
QByteArray runConnectClient(const QStringList& args) {
    QByteArray output;
    const QString script = QString(FRAMESCOPE_INTEROP) + "/connect_client.py";
    const int code = runTool(python(), QStringList{script} + args, {}, output, kWait);
    if (code != 0) qWarning("connect_client.py exited with %d: %s", code, output.constData());
    return output;
}

// A raw request to the proxy; returns all it answered until it closed.
QByteArray askProxy(quint16 port, const QByteArray& request) {
    return rawExchange(port, request, kWait);
}

quint16 closedPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

int countFrames(const RecordingSink& sink, Leg leg, Direction direction, bool messageEnds) {
    int count = 0;
    for (const RecordedFrame& f : sink.frames())
        count += f.leg == leg && f.direction == direction && (!messageEnds || f.endsMessage) ? 1 : 0;
    return count;
}

QString openssl(const QStringList& args) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("openssl", args);
    p.waitForFinished(kWait);
    return QString::fromUtf8(p.readAll());
}

}  // namespace

class TestForwardProxy : public QObject {
    Q_OBJECT

    TestPki pki_;
    QTemporaryDir caDir_;

    ProxyOptions forwardOptions(bool intercept) {
        ProxyOptions options;
        options.forward = true;
        options.interceptTls = intercept;
        options.caDir = caDir_.path();
        options.tls.caFile = pki_.path("ca.pem");  // the upstream leg trusts the test CA
        return options;
    }

    EchoServerOptions wssEcho() {
        EchoServerOptions options;
        options.certificateFile = pki_.path("server.pem");
        options.keyFile = pki_.path("server.key");
        return options;
    }

    // GET ws://AUTHORITY/chat?room=1 on a raw socket, a masked "hello" echoed, a close 1000 answered.
    void roundTripWithAbsoluteUri(quint16 proxyPort, const QByteArray& authority) {
        QTcpSocket app;
        app.connectToHost(QHostAddress::LocalHost, proxyPort);
        QVERIFY(app.waitForConnected(kWait));
        app.write("GET ws://" + authority + "/chat?room=1 HTTP/1.1\r\nHost: " + authority +
                  "\r\nProxy-Connection: keep-alive\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QByteArray answer;
        while (!answer.contains("\r\n\r\n") && app.waitForReadyRead(kWait))
            answer += app.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 101 "), answer.constData());
        QVERIFY(answer.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));  // RFC 6455 §1.3's example accept
        // A masked text frame "hello" (key 01 02 03 04), then a masked close 1000.
        const QByteArray key("\x01\x02\x03\x04", 4);
        QByteArray frame("\x81\x85", 2);
        frame += key;
        for (int i = 0; i < 5; ++i)
            frame += char("hello"[i] ^ key[i % 4]);
        app.write(frame);
        QByteArray echoed;
        while (echoed.size() < 7 && app.waitForReadyRead(kWait))
            echoed += app.readAll();
        QCOMPARE(echoed, QByteArray("\x81\x05hello", 7));
        QByteArray close("\x88\x82", 2);
        close += key;
        close += char(0x03 ^ key[0]);
        close += char(0xe8 ^ key[1]);
        app.write(close);
        QByteArray closing;
        while (closing.size() < 4 && app.waitForReadyRead(kWait))
            closing += app.readAll();
        QCOMPARE(closing.left(4), QByteArray("\x88\x02\x03\xe8", 4));
    }

private slots:
    void initTestCase() {
        QVERIFY(checkInteropPeers());
        QVERIFY(pki_.create());
        QVERIFY(caDir_.isValid());
    }

    // GET ws://host:port/path: the app's absolute URI in the client leg's capture, origin-form and the
    // URI's Host upstream, a message and a close both ways (hand-made frames on a raw socket).
    void absoluteUriUpgrade() {
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(false), &sink);
        QVERIFY(proxy.start());
        QCOMPARE(proxy.url().scheme(), QString("http"));
        const QByteArray authority = "127.0.0.1:" + QByteArray::number(echo.url().port());
        roundTripWithAbsoluteUri(proxy.port(), authority);
        if (QTest::currentTestFailed()) return;
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsTotal.load(), 1u, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET ws://" + authority + "/chat?room=1 HTTP/1.1"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET /chat?room=1 HTTP/1.1"));
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "Host: " + authority));
        bool proxyHeaderUpstream = false;
        for (const RecordedNote& n : sink.notes())
            proxyHeaderUpstream |= n.leg == Leg::Upstream && n.text.contains("Proxy-Connection");
        QVERIFY(!proxyHeaderUpstream);
        QCOMPARE(countFrames(sink, Leg::Client, Direction::Incoming, true), 1);
        QCOMPARE(countFrames(sink, Leg::Upstream, Direction::Outgoing, true), 1);
        QCOMPARE(countFrames(sink, Leg::Upstream, Direction::Incoming, true), 1);
        QCOMPARE(countFrames(sink, Leg::Client, Direction::Outgoing, true), 1);
    }

    void opaqueTunnel() {
        EchoServer echo(wssEcho());
        QVERIFY(echo.start());
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(false), &sink);
        QVERIFY(proxy.start());
        const QString port = QString::number(echo.url().port());
        const QByteArray out = runConnectClient(
            {"websocket", QString::number(proxy.port()), "localhost", port, pki_.path("ca.pem"), "off"});
        QVERIFY2(out.contains("connect-status HTTP/1.1 200 Connection Established"), out.constData());
        // The client verified the real server: its certificate comes from the test CA.
        QVERIFY2(out.contains("issuer FrameScope Test CA"), out.constData());
        QCOMPARE(out.count("echo ok"), 3);
        QVERIFY(out.contains("close 1000"));
        QCOMPARE(echo.counters().messagesEchoed.load(), 3u);
        QTRY_VERIFY_WITH_TIMEOUT(sink.hasNote("Opaque tunnel to localhost:" + port + " closed"), kWait);
        QCOMPARE(sink.frames().size(), size_t(0));  // opaque: nothing inside was read
        QCOMPARE(proxy.counters().tunnelsTotal.load(), 1u);
        QCOMPARE(proxy.counters().pairsTotal.load(), 0u);
        // More than the messages went each way (TLS records and the handshakes around them).
        bool counted = false;
        for (const RecordedNote& n : sink.notes()) {
            const QRegularExpressionMatch m =
                QRegularExpression("closed: (\\d+) bytes from the app, (\\d+) bytes").match(n.text);
            if (m.hasMatch())
                counted = m.captured(1).toULongLong() > 70000 && m.captured(2).toULongLong() > 70000;
        }
        QVERIFY(counted);
    }

    void intercepted_data() {
        QTest::addColumn<QString>("deflate");
        QTest::newRow("deflate") << "on";
        QTest::newRow("no-deflate") << "off";
    }

    // The client trusts only FrameScope's CA; the upstream leg verifies the real server with the test CA.
    void intercepted() {
        QFETCH(QString, deflate);
        EchoServer echo(wssEcho());
        QVERIFY(echo.start());
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(true), &sink);
        QVERIFY(proxy.start());
        const QString caFile = LocalCa::certificateFileIn(caDir_.path());
        QVERIFY(QFile::exists(caFile));
        const QString port = QString::number(echo.url().port());
        const QByteArray out = runConnectClient(
            {"websocket", QString::number(proxy.port()), "localhost", port, caFile, deflate});
        QVERIFY2(out.contains("connect-status HTTP/1.1 200 Connection Established"), out.constData());
        QVERIFY2(out.contains("issuer FrameScope Local CA"), out.constData());
        QCOMPARE(out.contains("permessage-deflate"), deflate == "on");
        QCOMPARE(out.count("echo ok"), 3);
        QVERIFY(out.contains("close 1000"));
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsTotal.load(), 1u, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
        // Both legs' frames: three messages and a close each way on each leg.
        for (const Leg leg : {Leg::Client, Leg::Upstream}) {
            for (const Direction direction : {Direction::Incoming, Direction::Outgoing})
                QCOMPARE(countFrames(sink, leg, direction, true), 3);
        }
        int closes = 0;
        bool compressed = false;
        for (const RecordedFrame& f : sink.frames()) {
            closes += f.header.opcode == opcode::kClose && f.closeCode == 1000 ? 1 : 0;
            compressed |= f.leg == Leg::Client && f.compressed;
        }
        QCOMPARE(closes, 4);
        QCOMPARE(compressed, deflate == "on");
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET /deep/path?q=1 HTTP/1.1"));
        QVERIFY(sink.hasNote("Intercepting TLS to localhost:" + port));
        QVERIFY(sink.hasNote("TLS established"));  // the upstream leg's own TLS to the real server
    }

    void peersThroughTheProxy_data() {
        QTest::addColumn<QString>("appPeer");
        QTest::addColumn<QString>("serverPeer");
        QTest::addColumn<bool>("appDeflate");
        QTest::addColumn<bool>("serverDeflate");
        for (const auto& [app, server] : {std::pair{"python", "node"}, std::pair{"node", "python"}}) {
            for (const bool appDeflate : {true, false}) {
                for (const bool serverDeflate : {true, false}) {
                    QTest::addRow("%s-to-%s-app-deflate-%s-server-deflate-%s", app, server,
                                  appDeflate ? "on" : "off", serverDeflate ? "on" : "off")
                        << QString(app) << QString(server) << appDeflate << serverDeflate;
                }
            }
        }
    }

    // Python websockets -> CONNECT -> Node ws, and Node ws -> CONNECT -> Python websockets, with
    // permessage-deflate on or off on each leg. Interception is on and ws:// inside the tunnel is read in
    // the clear: every message and the close pass, and both legs are captured.
    void peersThroughTheProxy() {
        QFETCH(QString, appPeer);
        QFETCH(QString, serverPeer);
        QFETCH(bool, appDeflate);
        QFETCH(bool, serverDeflate);
        QProcess serverProcess;
        const QUrl server = startPeerServer(serverProcess, serverPeer,
                                            serverDeflate ? QStringList{} : QStringList{"--no-deflate"});
        QVERIFY2(server.isValid(), serverProcess.readAllStandardError().constData());
        RecordingSink sink;
        ProxyOptions options = forwardOptions(true);
        options.upstreamDeflate = UpstreamDeflate::Always;  // offered; the server decides
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        QByteArray out;
        int messages = 0;
        if (appPeer == "python") {
            out = runConnectClient({"ws", QString::number(proxy.port()), "127.0.0.1",
                                    QString::number(server.port()), "-", appDeflate ? "on" : "off"});
            QCOMPARE(out.count("echo ok"), 3);
            QVERIFY2(out.contains("close 1000"), out.constData());
            messages = 3;
        } else {
            QStringList args{"client", server.toString(), "--fragmented", "--proxy",
                             QString::number(proxy.port())};
            if (!appDeflate) args << "--no-deflate";
            QCOMPARE(runTool("node", peerCommand("node", args), {}, out, kWait), 0);
            QVERIFY2(out.contains("\nok"), out.constData());
            messages = 6;  // five and a fragmented one
        }
        QVERIFY2(out.contains("connect-status HTTP/1.1 200 Connection Established"), out.constData());
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
        QCOMPARE(proxy.counters().pairsTotal.load(), 1u);
        QVERIFY(sink.hasNote("speaks plain HTTP inside its CONNECT"));
        bool clientCompressed = false;
        bool upstreamCompressed = false;
        for (const RecordedFrame& f : sink.frames()) {
            (f.leg == Leg::Client ? clientCompressed : upstreamCompressed) |= f.compressed;
        }
        QCOMPARE(clientCompressed, appDeflate);
        QCOMPARE(upstreamCompressed, serverDeflate);
        for (const Leg leg : {Leg::Client, Leg::Upstream}) {
            for (const Direction direction : {Direction::Incoming, Direction::Outgoing})
                QCOMPARE(countFrames(sink, leg, direction, true), messages);
        }
        serverProcess.kill();
        serverProcess.waitForFinished();
    }

    // A real browser configured with the proxy: headless Chromium opens ws:// to the built-in server.
    // Chromium sends ws:// through CONNECT too; with interception on, the proxy finds no TLS in the tunnel
    // and reads the upgrade in the clear, so both legs are captured.
    void chromiumThroughTheProxy() {
        const QString binary = QFile::exists("/usr/lib/chromium/chromium")
                                   ? QString("/usr/lib/chromium/chromium")  // without the wrapper's flags
                                   : QStandardPaths::findExecutable("chromium");
        if (binary.isEmpty())
            QSKIP("Chromium is not installed (apt-get install chromium, as 'bash .ci/dev.sh' does).");
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(true), &sink);
        QVERIFY(proxy.start());
        QTemporaryDir dir;
        QFile page(dir.filePath("page.html"));
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("<!doctype html><script>\nconst ws = new WebSocket('ws://127.0.0.1:" +
                   QByteArray::number(echo.url().port()) +
                   "/browser');\nws.onopen = () => ws.send('from chromium');\n"
                   "ws.onmessage = (e) => ws.close(1000, 'seen ' + e.data);\n</script>\n");
        page.close();
        QProcess browser;
        browser.setProcessChannelMode(QProcess::MergedChannels);
        browser.start(binary,
                      {"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update",
                       "--user-data-dir=" + dir.filePath("profile"),
                       QString("--proxy-server=http://127.0.0.1:%1").arg(proxy.port()),
                       "--proxy-bypass-list=<-loopback>", QUrl::fromLocalFile(page.fileName()).toString()});
        QVERIFY(browser.waitForStarted(kWait));
        const auto closedByBrowser = [&] {
            for (const RecordedFrame& f : sink.frames()) {
                if (f.leg == Leg::Client && f.direction == Direction::Incoming &&
                    f.header.opcode == opcode::kClose && f.closeCode == 1000)
                    return f.payload.mid(2) == "seen from chromium";
            }
            return false;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(closedByBrowser(), browser.readAll().right(3000).constData(), kWait);
        browser.kill();
        browser.waitForFinished(kWait);
        for (const Leg leg : {Leg::Client, Leg::Upstream}) {
            for (const Direction direction : {Direction::Incoming, Direction::Outgoing})
                QCOMPARE(countFrames(sink, leg, direction, true), 1);
        }
        QVERIFY(sink.hasNote(NoteKind::HandshakeRequest, "GET /browser HTTP/1.1"));
        QVERIFY(sink.hasNote("speaks plain HTTP inside its CONNECT"));
    }

    void refusals_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<QString>("sentence");
        const QByteArray closed = "127.0.0.1:" + QByteArray::number(closedPort());
        const QByteArray upgrade = " HTTP/1.1\r\nHost: " + closed +
                                   "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
                                   "13\r\n\r\n";
        QTest::newRow("plain-http") << QByteArray("GET http://" + closed + "/ HTTP/1.1\r\nHost: " + closed +
                                                  "\r\n\r\n")
                                    << QByteArray("501") << "plain HTTP is not proxied";
        QTest::newRow("post") << QByteArray("POST http://" + closed + "/ HTTP/1.1\r\nHost: x\r\n\r\n")
                              << QByteArray("501") << "The method POST is not proxied";
        QTest::newRow("origin-form") << QByteArray("GET /chat" + upgrade) << QByteArray("400")
                                     << "A forward proxy needs the server in the request";
        QTest::newRow("connect-no-port") << QByteArray("CONNECT example.org HTTP/1.1\r\nHost: x\r\n\r\n")
                                         << QByteArray("400") << "must be host:port";
        QTest::newRow("connect-bad-host") << QByteArray("CONNECT a,b:443 HTTP/1.1\r\nHost: x\r\n\r\n")
                                          << QByteArray("400") << "must be host:port";
        QTest::newRow("connect-unreachable")
            << QByteArray("CONNECT " + closed + " HTTP/1.1\r\nHost: " + closed + "\r\n\r\n")
            << QByteArray("502") << "Cannot reach " + QString::fromLatin1(closed);
        QTest::newRow("upgrade-unreachable") << QByteArray("GET ws://" + closed + "/x" + upgrade)
                                             << QByteArray("502") << "The upstream refused or failed";
        QTest::newRow("garbage") << QByteArray("hello there\r\n\r\n") << QByteArray("400")
                                 << "The request is not HTTP/1.1";
    }

    void refusals() {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        QFETCH(QString, sentence);
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(false), &sink);
        QVERIFY(proxy.start());
        const QByteArray answer = askProxy(proxy.port(), request);
        QVERIFY2(answer.startsWith("HTTP/1.1 " + status + " "), answer.constData());
        QVERIFY2(QString::fromUtf8(answer).contains(sentence), answer.constData());
        QVERIFY(sink.hasNote(sentence));
        QTRY_VERIFY_WITH_TIMEOUT(
            proxy.counters().forwardRefusals.load() + proxy.counters().upstreamRefusals.load() == 1, kWait);
    }

    void plainHttpInsideInterception() {
        RecordingSink sink;
        ProxyServer proxy(forwardOptions(true), &sink);
        QVERIFY(proxy.start());
        const QByteArray out =
            runConnectClient({"plain", QString::number(proxy.port()), "localhost",
                              QString::number(closedPort()), LocalCa::certificateFileIn(caDir_.path())});
        QVERIFY2(out.contains("connect-status HTTP/1.1 200"), out.constData());
        QVERIFY2(out.contains("HTTP/1.1 501 "), out.constData());
        QVERIFY(out.contains("plain HTTP is not proxied"));
    }

    // The CA and a leaf through the openssl CLI: the fields, the chain, the key file's mode, and reuse.
    void caFields() {
        QTemporaryDir dir;
        LocalCa ca;
        QString error;
        QVERIFY2(ca.open(dir.path(), error), qPrintable(error));
        const QString caText = openssl({"x509", "-in", ca.certificateFile(), "-noout", "-text"});
        QVERIFY2(caText.contains("CA:TRUE"), qPrintable(caText));
        QVERIFY(caText.contains("Certificate Sign"));
        QVERIFY(caText.contains("Subject: CN = FrameScope Local CA, O = FrameScope"));
        QVERIFY(caText.contains("prime256v1"));
        const QFile::Permissions keyMode = QFile::permissions(dir.filePath("framescope-ca-key.pem"));
        QCOMPARE(keyMode & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        for (const QString& host : {QString("localhost"), QString("127.0.0.1")}) {
            QSslCertificate leaf;
            QSslKey key;
            QVERIFY2(ca.leafFor(host, leaf, key, error), qPrintable(error));
            QVERIFY(!key.isNull());
            QFile file(dir.filePath(host + ".pem"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(leaf.toPem());
            file.close();
            const QString verified = openssl(
                {"verify", "-CAfile", ca.certificateFile(), "-purpose", "sslserver", file.fileName()});
            QVERIFY2(verified.contains(": OK"), qPrintable(verified));
            const QString text = openssl({"x509", "-in", file.fileName(), "-noout", "-text"});
            QVERIFY(text.contains("TLS Web Server Authentication"));
            QVERIFY(text.contains("CA:FALSE"));
            QVERIFY2(text.contains(host == "localhost" ? "DNS:localhost" : "IP Address:127.0.0.1"),
                     qPrintable(text));
        }
        LocalCa again;  // a later run reuses the CA
        QVERIFY(again.open(dir.path(), error));
        QCOMPARE(again.certificate(), ca.certificate());
    }

    void cli() {
        QProcess cli;
        cli.start(FRAMESCOPE_CLI, {"proxy", "--listen", "127.0.0.1:0", "--forward", "--json"});
        QVERIFY(cli.waitForStarted(kWait));
        QVERIFY(cli.waitForReadyRead(kWait));
        const QByteArray first = cli.readLine().trimmed();
        QVERIFY2(first.startsWith("listening on http://127.0.0.1:") && first.endsWith("/ (forward proxy)"),
                 first.constData());
        const QUrl url(QString::fromUtf8(first.mid(13, first.indexOf(' ', 13) - 13)));
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        roundTripWithAbsoluteUri(static_cast<quint16>(url.port()),
                                 "127.0.0.1:" + QByteArray::number(echo.url().port()));
        if (QTest::currentTestFailed()) return;
        QByteArray json;
        for (int waited = 0; json.count("\n") < 8 && waited < kWait; waited += 20) {
            QTest::qWait(20);
            json += cli.readAll();
        }
        // A frame of each leg, "hello" both ways, as JSON Lines with their leg.
        QVERIFY2(json.contains("\"leg\":\"client\"") && json.contains("\"leg\":\"upstream\""),
                 json.constData());
        QVERIFY(json.contains("\"payload\":\"hello\""));
        cli.terminate();
        QVERIFY(cli.waitForFinished(kWait));
        QCOMPARE(cli.exitCode(), 0);
        QTemporaryDir dir;
        QByteArray output;
        QCOMPARE(runTool(FRAMESCOPE_CLI, {"proxy", "--forward", "--print-ca", "--ca-dir", dir.path()}, {},
                         output, kWait),
                 0);
        QVERIFY(output.startsWith("-----BEGIN CERTIFICATE-----"));
        QCOMPARE(runTool(FRAMESCOPE_CLI,
                         {"proxy", "--listen", "127.0.0.1:0", "--forward", "--upstream", "ws://127.0.0.1:1/"},
                         {}, output, kWait),
                 2);
        QVERIFY2(output.contains("either --upstream URL or --forward"), output.constData());
    }
};

QTEST_MAIN(TestForwardProxy)
#include "tst_forward_proxy.moc"
