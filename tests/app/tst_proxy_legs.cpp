// The capture's link between a proxy's legs, on real sockets: a Python `websockets` client (offering
// permessage-deflate, so both legs compress and each message is re-encoded for the other leg) talks to the
// built-in echo server through a ProxyServer that captures into a CaptureStore. A breakpoint holds two of
// the app's messages: one is dropped, the other edited. Every relayed frame must link to exactly the
// message it carries (same content, the other leg, its own masking key), every message relayed as it came
// must link to its relay, and the dropped and edited ones must link to nothing and say what became of them.
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <map>

#include "capture/capture_store.h"
#include "interop_peers.h"
#include "net/echo_server.h"
#include "net/proxy_server.h"

using namespace framescope;
using namespace framescope::app;
using namespace framescope::test;

namespace {

constexpr int kWait = 60000;

// Sends five messages, prints every echo, closes after the fourth (the dropped one never comes back).
constexpr const char* kClient = R"(import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1]) as ws:
        print("extensions", ws.response_headers.get("Sec-WebSocket-Extensions", "none"), flush=True)
        for text in ["m0", "hold-drop", "m2", "hold-edit", "m4"]:
            await ws.send(text)
        for _ in range(4):
            print("echo", await ws.recv(), flush=True)
        await ws.close(1000, "done")
asyncio.run(main())
)";

QByteArray bytesOf(std::span<const uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

// The message a row ends (single frames here: the proxy relays a message as one frame, the client sends
// small ones whole), inflated when compressed.
QByteArray messageOf(const CaptureStore& store, size_t row) {
    return store.record(row).compressed() ? bytesOf(store.inflated(row)) : bytesOf(store.payload(row));
}

struct MessageKey {
    uint32_t connection;
    uint64_t index;
    bool operator<(const MessageKey& o) const {
        return connection != o.connection ? connection < o.connection : index < o.index;
    }
};

}  // namespace

class TestProxyLegs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QByteArray output;
        QVERIFY2(runTool(python(), {"-c", "import websockets"}, {}, output, kWait) == 0,
                 "Python websockets is missing (apt-get install python3-websockets)");
    }

    void relaysLinkToTheirMessages() {
        EchoServer echo(EchoServerOptions{});
        QVERIFY(echo.start());
        CaptureStore store;
        ProxyOptions options;
        options.upstream = echo.url();
        options.firstConnectionId = 11;  // the app leg 11, the upstream leg 12
        ProxyServer proxy(options, &store);
        QVERIFY(proxy.start());
        InterceptRules rules;
        rules.enabled = true;
        rules.direction = InterceptDirection::ToUpstream;
        rules.pattern = "hold-";
        QVERIFY(proxy.setInterceptRules(rules));
        QSignalSpy held(&proxy, &ProxyServer::messageHeld);

        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start(python(), {"-c", kClient, proxy.url().toString()});
        QVERIFY(client.waitForStarted(kWait));
        // Both are held (the second in turn, "m2" queued between them): the first dropped, then the
        // second edited.
        QTRY_COMPARE_WITH_TIMEOUT(held.size(), 2, kWait);
        const auto dropped = held.at(0).at(0).value<HeldMessage>();
        const auto edited = held.at(1).at(0).value<HeldMessage>();
        QCOMPARE(dropped.payload, QByteArray("hold-drop"));
        QCOMPARE(edited.payload, QByteArray("hold-edit"));
        InterceptAction drop;
        drop.kind = InterceptAction::Kind::Drop;
        proxy.resolveHeld(dropped.pairId, dropped.id, drop);
        InterceptAction edit;
        edit.kind = InterceptAction::Kind::Message;
        edit.opcode = opcode::kText;
        edit.payload = "edited";
        proxy.resolveHeld(edited.pairId, edited.id, edit);
        QVERIFY(client.waitForFinished(kWait));
        const QByteArray output = client.readAll();
        QVERIFY2(client.exitCode() == 0, output.constData());
        QVERIFY2(output.contains("permessage-deflate"), output.constData());
        QVERIFY2(output.contains("echo m0\necho m2\necho edited\necho m4\n"), output.constData());
        QTRY_COMPARE_WITH_TIMEOUT(proxy.counters().pairsOpen.load(), 0u, kWait);

        // The messages that arrived on each leg, by (connection, index): their rows.
        std::map<MessageKey, size_t> arrived;
        std::vector<size_t> relays;
        std::vector<size_t> sentByProxy;  // data frames the proxy sent that are not relays
        for (size_t row = 0; row < store.size(); ++row) {
            const CaptureRecord& r = store.record(row);
            if (r.isNote() || isControlOpcode(r.opcode)) continue;
            QVERIFY(r.connectionId == 11 || r.connectionId == 12);
            if (r.direction == Direction::Incoming) {
                QVERIFY(!r.relayed());
                if (r.endsMessage()) arrived[{r.connectionId, r.messageIndex}] = row;
            } else if (r.relayed()) {
                relays.push_back(row);
            } else {
                sentByProxy.push_back(row);
            }
        }
        QCOMPARE(arrived.size(), size_t{9});  // 5 from the app, 4 echoes from the upstream
        QCOMPARE(relays.size(), size_t{7});   // all but the dropped and the edited one
        QCOMPARE(sentByProxy.size(), size_t{1});
        QCOMPARE(messageOf(store, sentByProxy.front()), QByteArray("edited"));
        QCOMPARE(store.record(sentByProxy.front()).connectionId, 12u);

        // Each relayed frame: exactly its message, from the other leg, under another masking key.
        int compressedRelays = 0;
        for (const size_t row : relays) {
            const CaptureRecord& out = store.record(row);
            const auto source = store.relaySource(row);
            QVERIFY(source);
            QCOMPARE(source->connectionId, out.connectionId == 12 ? 11u : 12u);
            const auto from = arrived.find({source->connectionId, source->messageIndex});
            QVERIFY(from != arrived.end());
            QVERIFY(from->second < row);
            QCOMPARE(messageOf(store, row), messageOf(store, from->second));
            QCOMPARE(store.relayRows(from->second), std::vector<size_t>{row});
            const CaptureRecord& in = store.record(from->second);
            QCOMPARE(out.masked(), out.connectionId == 12);  // the proxy masks toward the upstream only
            QCOMPARE(in.masked(), in.connectionId == 11);    // the app masks toward the proxy
            if (in.masked() && out.masked()) QVERIFY(in.maskKey != out.maskKey);
            compressedRelays += out.compressed() ? 1 : 0;
        }
        QVERIFY(compressedRelays > 0);  // re-encoded for their leg

        // Each message that arrived: relayed once, or dropped / edited with no relay.
        int droppedSeen = 0;
        int editedSeen = 0;
        for (const auto& [key, row] : arrived) {
            const QByteArray text = messageOf(store, row);
            const std::vector<size_t> links = store.relayRows(row);
            if (text == "hold-drop") {
                ++droppedSeen;
                QVERIFY(links.empty());
                QCOMPARE(store.relayFate(key.connection, key.index), RelayFate::Dropped);
            } else if (text == "hold-edit") {
                ++editedSeen;
                QVERIFY(links.empty());
                QCOMPARE(store.relayFate(key.connection, key.index), RelayFate::Replaced);
            } else {
                QCOMPARE(links.size(), size_t{1});
                QCOMPARE(store.relayFate(key.connection, key.index), RelayFate::None);
            }
        }
        QCOMPARE(droppedSeen, 1);
        QCOMPARE(editedSeen, 1);
    }
};

QTEST_GUILESS_MAIN(TestProxyLegs)
#include "tst_proxy_legs.moc"
