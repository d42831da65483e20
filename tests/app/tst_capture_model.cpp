// CaptureModel: consistent under QAbstractItemModelTester while rows stream in from another thread, one
// insert per tick, filters over direction, opcodes, control frames, connections, text, regex and hex, and
// the text of each kind of cell.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "capture/capture_model.h"
#include "capture_test_util.h"
#include "framescope/close_code.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

Q_DECLARE_METATYPE(framescope::app::CaptureFilter)

namespace {

constexpr const char* kViolation = "A text frame is not valid UTF-8 (RFC 6455 §8.1).";

void addFrame(CaptureStore& store, uint8_t op, std::string_view payload, Direction direction,
              uint32_t connection = 1, int64_t timestampUs = 0) {
    FrameBuilder b(op, payload, direction, connection);
    b.frame.timestampUs = timestampUs;
    store.addFrame(b.frame);
}

void addClose(CaptureStore& store, uint16_t code, std::string_view reason, Direction direction) {
    const auto body = test::closeBody(code, reason);
    FrameBuilder b(opcode::kClose, body, direction);
    b.frame.closeCode = code;
    store.addFrame(b.frame);
}

// The store rows the model shows, in order.
QList<int> visibleStoreRows(const CaptureModel& model) {
    QList<int> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        rows << model.data(model.index(row, 0), CaptureModel::StoreRowRole).toInt();
    }
    return rows;
}

// A little of everything (store rows in comments).
void fillMixed(CaptureStore& store) {
    store.addNote({0, 1, Direction::Incoming, NoteKind::Status, "Connected to ws://127.0.0.1/"});  // 0
    addFrame(store, opcode::kText, "hello world", Direction::Outgoing);                            // 1
    addFrame(store, opcode::kText, "Hello back", Direction::Incoming);                             // 2
    addFrame(store, opcode::kBinary, "\xde\xad\xbe\xef", Direction::Incoming);                     // 3
    addFrame(store, opcode::kPing, "p", Direction::Outgoing);                                      // 4
    addFrame(store, opcode::kPong, "p", Direction::Incoming);                                      // 5
    addFrame(store, opcode::kText, "{\"price\": 42}", Direction::Incoming, 2);                     // 6
    addClose(store, close_code::kNormal, "bye", Direction::Outgoing);                              // 7
    addClose(store, close_code::kNormal, "bye", Direction::Incoming);                              // 8
}

CaptureFilter searchFilter(const QString& text, SearchMode mode,
                           Qt::CaseSensitivity cs = Qt::CaseInsensitive) {
    CaptureFilter filter;
    filter.search = text;
    filter.searchMode = mode;
    filter.caseSensitivity = cs;
    return filter;
}

}  // namespace

class TestCaptureModel : public QObject {
    Q_OBJECT

private slots:
    void streamingUnderModelTester_data();
    void streamingUnderModelTester();
    void oneInsertPerTick();
    void filters_data();
    void filters();
    void filterAppliesToLaterRows();
    void invalidSearchMatchesNothing();
    void textFrameCells();
    void binaryAndCloseCells();
    void violationAndNoteCells();
    void truncatedLengthAndTime();
    void clearEmptiesStoreAndModel();
    void droppingOldestRowsResets();
    void relayedRowsHiddenOnceTheyCome();
};

void TestCaptureModel::streamingUnderModelTester_data() {
    QTest::addColumn<CaptureFilter>("filter");
    QTest::addColumn<int>("expected");
    QTest::newRow("unfiltered") << CaptureFilter{} << 20'000;
    CaptureFilter incoming;
    incoming.direction = DirectionFilter::Incoming;
    QTest::newRow("incoming only") << incoming << 10'000;
    QTest::newRow("text search") << searchFilter(QStringLiteral("7$"), SearchMode::Regex) << 2'000;
}

void TestCaptureModel::streamingUnderModelTester() {
    QFETCH(CaptureFilter, filter);
    QFETCH(int, expected);
    CaptureStore store;
    CaptureModel model(store);
    model.setFilter(filter);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    std::thread writer([&store] {
        for (int i = 0; i < 20'000; ++i) {
            const Direction direction = i % 2 == 0 ? Direction::Incoming : Direction::Outgoing;
            addFrame(store, opcode::kText, std::to_string(i), direction, 1, i);
            if (i % 1000 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), expected, 20'000);
    writer.join();
    QTest::qWait(50);
    QCOMPARE(model.rowCount(), expected);
    const QList<int> rows = visibleStoreRows(model);
    QVERIFY(std::is_sorted(rows.begin(), rows.end()));
}

void TestCaptureModel::oneInsertPerTick() {
    CaptureStore store;
    CaptureModel model(store);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10'000; ++i)
        addFrame(store, opcode::kBinary, "x", Direction::Incoming);
    QTRY_COMPARE(model.rowCount(), 10'000);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 9'999);

    for (int i = 0; i < 5; ++i)
        addFrame(store, opcode::kBinary, "y", Direction::Incoming);
    QTRY_COMPARE(model.rowCount(), 10'005);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 10'000);
    QCOMPARE(inserted.at(1).at(2).toInt(), 10'004);

    // Filtered: still one insert for a tick's matches.
    CaptureFilter filter;
    filter.search = QStringLiteral("z");
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 0);
    inserted.clear();
    for (int i = 0; i < 3'000; ++i)
        addFrame(store, opcode::kText, i % 3 == 0 ? "z" : "w", Direction::Incoming);
    QTRY_COMPARE(model.rowCount(), 1'000);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 999);
}

void TestCaptureModel::filters_data() {
    QTest::addColumn<CaptureFilter>("filter");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("none") << CaptureFilter{} << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8};
    CaptureFilter f;
    f.direction = DirectionFilter::Incoming;
    QTest::newRow("incoming") << f << QList<int>{0, 2, 3, 5, 6, 8};
    f = {};
    f.direction = DirectionFilter::Outgoing;
    QTest::newRow("outgoing") << f << QList<int>{1, 4, 7};
    f = {};
    f.opcodes = CaptureFilter::opcodeBit(opcode::kText);
    QTest::newRow("text opcode, notes kept") << f << QList<int>{0, 1, 2, 6};
    f.hideNotes = true;
    QTest::newRow("text opcode, no notes") << f << QList<int>{1, 2, 6};
    f = {};
    f.opcodes = CaptureFilter::opcodeBit(opcode::kPing) | CaptureFilter::opcodeBit(opcode::kPong);
    f.hideNotes = true;
    QTest::newRow("ping and pong") << f << QList<int>{4, 5};
    f = {};
    f.hideControl = true;
    QTest::newRow("hide control") << f << QList<int>{0, 1, 2, 3, 6};
    f = {};
    f.connections = {2};
    QTest::newRow("connection 2") << f << QList<int>{6};
    QTest::newRow("text, any case") << searchFilter(QStringLiteral("HELLO"), SearchMode::Text)
                                    << QList<int>{1, 2};
    QTest::newRow("text, case-sensitive")
        << searchFilter(QStringLiteral("Hello"), SearchMode::Text, Qt::CaseSensitive) << QList<int>{2};
    QTest::newRow("text in close reason")
        << searchFilter(QStringLiteral("bye"), SearchMode::Text) << QList<int>{7, 8};
    QTest::newRow("text in a note") << searchFilter(QStringLiteral("127.0.0.1"), SearchMode::Text)
                                    << QList<int>{0};
    QTest::newRow("regex") << searchFilter(QStringLiteral("\"price\":\\s*\\d+"), SearchMode::Regex)
                           << QList<int>{6};
    QTest::newRow("regex, anchored, any case")
        << searchFilter(QStringLiteral("^hel"), SearchMode::Regex) << QList<int>{1, 2};
    QTest::newRow("hex") << searchFilter(QStringLiteral("de ad"), SearchMode::Hex) << QList<int>{3};
    QTest::newRow("hex with 0x") << searchFilter(QStringLiteral("0xBEEF"), SearchMode::Hex) << QList<int>{3};
    f = searchFilter(QStringLiteral("e"), SearchMode::Text);
    f.direction = DirectionFilter::Incoming;
    f.hideControl = true;
    QTest::newRow("incoming, no control, 'e'") << f << QList<int>{0, 2, 6};
    f.hideNotes = true;
    f.connections = {1};
    QTest::newRow("incoming, no control, no notes, connection 1, 'e'") << f << QList<int>{2};
    f = {};
    f.direction = DirectionFilter::Outgoing;
    f.opcodes = CaptureFilter::opcodeBit(opcode::kClose);
    QTest::newRow("outgoing close") << f << QList<int>{7};
}

void TestCaptureModel::filters() {
    QFETCH(CaptureFilter, filter);
    QFETCH(QList<int>, expected);
    CaptureStore store;
    fillMixed(store);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setFilter(filter);
    QVERIFY(model.filterError().isEmpty());
    QCOMPARE(visibleStoreRows(model), expected);
    for (int row = 0; row < expected.size(); ++row) {
        QCOMPARE(model.rowOfStoreRow(static_cast<size_t>(expected[row])), row);
    }
}

void TestCaptureModel::filterAppliesToLaterRows() {
    CaptureStore store;
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    CaptureFilter filter = searchFilter(QStringLiteral("wanted"), SearchMode::Text);
    filter.direction = DirectionFilter::Incoming;
    model.setFilter(filter);
    QCOMPARE(model.rowCount(), 0);
    fillMixed(store);
    addFrame(store, opcode::kText, "this one is wanted", Direction::Incoming);  // 9
    addFrame(store, opcode::kText, "wanted, but outgoing", Direction::Outgoing);
    addFrame(store, opcode::kText, "WANTED too", Direction::Incoming);  // 11
    model.fetchPublished();
    QCOMPARE(visibleStoreRows(model), (QList<int>{9, 11}));
    QCOMPARE(model.rowOfStoreRow(10), -1);

    model.setFilter({});
    QCOMPARE(model.rowCount(), 12);
}

void TestCaptureModel::invalidSearchMatchesNothing() {
    CaptureStore store;
    fillMixed(store);
    CaptureModel model(store);
    model.setFilter(searchFilter(QStringLiteral("(unclosed"), SearchMode::Regex));
    QVERIFY(!model.filterError().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    model.setFilter(searchFilter(QStringLiteral("abc"), SearchMode::Hex));
    QVERIFY(!model.filterError().isEmpty());
    QCOMPARE(model.rowCount(), 0);
}

void TestCaptureModel::textFrameCells() {
    CaptureStore store;
    FrameBuilder b(opcode::kText, "line one\nline two", Direction::Outgoing);
    b.frame.header.rsv1 = false;
    b.frame.header.rsv3 = true;
    store.addFrame(b.frame);
    CaptureModel model(store);
    model.fetchPublished();
    auto cell = [&model](int column, int role = Qt::DisplayRole) {
        return model.data(model.index(0, column), role);
    };
    QCOMPARE(cell(CaptureModel::NumberColumn).toString(), QStringLiteral("1"));
    QCOMPARE(cell(CaptureModel::DirectionColumn).toString(), QStringLiteral("→"));
    QCOMPARE(cell(CaptureModel::OpcodeColumn).toString(), QStringLiteral("text"));
    QCOMPARE(cell(CaptureModel::FinColumn).toString(), QStringLiteral("1"));
    QCOMPARE(cell(CaptureModel::RsvColumn).toString(), QStringLiteral("--1"));
    QCOMPARE(cell(CaptureModel::MaskColumn).toString(), QStringLiteral("1"));
    QCOMPARE(cell(CaptureModel::LengthColumn).toString(), QStringLiteral("17"));
    QCOMPARE(cell(CaptureModel::PreviewColumn).toString(), QStringLiteral("line one↵line two"));
    QVERIFY(!cell(CaptureModel::PreviewColumn, Qt::ForegroundRole).isValid());
    QCOMPARE(cell(CaptureModel::LengthColumn, Qt::TextAlignmentRole).toInt(),
             (Qt::AlignRight | Qt::AlignVCenter).toInt());
    QCOMPARE(cell(CaptureModel::PreviewColumn, CaptureModel::StoreRowRole).toULongLong(), 0ull);
    const QString tip = cell(CaptureModel::OpcodeColumn, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("key 11 22 33 44")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Declared length 17 (7-bit)")), qPrintable(tip));
    QCOMPARE(model.headerData(CaptureModel::PreviewColumn, Qt::Horizontal).toString(),
             QStringLiteral("Preview"));

    // A long text is cut at kPreviewChars characters.
    addFrame(store, opcode::kText, std::string(500, 'a'), Direction::Incoming);
    model.fetchPublished();
    const QString preview = model.data(model.index(1, CaptureModel::PreviewColumn)).toString();
    QCOMPARE(preview, QString(CaptureModel::kPreviewChars, QLatin1Char('a')) + QChar(0x2026));
    QCOMPARE(model.data(model.index(1, CaptureModel::DirectionColumn)).toString(), QStringLiteral("←"));
}

void TestCaptureModel::binaryAndCloseCells() {
    CaptureStore store;
    addFrame(store, opcode::kBinary, std::string_view("\x00\x01\xfe\xff", 4), Direction::Incoming);
    addClose(store, close_code::kNormal, "done here", Direction::Incoming);
    addClose(store, close_code::kNoStatus, "", Direction::Outgoing);
    addFrame(store, opcode::kPing, "are you there", Direction::Outgoing);
    addFrame(store, 0xB, "?", Direction::Incoming);
    CaptureModel model(store);
    model.fetchPublished();
    auto preview = [&model](int row) {
        return model.data(model.index(row, CaptureModel::PreviewColumn)).toString();
    };
    auto opcodeText = [&model](int row) {
        return model.data(model.index(row, CaptureModel::OpcodeColumn)).toString();
    };
    QCOMPARE(opcodeText(0), QStringLiteral("binary"));
    QCOMPARE(preview(0), QStringLiteral("00 01 fe ff"));
    QCOMPARE(opcodeText(1), QStringLiteral("close"));
    QCOMPARE(preview(1), QStringLiteral("code 1000 Normal closure: done here"));
    QCOMPARE(preview(2), QStringLiteral("code 1005 No status received"));
    QCOMPARE(preview(3), QStringLiteral("are you there"));
    QCOMPARE(opcodeText(4), QStringLiteral("reserved-control 0xB"));
    QCOMPARE(preview(4), QStringLiteral("3f"));
}

void TestCaptureModel::violationAndNoteCells() {
    CaptureStore store;
    FrameBuilder bad(opcode::kText, "\xc3\x28", Direction::Incoming);
    bad.frame.violation = kViolation;
    store.addFrame(bad.frame);
    store.addNote({5, 1, Direction::Outgoing, NoteKind::HandshakeRequest,
                   "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\r\n"});
    store.addNote({6, 1, Direction::Incoming, NoteKind::Status, "The server refused the handshake."});
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.fetchPublished();

    const QVariant color = model.data(model.index(0, CaptureModel::PreviewColumn), Qt::ForegroundRole);
    QVERIFY(color.isValid());
    QCOMPARE(color.toString(), QLatin1String(CaptureModel::kViolationColor));
    const QString preview = model.data(model.index(0, CaptureModel::PreviewColumn)).toString();
    QVERIFY2(preview.startsWith(QString::fromUtf8(kViolation)), qPrintable(preview));
    QVERIFY(
        model.data(model.index(0, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("Violation: ")));

    QCOMPARE(model.data(model.index(1, CaptureModel::OpcodeColumn)).toString(),
             QStringLiteral("handshake request"));
    QCOMPARE(model.data(model.index(1, CaptureModel::PreviewColumn)).toString(),
             QStringLiteral("GET /chat HTTP/1.1"));
    QCOMPARE(model.data(model.index(1, CaptureModel::FinColumn)).toString(), QString());
    QVERIFY(model.data(model.index(1, 0), Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Upgrade: websocket")));
    QVERIFY(!model.data(model.index(1, 0), Qt::ForegroundRole).isValid());
    QCOMPARE(model.data(model.index(2, CaptureModel::OpcodeColumn)).toString(), QStringLiteral("status"));
    QCOMPARE(model.data(model.index(2, CaptureModel::PreviewColumn)).toString(),
             QStringLiteral("The server refused the handshake."));
}

void TestCaptureModel::truncatedLengthAndTime() {
    CaptureStoreOptions options;
    options.payloadCap = 64;
    CaptureStore store(options);
    FrameBuilder big(opcode::kText, std::string(1000, 'q'), Direction::Incoming);
    big.frame.timestampUs = 1'000'000;
    store.addFrame(big.frame);
    addFrame(store, opcode::kText, "later", Direction::Incoming, 1, 3'001'500);
    CaptureModel model(store);
    model.fetchPublished();
    QCOMPARE(model.data(model.index(0, CaptureModel::LengthColumn)).toString(),
             QStringLiteral("1000 (64 kept)"));
    QVERIFY(model.data(model.index(0, CaptureModel::PreviewColumn)).toString().endsWith(QChar(0x2026)));
    QCOMPARE(model.data(model.index(0, CaptureModel::TimeColumn)).toString(), QStringLiteral("0.000000"));
    QCOMPARE(model.data(model.index(1, CaptureModel::TimeColumn)).toString(), QStringLiteral("2.001500"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTimeFormat(TimeFormat::Absolute);
    QCOMPARE(changed.count(), 1);
    const QString absolute = model.data(model.index(1, CaptureModel::TimeColumn)).toString();
    QVERIFY2(absolute.endsWith(QStringLiteral(".001500")) && absolute.size() == 15, qPrintable(absolute));
}

void TestCaptureModel::clearEmptiesStoreAndModel() {
    CaptureStore store;
    fillMixed(store);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 9);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(store.size(), size_t{0});
    fillMixed(store);
    QTRY_COMPARE(model.rowCount(), 9);
}

// Bounded retention drops the oldest rows and renumbers the rest: the model resets to them, filtered or not.
void TestCaptureModel::droppingOldestRowsResets() {
    CaptureStore store;
    fillMixed(store);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 9);
    QCOMPARE(store.dropOldest(4), size_t{4});
    QCOMPARE(store.evictedRows(), uint64_t{4});
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(store.record(0).opcode, opcode::kPing);  // old row 4
    QCOMPARE(QString::fromUtf8(reinterpret_cast<const char*>(store.payload(2).data()), 13),
             QString("{\"price\": 42}"));
    model.setFilter(searchFilter("bye", SearchMode::Text));
    QCOMPARE(visibleStoreRows(model), (QList<int>{3, 4}));
    QCOMPARE(store.dropOldest(4), size_t{4});
    model.fetchPublished();
    QCOMPARE(visibleStoreRows(model), (QList<int>{0}));
    addFrame(store, opcode::kText, "bye again", Direction::Incoming);
    model.fetchPublished();
    QCOMPARE(visibleStoreRows(model), (QList<int>{0, 1}));
}

// The default filter hides a proxy's relayed frames without an index until the first one is captured;
// the rows shown so far stay (no reset), later relays stay out, and Both legs (hideRelayed off) shows them.
void TestCaptureModel::relayedRowsHiddenOnceTheyCome() {
    CaptureStore store;
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    auto relayed = [&store](std::string_view text, uint64_t source) {
        FrameBuilder b(opcode::kText, text, Direction::Outgoing, 2);
        b.frame.leg = Leg::Upstream;
        b.frame.relayOfConnection = 1;
        b.frame.relayOfMessage = source;
        store.addFrame(b.frame);
    };
    fillMixed(store);  // rows 0-8, no relay
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 9);
    addFrame(store, opcode::kText, "from the app", Direction::Incoming);  // 9
    relayed("from the app", 0);                                           // 10, hidden
    addFrame(store, opcode::kText, "after", Direction::Incoming);         // 11
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(model.rowOfStoreRow(10), -1);
    QCOMPARE(model.rowOfStoreRow(11), 10);
    relayed("after", 1);  // 12, hidden as it comes
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 11);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.index(9, CaptureModel::DirectionColumn).data().toString(), QStringLiteral("←"));

    CaptureFilter bothLegs;
    bothLegs.hideRelayed = false;
    model.setFilter(bothLegs);
    QCOMPARE(model.rowCount(), 13);
    QCOMPARE(model.index(10, CaptureModel::DirectionColumn).data().toString(), QStringLiteral("relay → up"));
}

QTEST_GUILESS_MAIN(TestCaptureModel)
#include "tst_capture_model.moc"
