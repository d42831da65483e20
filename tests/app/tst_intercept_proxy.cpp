// Intercept in the reverse proxy without the window: a Python `websockets` echo server upstream, our
// Connection as the app, real sockets on loopback. A regular expression holds the upstream's answers: the
// one that matched waits, the ones after it queue behind (a later match is held in turn), and deciding
// them delivers everything in the order it came, the first one edited. Inject reaches the app at once. A
// held close keeps the upstream leg open after the app's own close handshake completed, until it is
// forwarded.
#include <QSignalSpy>
#include <QTest>

#include "framescope/close_code.h"
#include "interop_peers.h"
#include "net/connection.h"
#include "net/proxy_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

struct App {
    RecordingSink sink;
    std::unique_ptr<Connection> connection;
    std::unique_ptr<QSignalSpy> messages;

    explicit App(const QUrl& url) {
        ConnectionOptions options;
        options.url = url;
        connection = std::make_unique<Connection>(options, &sink, 100);
        messages = std::make_unique<QSignalSpy>(connection.get(), &Connection::messageReceived);
        connection->open();
    }
    QByteArray message(int index) const { return messages->at(index).at(1).toByteArray(); }
};

int upstreamCloses(const RecordingSink& sink) {
    int count = 0;
    for (const RecordedFrame& f : sink.frames())
        count +=
            f.leg == Leg::Upstream && f.direction == Direction::Outgoing && f.header.opcode == opcode::kClose;
    return count;
}

}  // namespace

class TestInterceptProxy : public QObject {
    Q_OBJECT

    QProcess server_;
    QUrl upstream_;

private slots:
    void initTestCase() {
        QByteArray output;
        QVERIFY2(runTool(python(), {"-c", "import websockets"}, {}, output, kWait) == 0,
                 "Python websockets is missing (apt-get install python3-websockets)");
        upstream_ = startPeerServer(server_, "python");
        QVERIFY(!upstream_.isEmpty());
    }
    void cleanupTestCase() {
        server_.kill();
        server_.waitForFinished();
    }

    void invalidRegexIsRefused() {
        ProxyOptions options;
        options.upstream = upstream_;
        ProxyServer proxy(options);
        InterceptRules rules;
        rules.enabled = true;
        rules.regex = true;
        rules.pattern = "(unclosed";
        QString error;
        QVERIFY(!proxy.setInterceptRules(rules, &error));
        QVERIFY2(error.startsWith("The breakpoint's regular expression is invalid"), qPrintable(error));
    }

    // Closing one proxied conversation (by its upstream leg's id, as the connections list may) sends 1000
    // to that app and to its upstream; another app's conversation through the same proxy goes on.
    void closingOnePairLeavesTheOthers() {
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream_;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        QSignalSpy opened(&proxy, &ProxyServer::pairOpened);
        App first(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, kWait);
        App second(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(second.connection->state(), ConnectionState::Open, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(first.connection->state(), ConnectionState::Open, kWait);
        // The first pair opened before the second app connected: it is the first app's. Its upstream
        // leg's id (the client leg's + 1) names it as well as the client leg's.
        proxy.closePair(opened.at(0).at(0).toUInt() + 1);
        QTRY_COMPARE_WITH_TIMEOUT(first.connection->state(), ConnectionState::Closed, kWait);
        const auto closedWith1000 = [](const RecordingSink& s, Direction d) {
            for (const RecordedFrame& f : s.frames())
                if (f.direction == d && f.header.opcode == opcode::kClose && f.closeCode == 1000) return true;
            return false;
        };
        QVERIFY(closedWith1000(first.sink, Direction::Incoming));
        QTRY_VERIFY_WITH_TIMEOUT(upstreamCloses(sink) == 1, kWait);
        QVERIFY(sink.hasNote("the user closed this proxied connection"));
        second.connection->sendText("still here");
        QTRY_COMPARE_WITH_TIMEOUT(second.messages->size(), 1, kWait);
        QCOMPARE(second.message(0), QByteArray("still here"));
        QCOMPARE(second.connection->state(), ConnectionState::Open);
    }

    void holdsAndQueuesInOrder() {
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream_;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        InterceptRules rules;
        rules.enabled = true;
        rules.direction = InterceptDirection::ToApp;
        rules.regex = true;
        rules.pattern = "^echo-\\d+$";
        QVERIFY(proxy.setInterceptRules(rules));
        QSignalSpy held(&proxy, &ProxyServer::messageHeld);
        QSignalSpy released(&proxy, &ProxyServer::heldReleased);
        App app(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);

        app.connection->sendText("echo-1");
        app.connection->sendText("plain");
        app.connection->sendText("echo-2");
        // The upstream answers in order: when its third answer is held, the second one has queued.
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 2, kWait);
        const auto first = held.at(0).at(0).value<HeldMessage>();
        const auto second = held.at(1).at(0).value<HeldMessage>();
        QCOMPARE(first.payload, QByteArray("echo-1"));
        QCOMPARE(second.payload, QByteArray("echo-2"));
        QCOMPARE(first.from, Leg::Upstream);
        QCOMPARE(first.opcode, uint8_t(opcode::kText));
        QCOMPARE(app.messages->size(), 0);

        // Deciding the later one first sends nothing: the first still waits at the head.
        proxy.resolveHeld(second.pairId, second.id, {});
        QTRY_COMPARE_WITH_TIMEOUT(released.size(), 1, kWait);
        QCOMPARE(app.messages->size(), 0);
        InterceptAction edit;
        edit.kind = InterceptAction::Kind::Message;
        edit.opcode = opcode::kText;
        edit.payload = "echo-1, edited";
        proxy.resolveHeld(first.pairId, first.id, edit);
        QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 3, kWait);
        QCOMPARE(app.message(0), QByteArray("echo-1, edited"));
        QCOMPARE(app.message(1), QByteArray("plain"));
        QCOMPARE(app.message(2), QByteArray("echo-2"));

        // Deciding one twice says so.
        QSignalSpy failed(&proxy, &ProxyServer::interceptFailed);
        proxy.resolveHeld(first.pairId, first.id, {});
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWait);
        QVERIFY(failed.at(0).at(0).toString().contains("no longer held"));

        // Inject into the app leg: a binary message, at once.
        InterceptAction inject;
        inject.kind = InterceptAction::Kind::Message;
        inject.opcode = opcode::kBinary;
        inject.payload = QByteArray("\x00\x01\x02", 3);
        proxy.inject(first.pairId, Leg::Client, inject);
        QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 4, kWait);
        QCOMPARE(app.messages->at(3).at(0).toBool(), false);  // binary
        QCOMPARE(app.message(3), QByteArray("\x00\x01\x02", 3));
        app.connection->sendClose(close_code::kNormal, "done");
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }

    void heldCloseKeepsTheUpstreamOpen() {
        RecordingSink sink;
        ProxyOptions options;
        options.upstream = upstream_;
        ProxyServer proxy(options, &sink);
        QVERIFY(proxy.start());
        InterceptRules rules;
        rules.enabled = true;
        rules.direction = InterceptDirection::ToUpstream;
        rules.closes = true;
        rules.pattern = "bye";
        QVERIFY(proxy.setInterceptRules(rules));
        QSignalSpy held(&proxy, &ProxyServer::messageHeld);
        App app(proxy.url());
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Open, kWait);
        app.connection->sendText("hello");
        QTRY_COMPARE_WITH_TIMEOUT(app.messages->size(), 1, kWait);
        app.connection->sendClose(close_code::kNormal, "bye");
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 1, kWait);
        const auto close = held.at(0).at(0).value<HeldMessage>();
        QCOMPARE(close.opcode, uint8_t(opcode::kClose));
        QCOMPARE(close.closeCode, quint16(close_code::kNormal));
        // The app's own close handshake completes with the proxy; the upstream has not been told.
        QTRY_COMPARE_WITH_TIMEOUT(app.connection->state(), ConnectionState::Closed, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(sink.hasNote("stays open until its 1 held or queued messages are decided"),
                                 kWait);
        QCOMPARE(upstreamCloses(sink), 0);
        QCOMPARE(proxy.counters().pairsOpen.load(), 1u);
        proxy.resolveHeld(close.pairId, close.id, {});
        QTRY_COMPARE_WITH_TIMEOUT(upstreamCloses(sink), 1, kWait);
        for (const RecordedFrame& f : sink.frames()) {
            if (f.leg == Leg::Upstream && f.direction == Direction::Outgoing &&
                f.header.opcode == opcode::kClose) {
                QCOMPARE(f.closeCode, quint16(close_code::kNormal));
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);
    }
};

QTEST_MAIN(TestInterceptProxy)
#include "tst_intercept_proxy.moc"
