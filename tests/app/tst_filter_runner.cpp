// Filters built on the worker (FilterRunner through CaptureModel::setFilter): the index equals the rows a
// CaptureFilterMatcher accepts on this thread, for several filters over 200,000 rows while frames keep
// arriving, and when bounded retention drops the oldest rows mid-filter; a second filter supersedes the
// first (only its rows are ever inserted); the Conn column and the connections the model reports.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "capture/capture_model.h"
#include "capture_test_util.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

Q_DECLARE_METATYPE(framescope::app::CaptureFilter)

namespace {

constexpr size_t kRows = 200'000;
constexpr int kTimeoutMs = 120'000;

// Row i: connection 1 + i % 3, alternating directions, every 7th binary, every 50th a ping; the text says
// "needle" on every 100th row, "Straw" on the others, with the row's number.
void addRealisticFrame(CaptureStore& store, size_t i) {
    const std::string text = (i % 100 == 0 ? "needle " : "Straw ") + std::to_string(i) + " {\"seq\":1}";
    const uint8_t op = i % 50 == 0 ? opcode::kPing : (i % 7 == 0 ? opcode::kBinary : opcode::kText);
    const Direction direction = i % 2 == 0 ? Direction::Incoming : Direction::Outgoing;
    FrameBuilder b(op, text, direction, static_cast<uint32_t>(1 + i % 3));
    b.frame.timestampUs = static_cast<int64_t>(i);
    store.addFrame(b.frame);
}

void fill(CaptureStore& store, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
        addRealisticFrame(store, i);
}

// The rows the filter shows, tested here, on this thread, over the whole store.
QList<int> expectedRows(const CaptureStore& store, const CaptureFilter& filter) {
    const CaptureFilterMatcher matcher(filter);
    QList<int> rows;
    for (size_t row = 0; row < store.size(); ++row)
        if (matcher.matches(store, row)) rows << static_cast<int>(row);
    return rows;
}

QList<int> visibleStoreRows(const CaptureModel& model) {
    QList<int> rows;
    rows.reserve(model.rowCount());
    for (int row = 0; row < model.rowCount(); ++row)
        rows << static_cast<int>(model.storeRow(row));
    return rows;
}

CaptureFilter searchFilter(const QString& text, SearchMode mode) {
    CaptureFilter filter;
    filter.search = text;
    filter.searchMode = mode;
    return filter;
}

// Waits for the worker, then for the rows published after it started.
bool settle(CaptureModel& model) {
    if (!QTest::qWaitFor([&] { return !model.isFiltering(); }, kTimeoutMs)) return false;
    model.fetchPublished();
    return true;
}

}  // namespace

class TestFilterRunner : public QObject {
    Q_OBJECT

private slots:
    void workerIndexEqualsThreadResult_data();
    void workerIndexEqualsThreadResult();
    void droppingOldestRowsDuringAFilter();
    void secondFilterSupersedesFirst();
    void smallCapturesFilterAtOnce();
    void connectionColumnAndIds();
};

void TestFilterRunner::workerIndexEqualsThreadResult_data() {
    QTest::addColumn<CaptureFilter>("filter");
    QTest::newRow("text") << searchFilter(QStringLiteral("NEEDLE"), SearchMode::Text);
    QTest::newRow("regex") << searchFilter(QStringLiteral("^needle \\d*7\\d "), SearchMode::Regex);
    QTest::newRow("hex") << searchFilter(QStringLiteral("53 74 72 61 77 20 39"), SearchMode::Hex);
    CaptureFilter binary;
    binary.opcodes = CaptureFilter::opcodeBit(opcode::kBinary);
    QTest::newRow("binary opcode") << binary;
    CaptureFilter mixed = searchFilter(QStringLiteral("seq"), SearchMode::Text);
    mixed.direction = DirectionFilter::Outgoing;
    mixed.hideControl = true;
    mixed.connections = {2, 3};
    mixed.caseSensitivity = Qt::CaseSensitive;
    QTest::newRow("outgoing, no control, connections 2 and 3, 'seq'") << mixed;
    QTest::newRow("matches nothing") << searchFilter(QStringLiteral("absent"), SearchMode::Text);
}

// Frames keep arriving from another thread while the worker filters the rows published when it started.
void TestFilterRunner::workerIndexEqualsThreadResult() {
    QFETCH(CaptureFilter, filter);
    CaptureStore store;
    fill(store, 0, kRows);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy progress(&model, &CaptureModel::filterProgress);
    std::thread writer([&store] { fill(store, kRows, kRows + 20'000); });
    model.setFilter(filter);
    QVERIFY(model.isFiltering());
    QVERIFY(model.filterPercent() >= 0);
    writer.join();
    QVERIFY(settle(model));
    QCOMPARE(store.size(), kRows + 20'000);
    const QList<int> expected = expectedRows(store, filter);
    QCOMPARE(visibleStoreRows(model), expected);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), -1);
    QCOMPARE(model.filterPercent(), -1);
}

// Bounded retention renumbers the rows under a running filter: the worker stops at its next slice and the
// model filters the rows kept.
void TestFilterRunner::droppingOldestRowsDuringAFilter() {
    CaptureStore store;
    fill(store, 0, 2 * kRows);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const CaptureFilter filter =
        searchFilter(QStringLiteral("(needle|Straw) \\d+[05] \\{"), SearchMode::Regex);
    model.setFilter(filter);
    QVERIFY(QTest::qWaitFor([&] { return model.filterPercent() != 0; }, kTimeoutMs));
    const bool midway = model.isFiltering();
    QCOMPARE(store.dropOldest(kRows / 2), kRows / 2);
    model.fetchPublished();  // the model filters the rows kept (the result below says whether it did)
    fill(store, 2 * kRows, 2 * kRows + 1000);
    QVERIFY(settle(model));
    QCOMPARE(visibleStoreRows(model), expectedRows(store, filter));
    QCOMPARE(store.record(0).timestampUs, static_cast<int64_t>(kRows / 2));
    if (!midway) qWarning("the first filter ended before the drop: only the restart was exercised");
}

// Typing on: a second filter while the first runs. Every row ever inserted matches the second filter.
void TestFilterRunner::secondFilterSupersedesFirst() {
    CaptureStore store;
    fill(store, 0, kRows);
    CaptureModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const CaptureFilter first = searchFilter(QStringLiteral("Straw"), SearchMode::Text);
    const CaptureFilter second = searchFilter(QStringLiteral("needle"), SearchMode::Text);
    const CaptureFilterMatcher secondMatcher(second);
    model.setFilter(first);
    QTest::qWait(20);  // the first has found rows by now
    bool onlySecond = true;
    bool secondSet = false;
    connect(&model, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex&, int from, int to) {
        for (int row = from; row <= to && secondSet; ++row)
            onlySecond = onlySecond && secondMatcher.matches(store, model.storeRow(row));
    });
    model.setFilter(second);
    secondSet = true;
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(settle(model));
    QVERIFY(onlySecond);
    QCOMPARE(visibleStoreRows(model), expectedRows(store, second));
    QCOMPARE(model.rowCount(), static_cast<int>(kRows / 100));
}

void TestFilterRunner::smallCapturesFilterAtOnce() {
    CaptureStore store;
    fill(store, 0, CaptureModel::kSyncFilterRows);
    CaptureModel model(store);
    QSignalSpy progress(&model, &CaptureModel::filterProgress);
    const CaptureFilter filter = searchFilter(QStringLiteral("needle"), SearchMode::Text);
    model.setFilter(filter);
    QVERIFY(!model.isFiltering());
    QVERIFY(progress.isEmpty());
    QCOMPARE(visibleStoreRows(model), expectedRows(store, filter));
}

void TestFilterRunner::connectionColumnAndIds() {
    CaptureStore store;
    CaptureModel model(store);
    QSignalSpy idsChanged(&model, &CaptureModel::connectionIdsChanged);
    fill(store, 0, 4);  // connections 1, 2, 3, 1
    FrameBuilder far(opcode::kText, "late", Direction::Incoming, 42);
    store.addFrame(far.frame);
    model.fetchPublished();
    QCOMPARE(idsChanged.count(), 1);
    QCOMPARE(model.connectionIds(), (std::vector<uint32_t>{1, 2, 3, 42}));
    QCOMPARE(model.headerData(CaptureModel::ConnectionColumn, Qt::Horizontal).toString(), QString("Conn"));
    QCOMPARE(model.index(1, CaptureModel::ConnectionColumn).data().toString(), QString("#2"));
    QCOMPARE(model.index(4, CaptureModel::ConnectionColumn).data().toString(), QString("#42"));

    CaptureFilter filter;
    filter.connections = {1, 42};
    model.setFilter(filter);
    QCOMPARE(visibleStoreRows(model), (QList<int>{0, 3, 4}));

    QCOMPARE(store.dropOldest(3), size_t{3});  // connections 1 and 42 are left
    model.fetchPublished();
    QCOMPARE(model.connectionIds(), (std::vector<uint32_t>{1, 42}));
    QCOMPARE(idsChanged.count(), 2);
    QCOMPARE(visibleStoreRows(model), (QList<int>{0, 1}));
}

QTEST_GUILESS_MAIN(TestFilterRunner)
#include "tst_filter_runner.moc"
