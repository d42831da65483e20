// The inspector's Decoded tab: a decoded message as a tree whose fields highlight their bytes (in the tab
// and in the inspector's wire view), and a captured connection read through its decoder (MQTT split across
// messages, detected from the subprotocol the handshake agreed on), from the model's cache or replayed.
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include "capture/capture_store.h"
#include "decode/decoded_cache.h"
#include "framescope/decoders/mqtt.h"
#include "framescope/decoders/stomp.h"
#include "widgets/decoded_view.h"
#include "widgets/frame_inspector.h"
#include "widgets/hex_view.h"
#include "window/frame_data_adapter.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

QTreeWidgetItem* findItem(QTreeWidgetItem* item, const QString& name) {
    if (item->text(0) == name) return item;
    for (int i = 0; i < item->childCount(); ++i)
        if (QTreeWidgetItem* found = findItem(item->child(i), name)) return found;
    return nullptr;
}

void addNote(app::CaptureStore& store, app::NoteKind kind, app::Direction direction, std::string_view text) {
    app::CapturedNote note;
    note.connectionId = 1;
    note.direction = direction;
    note.kind = kind;
    note.text = text;
    store.addNote(note);
}

void addMessage(app::CaptureStore& store, app::Direction direction, uint64_t index, const std::string& bytes,
                int64_t timeUs = 0) {
    app::CapturedFrame frame;
    frame.timestampUs = timeUs;
    frame.connectionId = 1;
    frame.direction = direction;
    frame.header.opcode = opcode::kBinary;
    frame.header.payloadLength = bytes.size();
    frame.payload = decoders::asBytes(bytes);
    frame.messageIndex = index;
    frame.endsMessage = true;
    store.addFrame(frame);
}

}  // namespace

class TestDecodedView : public QObject {
    Q_OBJECT
private slots:
    void fieldHighlightsItsBytes() {
        const std::string bytes = std::string("SEND\ndestination:/queue/a\nreceipt:r-1\n\nhello") + '\0';
        decoders::stomp::Decoder decoder;
        const decoders::Decoded decoded =
            decoder.decode({decoders::Sender::Client, false, decoders::asBytes(bytes)});
        DecodedView view;
        view.setDecoded(decoded, QByteArray(bytes.data(), qsizetype(bytes.size())));
        QVERIFY(view.treeShown());
        QCOMPARE(view.headline(),
                 QString("stomp · SEND /queue/a (5 bytes) receipt r-1\nrequest receipt:r-1"));
        QTreeWidgetItem* destination = findItem(view.tree()->topLevelItem(0), "destination");
        QVERIFY(destination);
        QCOMPARE(destination->text(1), QString("/queue/a"));
        view.tree()->setCurrentItem(destination);
        QCOMPARE(view.hexView()->selectedBytes(), QByteArray("destination:/queue/a"));
        view.clear();
        QVERIFY(!view.treeShown());
    }

    void fieldHighlightsItsWireBytes_data() {
        QTest::addColumn<int>("earlierBytes");  // bytes of the message in earlier fragments
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<QByteArray>("selected");
        QTest::newRow("one frame") << 0 << false << QByteArray("destination:/queue/a");
        QTest::newRow("last fragment") << 10 << false << QByteArray("nation:/queue/a");
        QTest::newRow("earlier fragment") << 40 << false << QByteArray();
        QTest::newRow("deflate data") << 0 << true << QByteArray();
    }
    void fieldHighlightsItsWireBytes() {
        QFETCH(int, earlierBytes);
        QFETCH(bool, compressed);
        QFETCH(QByteArray, selected);
        const std::string bytes = std::string("SEND\ndestination:/queue/a\nreceipt:r-1\n\nhello") + '\0';
        decoders::stomp::Decoder decoder;
        FrameData frame;
        frame.decoded = decoder.decode({decoders::Sender::Client, false, decoders::asBytes(bytes)});
        frame.decodedBytes = QByteArray(bytes.data(), qsizetype(bytes.size()));
        frame.payload = frame.decodedBytes.mid(earlierBytes);
        frame.payloadLength = quint64(frame.payload.size());
        frame.header.opcode = earlierBytes == 0 ? opcode::kText : opcode::kContinuation;
        frame.header.fin = true;
        frame.header.payloadLength = frame.payloadLength;
        frame.rawHeader = QByteArray("\x81\x2a", 2);
        frame.compressed = compressed;
        FrameInspector inspector;
        inspector.setFrame(frame);
        QTreeWidgetItem* destination =
            findItem(inspector.decodedView()->tree()->topLevelItem(0), "destination");
        QVERIFY(destination);
        inspector.decodedView()->tree()->setCurrentItem(destination);
        QCOMPARE(inspector.wireView()->selectedBytes(), selected);
        // The wire view shows the 2 header bytes first; "destination" starts 5 bytes into the message.
        if (!selected.isEmpty())
            QCOMPARE(inspector.wireView()->selectionStart(), qint64(2 + qMax(5 - earlierBytes, 0)));
    }

    void inspectorShowsTheDecodedTab() {
        FrameInspector inspector;
        FrameData frame;
        frame.payload = "hello";
        frame.payloadLength = 5;
        inspector.setFrame(frame);
        QCOMPARE(inspector.payloadTabs()->tabText(FrameInspector::DecodedTab), QString("Decoded"));
        QVERIFY(!inspector.decodedView()->treeShown());
    }

    void capturedConnection_data() {
        QTest::addColumn<bool>("cached");
        QTest::newRow("replayed") << false;
        QTest::newRow("from the cache") << true;
    }
    void capturedConnection() {
        app::CaptureStore store;
        addNote(store, app::NoteKind::HandshakeRequest, app::Direction::Outgoing,
                "GET /mqtt HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n");
        addNote(
            store, app::NoteKind::HandshakeResponse, app::Direction::Incoming,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nsec-websocket-protocol: mqtt\r\n\r\n");
        decoders::mqtt::Packet connect;
        connect.type = decoders::mqtt::Type::Connect;
        connect.protocolLevel = 5;
        connect.clientId = "fs";
        const std::string connectBytes = decoders::mqtt::encode(connect, 5);
        // CONNECT split over two messages, as the mqtt client writes it.
        addMessage(store, app::Direction::Outgoing, 0, connectBytes.substr(0, 3));
        addMessage(store, app::Direction::Outgoing, 1, connectBytes.substr(3));
        decoders::mqtt::Packet publish;
        publish.type = decoders::mqtt::Type::Publish;
        publish.flags = 2;
        publish.packetId = 17;
        publish.topic = "sensors/1";
        publish.payload = "21.5";
        publish.properties = {{3, 0, "text/plain", ""}};
        addMessage(store, app::Direction::Outgoing, 2, decoders::mqtt::encode(publish, 5), 1000000);
        addMessage(store, app::Direction::Incoming, 0, std::string("\x40\x02\x00\x11", 4),
                   1003200);  // PUBACK #17
        QCOMPARE(store.size(), size_t(6));
        QFETCH(bool, cached);
        app::DecodedCache cache(store);
        cache.advance(store.size());
        const app::DecodedCache* decoded = cached ? &cache : nullptr;
        const FrameData partial = frameDataFromCapture(store, 2, decoded);
        QVERIFY(partial.decoded && partial.decoded->pending);
        const FrameData frame = frameDataFromCapture(store, 4, decoded);
        QVERIFY(frame.decoded);
        QCOMPARE(QString::fromStdString(frame.decoded->summary),
                 QString("PUBLISH sensors/1 qos1 #17 (4 bytes) +1 props"));
        QCOMPARE(frame.decodedBytes.size(), qsizetype(decoders::mqtt::encode(publish, 5).size()));
        // The request knows its response and the time between them, and the response knows its request.
        QCOMPARE(frame.pairedIndex, displayNumber(5));
        QVERIFY(frame.pairedIsResponse);
        QCOMPARE(frame.pairLatencyUs, qint64(3200));
        const FrameData ack = frameDataFromCapture(store, 5, decoded);
        QCOMPARE(ack.pairedIndex, displayNumber(4));
        QVERIFY(!ack.pairedIsResponse);
        FrameInspector inspector;
        inspector.setFrame(frame);
        QVERIFY(inspector.decodedView()->treeShown());
        QCOMPARE(inspector.decodedView()->pairText(), QString("answered by #6 after 3.20 ms"));
        QSignalSpy jump(&inspector, &FrameInspector::siblingActivated);
        emit inspector.decodedView()->pairActivated(6);
        QCOMPARE(jump.size(), 1);
        QCOMPARE(jump.at(0).at(0).toLongLong(), qint64(6));
    }
};

QTEST_MAIN(TestDecodedView)
#include "tst_decoded_view.moc"
