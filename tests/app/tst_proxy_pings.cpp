// Pings through the reverse proxy, between two Node `ws` peers (tests/interop/node/ping_peer.js: the
// upstream server and the app), real sockets on loopback. By default each leg answers its own peer's
// pings: the server's ping is answered by the proxy and never reaches the app, and the app's never reaches
// the server. With passPings (and `framescope-cli proxy --pass-pings`) each side receives the other's ping
// payload and the pong comes back to the side that pinged, in both directions, while a message of the
// same direction is held by an intercept breakpoint; an unsolicited pong passes too.
#include <QSignalSpy>
#include <QTest>

#include "interop_peers.h"
#include "net/proxy_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

// One ping_peer.js process: what it printed, line by line, and commands on its standard input.
class Peer {
public:
    bool start(const QStringList& args) {
        process_.start("node", QStringList{nodeDir() + "/ping_peer.js"} + args);
        return process_.waitForStarted(kWait);
    }
    ~Peer() {
        process_.kill();
        process_.waitForFinished(kWait);
    }
    void command(const QByteArray& line) { process_.write(line + "\n"); }
    // Forgets what was printed so far (the server serves one test after another).
    void forget() {
        readLines();
        lines_.clear();
    }
    bool has(const QByteArray& line) {
        readLines();
        return lines_.contains(line);
    }
    bool hasPrefix(const QByteArray& prefix) {
        readLines();
        for (const QByteArray& line : lines_)
            if (line.startsWith(prefix)) return true;
        return false;
    }
    // The URL of "listening on ws://..." (the server), empty until it printed it.
    QUrl listeningUrl() {
        readLines();
        for (const QByteArray& line : lines_)
            if (line.startsWith("listening on ")) return QUrl(QString::fromUtf8(line.mid(13)));
        return {};
    }
    QByteArray transcript() {
        readLines();
        return lines_.join('\n') + "\n" + process_.readAllStandardError();
    }

private:
    void readLines() {
        while (process_.canReadLine())
            lines_.append(process_.readLine().trimmed());
    }
    QProcess process_;
    QList<QByteArray> lines_;
};

int countFrames(const RecordingSink& sink, Leg leg, Direction direction, uint8_t op,
                const QByteArray& payload) {
    return sink.countFrames([&](const RecordedFrame& f) {
        return f.leg == leg && f.direction == direction && f.header.opcode == op && f.payload == payload;
    });
}

bool hasFrame(const RecordingSink& sink, Leg leg, Direction direction, uint8_t op,
              const QByteArray& payload) {
    return countFrames(sink, leg, direction, op, payload) > 0;
}

}  // namespace

class TestProxyPings : public QObject {
    Q_OBJECT

    Peer server_;
    QUrl upstream_;

    // The app, connected through `proxyUrl`, and the server's side of it open.
    void connectApp(Peer& app, const QUrl& proxyUrl) {
        server_.forget();
        QVERIFY(app.start({"client", proxyUrl.toString()}));
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("open"), app.transcript().constData(), kWait);
        QTRY_VERIFY2_WITH_TIMEOUT(server_.has("open"), server_.transcript().constData(), kWait);
    }

private slots:
    void initTestCase() {
        QVERIFY(checkInteropPeers());
        QVERIFY(server_.start({"server"}));
        QTRY_VERIFY_WITH_TIMEOUT(!server_.listeningUrl().isEmpty(), kWait);
        upstream_ = server_.listeningUrl();
    }

    // Each leg answers its own peer: the pings stay on their leg, in both directions.
    void answeredPerLegByDefault() {
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream_;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        Peer app;
        connectApp(app, proxy.url());
        if (QTest::currentTestFailed()) return;
        QVERIFY(sink.hasNote("pings are answered on each leg"));

        server_.command("ping from-server");
        QTRY_VERIFY2_WITH_TIMEOUT(server_.has("pong from-server"), server_.transcript().constData(), kWait);
        QVERIFY(hasFrame(sink, Leg::Upstream, Direction::Outgoing, opcode::kPong, "from-server"));
        // A message sent after the ping arrives after it would have: the app has it, and no ping.
        server_.command("send after the server's ping");
        QTRY_VERIFY_WITH_TIMEOUT(app.has("message after the server's ping"), kWait);
        QVERIFY2(!app.hasPrefix("ping "), app.transcript().constData());
        QVERIFY(!hasFrame(sink, Leg::Client, Direction::Outgoing, opcode::kPing, "from-server"));

        app.command("ping from-app");
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("pong from-app"), app.transcript().constData(), kWait);
        app.command("send after the app's ping");
        QTRY_VERIFY_WITH_TIMEOUT(server_.has("message after the app's ping"), kWait);
        QVERIFY2(!server_.has("ping from-app"), server_.transcript().constData());
        QVERIFY(!hasFrame(sink, Leg::Upstream, Direction::Outgoing, opcode::kPing, "from-app"));
        app.command("close");
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }

    // Passed through: each side gets the other's ping and the pong comes back, while a message of the same
    // direction is held; then the held ones are forwarded.
    void passedThroughWhileHeld() {
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream_;
        options.passPings = true;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        InterceptRules rules;
        rules.enabled = true;
        rules.pattern = "hold";
        QVERIFY(proxy.setInterceptRules(rules));
        QSignalSpy held(&proxy, &ProxyServer::messageHeld);
        Peer app;
        connectApp(app, proxy.url());
        if (QTest::currentTestFailed()) return;
        QVERIFY(sink.hasNote("pings and pongs are passed through"));

        // Upstream → app: a held message, then the server's ping, which the app receives and answers.
        server_.command("send hold down");
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 1, kWait);
        server_.command("ping from-server");
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("ping from-server"), app.transcript().constData(), kWait);
        QTRY_VERIFY2_WITH_TIMEOUT(server_.has("pong from-server"), server_.transcript().constData(), kWait);
        QVERIFY(!app.has("message hold down"));
        QVERIFY(hasFrame(sink, Leg::Client, Direction::Outgoing, opcode::kPing, "from-server"));
        QVERIFY(hasFrame(sink, Leg::Client, Direction::Incoming, opcode::kPong, "from-server"));
        // One pong toward the server: the app's, passed on (the proxy's leg did not answer it too).
        QCOMPARE(countFrames(sink, Leg::Upstream, Direction::Outgoing, opcode::kPong, "from-server"), 1);

        // App → upstream, likewise.
        app.command("send hold up");
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 2, kWait);
        app.command("ping from-app");
        QTRY_VERIFY2_WITH_TIMEOUT(server_.has("ping from-app"), server_.transcript().constData(), kWait);
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("pong from-app"), app.transcript().constData(), kWait);
        QVERIFY(!server_.has("message hold up"));
        QVERIFY(hasFrame(sink, Leg::Upstream, Direction::Outgoing, opcode::kPing, "from-app"));
        QCOMPARE(countFrames(sink, Leg::Client, Direction::Outgoing, opcode::kPong, "from-app"), 1);

        // An unsolicited pong passes too.
        server_.command("pong unasked");
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("pong unasked"), app.transcript().constData(), kWait);

        for (int i = 0; i < held.size(); ++i) {
            const auto message = held.at(i).at(0).value<HeldMessage>();
            proxy.resolveHeld(message.pairId, message.id, {});
        }
        QTRY_VERIFY_WITH_TIMEOUT(app.has("message hold down"), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(server_.has("message hold up"), kWait);
        app.command("close");
        QTRY_VERIFY_WITH_TIMEOUT(app.has("close 1000"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }

    // framescope-cli proxy --pass-pings.
    void cliPassPings() {
        QProcess cli;
        cli.start(FRAMESCOPE_CLI,
                  {"proxy", "--listen", "127.0.0.1:0", "--upstream", upstream_.toString(), "--pass-pings"});
        QVERIFY(cli.waitForStarted(kWait));
        QTRY_VERIFY_WITH_TIMEOUT(cli.canReadLine(), kWait);
        const QByteArray first = cli.readLine().trimmed();
        QVERIFY2(first.startsWith("listening on ws://"), first.constData());
        Peer app;
        connectApp(app, QUrl(QString::fromUtf8(first.mid(13))));
        if (QTest::currentTestFailed()) return;
        app.command("ping through the cli");
        QTRY_VERIFY2_WITH_TIMEOUT(server_.has("ping through the cli"), server_.transcript().constData(),
                                  kWait);
        QTRY_VERIFY2_WITH_TIMEOUT(app.has("pong through the cli"), app.transcript().constData(), kWait);
        app.command("close");
        QTRY_VERIFY_WITH_TIMEOUT(app.has("close 1000"), kWait);
        cli.terminate();
        QVERIFY(cli.waitForFinished(kWait));
    }
};

QTEST_MAIN(TestProxyPings)
#include "tst_proxy_pings.moc"
