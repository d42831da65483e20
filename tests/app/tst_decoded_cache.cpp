// DecodedCache and what reads it: every message decoded once, in order, with its request/response
// partner and within a memory budget; the model's Summary column, searches over decoded fields
// (event:, topic:, method=...), the decoder chosen per connection, and JSON Lines exports with "decoded".
#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "capture/capture_export.h"
#include "capture/capture_model.h"
#include "capture_test_util.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

namespace {

void addText(CaptureStore& store, std::string_view text, Direction direction, uint32_t connection,
             int64_t timeUs = 0) {
    FrameBuilder b(opcode::kText, text, direction, connection);
    b.frame.timestampUs = timeUs;
    store.addFrame(b.frame);
}

void addNote(CaptureStore& store, NoteKind kind, Direction direction, uint32_t connection,
             std::string_view text) {
    store.addNote({0, connection, direction, kind, text});
}

// Connection 1 speaks JSON-RPC (told by its first message); connection 2 is a Socket.IO client (told by
// its URL); store rows in comments.
void fillConversation(CaptureStore& store) {
    addText(store, R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":7})", Direction::Outgoing, 1,
            1000);                                                                           // 0
    addText(store, R"({"jsonrpc":"2.0","result":3,"id":7})", Direction::Incoming, 1, 4000);  // 1
    addText(store, R"({"jsonrpc":"2.0","method":"log"})", Direction::Outgoing, 1, 5000);     // 2
    addNote(store, NoteKind::HandshakeRequest, Direction::Outgoing, 2,
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\n\r\n");  // 3
    addNote(store, NoteKind::HandshakeResponse, Direction::Incoming, 2,
            "HTTP/1.1 101 Switching Protocols\r\n\r\n");                  // 4
    addText(store, R"(42["chat",{"id":7}])", Direction::Outgoing, 2);     // 5
    addText(store, R"(42["price update",1,2])", Direction::Incoming, 2);  // 6
    addText(store, "2", Direction::Incoming, 2);                          // 7
}

QString summaryOf(const CaptureModel& model, int row) {
    return model.data(model.index(row, CaptureModel::SummaryColumn)).toString();
}

QList<int> visibleStoreRows(const CaptureModel& model) {
    QList<int> rows;
    for (int row = 0; row < model.rowCount(); ++row)
        rows << model.data(model.index(row, 0), CaptureModel::StoreRowRole).toInt();
    return rows;
}

CaptureFilter searchDecoded(const QString& text) {
    CaptureFilter filter;
    filter.search = text;
    filter.searchMode = SearchMode::Decoded;
    return filter;
}

}  // namespace

class TestDecodedCache : public QObject {
    Q_OBJECT

private slots:
    void decodedOnceWithPartners() {
        CaptureStore store;
        fillConversation(store);
        DecodedCache cache(store);
        QCOMPARE(cache.advance(store.size()), store.size());
        const DecodedCache::Entry* request = cache.find(0);
        const DecodedCache::Entry* response = cache.find(1);
        QVERIFY(request && response);
        QCOMPARE(request->decoded.summary, std::string("call add #7 (2 params)"));
        QCOMPARE(request->pairedRow, size_t(1));
        QVERIFY(request->pairedIsResponse);
        QCOMPARE(request->pairLatencyUs, int64_t(3000));
        QCOMPARE(response->pairedRow, size_t(0));
        QVERIFY(!response->pairedIsResponse);
        QCOMPARE(response->sender, decoders::Sender::Server);
        QVERIFY(!cache.find(3));  // a note
        QCOMPARE(cache.find(5)->decoded.protocol, decoders::Protocol::SocketIo);
        QCOMPARE(cache.decoder().protocol(1), decoders::Protocol::JsonRpc);
    }

    void fragmentedMessageDecodesOnItsLastFrame() {
        CaptureStore store;
        FrameBuilder first(opcode::kText, R"({"jsonrpc":"2.0",)", Direction::Outgoing, 1);
        first.frame.header.fin = false;
        first.frame.endsMessage = false;
        store.addFrame(first.frame);
        addText(store, "not a fragment of it", Direction::Incoming, 1);  // the other direction, between
        FrameBuilder last(opcode::kContinuation, R"("method":"add","id":1})", Direction::Outgoing, 1);
        store.addFrame(last.frame);
        DecodedCache cache(store);
        cache.advance(store.size());
        QVERIFY(!cache.find(0));
        QVERIFY(cache.find(2));
        QCOMPARE(cache.find(2)->decoded.summary, std::string("call add #1"));
    }

    void budgetDropsTheOldestFirst() {
        CaptureStore store;
        for (int i = 0; i < 300; ++i)
            addText(store, R"({"jsonrpc":"2.0","method":"tick","params":[1]})", Direction::Incoming, 1);
        DecodedCache cache(store, 16 * 1024);
        cache.advance(store.size());
        QVERIFY(cache.bytesUsed() <= 16 * 1024);
        QVERIFY(cache.dropped(0));
        QVERIFY(!cache.find(0));
        QVERIFY(cache.find(299));
        QVERIFY(!cache.dropped(299));
    }

    void advanceStopsAtTheDeadline() {
        CaptureStore store;
        for (int i = 0; i < 1000; ++i)
            addText(store, "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}", Direction::Incoming, 1);
        DecodedCache cache(store);
        const size_t first = cache.advance(store.size(), QDeadlineTimer(0));
        QVERIFY(first < store.size());  // an expired deadline stops at the first look at the clock
        QCOMPARE(cache.advance(store.size()), store.size());
        QVERIFY(cache.find(999));
    }

    void summaryColumn() {
        CaptureStore store;
        fillConversation(store);
        CaptureModel model(store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.fetchPublished();
        QCOMPARE(model.headerData(CaptureModel::SummaryColumn, Qt::Horizontal).toString(),
                 QString("Summary"));
        QCOMPARE(summaryOf(model, 0), QString("call add #7 (2 params)"));
        QCOMPARE(summaryOf(model, 2), QString("notify log"));
        QCOMPARE(summaryOf(model, 3), QString());
        QCOMPARE(summaryOf(model, 5), QString("emit \"chat\" (1 arg)"));
    }

    void summaryFillsInOnLaterTicks() {
        CaptureStore store;
        CaptureModel model(store);
        model.setPollInterval(1);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        fillConversation(store);
        QTRY_COMPARE(model.rowCount(), int(store.size()));
        QTRY_COMPARE(summaryOf(model, 5), QString("emit \"chat\" (1 arg)"));
    }

    void decodedSearch_data() {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QList<int>>("rows");
        QTest::newRow("method contains") << "method:ad" << QList<int>{0};
        QTest::newRow("method equals") << "method=log" << QList<int>{2};
        QTest::newRow("equals is whole") << "method=lo" << QList<int>{};
        QTest::newRow("event") << "event:chat" << QList<int>{5};
        QTest::newRow("quoted value") << "event=\"price update\"" << QList<int>{6};
        QTest::newRow("protocol") << "protocol:json-rpc" << QList<int>{0, 1, 2};
        QTest::newRow("type") << "type=request" << QList<int>{0};
        QTest::newRow("bare word searches summaries") << "emit" << QList<int>{5, 6};
        QTest::newRow("every term") << "protocol:socket.io price" << QList<int>{6};
        QTest::newRow("case-insensitive") << "EVENT:CHAT" << QList<int>{5};
    }
    void decodedSearch() {
        QFETCH(QString, search);
        QFETCH(QList<int>, rows);
        CaptureStore store;
        fillConversation(store);
        CaptureModel model(store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(searchDecoded(search));
        QCOMPARE(model.filterError(), QString());
        QCOMPARE(visibleStoreRows(model), rows);
    }

    void unknownFieldIsOneSentence() {
        CaptureStore store;
        fillConversation(store);
        CaptureModel model(store);
        model.setFilter(searchDecoded("colour:red"));
        QVERIFY(model.filterError().startsWith("\"colour\" is not a decoded field"));
        QCOMPARE(model.rowCount(), 0);
    }

    void decodedSearchFollowsLaterRows() {
        CaptureStore store;
        CaptureModel model(store);
        model.setPollInterval(1);
        model.setFilter(searchDecoded("event:chat"));
        fillConversation(store);
        QTRY_COMPARE(visibleStoreRows(model), QList<int>{5});
        addText(store, R"(42["chat","again"])", Direction::Incoming, 2);
        QTRY_COMPARE(visibleStoreRows(model), (QList<int>{5, 8}));
    }

    void choicePerConnection() {
        CaptureStore store;
        fillConversation(store);
        addText(store, R"(42["chat",1])", Direction::Outgoing, 3);  // 8: nothing tells it is Socket.IO
        CaptureModel model(store);
        model.fetchPublished();
        QCOMPARE(summaryOf(model, 8), QString());
        model.setDecoderChoice(3, decoders::Protocol::SocketIo);
        model.setDecoderChoice(1, decoders::Protocol::None);
        model.fetchPublished();
        QCOMPARE(summaryOf(model, 8), QString("emit \"chat\" (1 arg)"));
        QCOMPARE(summaryOf(model, 0), QString());
        QCOMPARE(summaryOf(model, 5), QString("emit \"chat\" (1 arg)"));
        model.setFilter(searchDecoded("event:chat"));
        QCOMPARE(visibleStoreRows(model), (QList<int>{5, 8}));
        model.setDecoderChoice(3, std::nullopt);
        QCOMPARE(visibleStoreRows(model), QList<int>{5});
        QCOMPARE(model.decoderChoice(1), DecoderChoice(decoders::Protocol::None));
        QCOMPARE(model.decoderChoice(3), DecoderChoice());
    }

    void jsonLinesExportAddsDecoded() {
        CaptureStore store;
        fillConversation(store);
        auto exportLines = [&](bool decoded, DecoderChoice choice) {
            ExportOptions options;
            options.withNotes = false;
            options.decoded = decoded;
            options.decoder = choice;
            QBuffer out;
            out.open(QIODevice::WriteOnly);
            exportCapture(store, out, options);
            QList<QJsonObject> lines;
            for (const QByteArray& line : out.data().split('\n'))
                if (!line.isEmpty()) lines << QJsonDocument::fromJson(line).object();
            return lines;
        };
        const QList<QJsonObject> lines = exportLines(true, std::nullopt);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines[0]["decoded"]["summary"].toString(), QString("call add #7 (2 params)"));
        QCOMPARE(lines[1]["decoded"]["pairs"][0]["key"].toString(), QString("id:7"));
        QCOMPARE(lines[3]["decoded"]["protocol"].toString(), QString("socket.io"));
        QVERIFY(!exportLines(false, std::nullopt)[0].contains("decoded"));
        QVERIFY(!exportLines(true, decoders::Protocol::None)[0].contains("decoded"));
    }
};

QTEST_MAIN(TestDecodedCache)
#include "tst_decoded_cache.moc"
