// The built-in server's demo page (net/demo_page.h). Over plain HTTP: GET / (with or without a query) is
// answered 200 with the page as text/html, by EchoServer and by framescope-cli serve; other requests
// without Upgrade keep their 400, and an oversized head its 431. In a real
// browser: headless Chromium opens the page with ?ws= pointing at a reverse proxy whose upstream is the same
// server, and every message, each echo and the close pass the proxy intact, both legs captured.
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "net/demo_page.h"
#include "net/echo_server.h"
#include "net/proxy_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

// Sends `request` and reads the answer until the server closes the connection.
QByteArray exchange(quint16 port, const QByteArray& request) {
    return rawExchange(port, request, kWait);
}

// The data messages of one leg and direction, as "text:..." or "binary:<hex>", inflated when compressed.
QByteArrayList messagesOn(const RecordingSink& sink, Leg leg, Direction direction) {
    QByteArrayList messages;
    for (const RecordedFrame& f : sink.frames()) {
        if (f.leg != leg || f.direction != direction || !f.endsMessage) continue;
        const QByteArray data = f.compressed ? f.inflated : f.payload;
        messages << (f.header.opcode == opcode::kText     ? "text:" + data
                     : f.header.opcode == opcode::kBinary ? "binary:" + data.toHex(' ')
                                                          : "continued:" + data.toHex(' '));
    }
    return messages;
}

// The close frame of one leg and direction as "CODE reason", empty when there is none.
QByteArray closeOn(const RecordingSink& sink, Leg leg, Direction direction) {
    for (const RecordedFrame& f : sink.frames()) {
        if (f.leg == leg && f.direction == direction && f.header.opcode == opcode::kClose)
            return QByteArray::number(f.closeCode) + " " + f.payload.mid(2);
    }
    return {};
}

QString chromium() {
    return QFile::exists("/usr/lib/chromium/chromium") ? QString("/usr/lib/chromium/chromium")  // no wrapper
                                                       : QStandardPaths::findExecutable("chromium");
}

}  // namespace

class TestDemoPage : public QObject {
    Q_OBJECT

private slots:
    void pageOverPlainHttp() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        for (const QByteArray& target : {QByteArray("/"), QByteArray("/?ws=ws://127.0.0.1:9/chat")}) {
            const QByteArray answer =
                exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.left(200).constData());
            const qsizetype end = answer.indexOf("\r\n\r\n");
            QVERIFY(end > 0);
            const QByteArray head = answer.left(end).toLower();
            QVERIFY2(head.contains("\r\ncontent-type: text/html; charset=utf-8"), head.constData());
            QVERIFY(head.contains("\r\ncontent-length: " + QByteArray::number(demoPageHtml().size())));
            QCOMPARE(answer.mid(end + 4), demoPageHtml());
        }
        QVERIFY(demoPageHtml().contains("new WebSocket(url)"));
        // Not the page: another path, another method, an HTTP/1.0 request keep today's refusal.
        for (const QByteArray& request :
             {QByteArray("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
              QByteArray("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"),
              QByteArray("GET / HTTP/1.0\r\n\r\n"),
              QByteArray(
                  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")}) {
            const QByteArray answer = exchange(server.port(), request);
            QVERIFY2(answer.startsWith("HTTP/1.1 400 "), (request + "->" + answer.left(200)).constData());
        }
        // The head's size limit holds for a page request too.
        const QByteArray huge = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " +
                                QByteArray(int(kDefaultMaxHeadSize) + 1, 'a') + "\r\n\r\n";
        const QByteArray tooLarge = exchange(server.port(), huge);
        QVERIFY2(tooLarge.startsWith("HTTP/1.1 431 "), tooLarge.left(200).constData());
        QCOMPARE(server.counters().handshakesRefused.load(), 5u);
    }

    // framescope-cli serve answers the same page.
    void pageFromTheCli() {
        QProcess serve;
        serve.start(FRAMESCOPE_CLI, {"serve", "--port", "0"});
        QVERIFY(serve.waitForStarted(kWait));
        QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), kWait);
        const QUrl url(QString::fromUtf8(serve.readLine().trimmed().mid(13)));
        QVERIFY(url.port() > 0);
        const QByteArray answer = exchange(quint16(url.port()), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.left(200).constData());
        QVERIFY(answer.endsWith(demoPageHtml()));
        serve.terminate();
        QVERIFY(serve.waitForFinished(kWait));
    }

    // A real page in a real browser through the proxy: Chromium -> proxy -> the server that served the page.
    void chromiumThroughTheProxy() {
        const QString binary = chromium();
        if (binary.isEmpty())
            QSKIP("Chromium is not installed (apt-get install chromium, as 'bash .ci/dev.sh' does).");
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = server.url();
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        QTemporaryDir profile;
        QProcess browser;
        browser.setProcessChannelMode(QProcess::MergedChannels);
        const QString page =
            QString("http://127.0.0.1:%1/?ws=%2").arg(server.port()).arg(proxy.url().toString());
        browser.start(binary, {"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update",
                               "--user-data-dir=" + profile.path(), page});
        QVERIFY(browser.waitForStarted(kWait));
        QTRY_VERIFY2_WITH_TIMEOUT(!closeOn(sink, Leg::Upstream, Direction::Incoming).isEmpty(),
                                  browser.readAll().right(3000).constData(), kWait);
        browser.kill();
        browser.waitForFinished(kWait);

        const QByteArrayList sent = {
            "text:hello from the demo page",
            "text:{\"type\":\"order\",\"item\":\"coffee\",\"qty\":2,\"price\":7.5}",
            "binary:00 01 02 03 7f 80 fd fe ff",
        };
        // The browser's messages reached the server, and its echoes the browser, each on both legs.
        QCOMPARE(messagesOn(sink, Leg::Client, Direction::Incoming), sent);
        QCOMPARE(messagesOn(sink, Leg::Upstream, Direction::Outgoing), sent);
        QCOMPARE(messagesOn(sink, Leg::Upstream, Direction::Incoming), sent);
        QCOMPARE(messagesOn(sink, Leg::Client, Direction::Outgoing), sent);
        // The page closes with 1000 once every echo matched; the close passes and is answered.
        QCOMPARE(closeOn(sink, Leg::Client, Direction::Incoming), QByteArray("1000 all 3 echoes matched"));
        QCOMPARE(closeOn(sink, Leg::Upstream, Direction::Outgoing), QByteArray("1000 all 3 echoes matched"));
        QCOMPARE(closeOn(sink, Leg::Upstream, Direction::Incoming),
                 QByteArray("1000 "));  // the server's answer
        QCOMPARE(closeOn(sink, Leg::Client, Direction::Outgoing), QByteArray("1000 "));
        QCOMPARE(server.counters().messagesEchoed.load(), 3u);
    }
};

QTEST_MAIN(TestDemoPage)
#include "tst_demo_page.moc"
