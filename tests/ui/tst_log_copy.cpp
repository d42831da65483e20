// The log with several rows selected: copy as hex, text and JSON Lines gives the exact bytes on the
// clipboard, Ctrl+C repeats the format chosen last; the filter bar's connection combo and its
// selectConnection() slot; "Filtering… N %" while a filter runs on the worker; Open in composer.
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "../app/capture_test_util.h"
#include "capture/capture_export.h"
#include "capture/capture_model.h"
#include "widgets/composer.h"
#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/log_copy.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;
using app::Direction;
using app::RowCopyFormat;
using app::test::FrameBuilder;

namespace {

// Rows: 0 text "hello" (out, conn 1), 1 binary de ad be ef (in, conn 2), 2 a note (conn 1),
// 3 text "wörld" (in, conn 2), 4 a compressed message "inflated text" whose wire payload is 01 02 (conn 3).
void fillSample(app::CaptureStore& store) {
    FrameBuilder hello(opcode::kText, "hello", Direction::Outgoing, 1);
    store.addFrame(hello.frame);
    FrameBuilder binary(opcode::kBinary, "\xde\xad\xbe\xef", Direction::Incoming, 2);
    store.addFrame(binary.frame);
    store.addNote({0, 1, Direction::Incoming, app::NoteKind::Status, "Connected."});
    FrameBuilder world(opcode::kText, "w\xc3\xb6rld", Direction::Incoming, 2);
    store.addFrame(world.frame);
    FrameBuilder packed(opcode::kText, "\x01\x02", Direction::Incoming, 3);
    packed.frame.header.rsv1 = true;
    packed.setDeclaredLength(2);
    packed.setInflated("inflated text");
    store.addFrame(packed.frame);
}

void selectRows(QTableView* table, std::initializer_list<int> rows) {
    QItemSelectionModel* selection = table->selectionModel();
    selection->clearSelection();
    for (int row : rows)
        selection->select(table->model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

QByteArray clipboardBytes() {
    return QGuiApplication::clipboard()->text().toUtf8();
}

}  // namespace

class TestLogCopy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::isolateSettings(settingsDir_); }
    void copiesSelectedRowsExactly();
    void ctrlCRepeatsTheLastFormat();
    void connectionComboFiltersTheLog();
    void progressShowsWhileFiltering();
    void openInComposer();

private:
    QTemporaryDir settingsDir_;
};

void TestLogCopy::copiesSelectedRowsExactly() {
    app::CaptureStore store;
    fillSample(store);
    app::CaptureModel model(store);
    FrameLogView log(&model);
    model.fetchPublished();
    selectRows(log.table(), {4, 1, 3});
    LogCopyActions* copy = log.copyActions();
    QCOMPARE(copy->selectedStoreRows(), (std::vector<size_t>{1, 3, 4}));

    copy->actionFor(RowCopyFormat::Hex)->trigger();
    QCOMPARE(clipboardBytes(), QByteArray("de ad be ef\n77 c3 b6 72 6c 64\n01 02\n"));

    copy->actionFor(RowCopyFormat::Text)->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QString::fromUtf8("\xde\xad\xbe\xef\nw\xc3\xb6rld\ninflated text\n"));

    selectRows(log.table(), {0, 2});
    copy->actionFor(RowCopyFormat::JsonLines)->trigger();
    const QList<QByteArray> lines = clipboardBytes().split('\n');
    QCOMPARE(lines.size(), 3);  // two objects, each ending with a newline
    QVERIFY(lines[2].isEmpty());
    QCOMPARE(lines[0], app::rowToJson(store, 0));
    QCOMPARE(lines[1], app::rowToJson(store, 2));
    const QJsonObject frame = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(frame.value("type").toString(), QString("frame"));
    QCOMPARE(frame.value("dir").toString(), QString("out"));
    QCOMPARE(frame.value("conn").toInt(), 1);
    QCOMPARE(frame.value("opcode_name").toString(), QString("text"));
    QCOMPARE(frame.value("payload").toString(), QString("hello"));
    QCOMPARE(frame.value("key").toString(), QString("11223344"));
    const QJsonObject note = QJsonDocument::fromJson(lines[1]).object();
    QVERIFY2(QJsonDocument::fromJson(lines[1]).isObject(), lines[1].constData());
    QVERIFY2(lines[1].contains("Connected."), lines[1].constData());
    QVERIFY(note.value("type").toString() != QString("frame"));
}

void TestLogCopy::ctrlCRepeatsTheLastFormat() {
    app::CaptureStore store;
    fillSample(store);
    app::CaptureModel model(store);
    FrameLogView log(&model);
    log.resize(900, 400);
    log.show();
    QVERIFY(QTest::qWaitForWindowExposed(&log));
    model.fetchPublished();
    selectRows(log.table(), {1});
    log.table()->setFocus();
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(log.table(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8("\xde\xad\xbe\xef\n"));  // text first

    log.copyActions()->actionFor(RowCopyFormat::Hex)->trigger();
    QCOMPARE(log.copyActions()->lastFormat(), RowCopyFormat::Hex);
    QVERIFY(log.copyActions()->copyAction()->text().contains(QStringLiteral("hex")));
    selectRows(log.table(), {0, 1});
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(log.table(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(clipboardBytes(), QByteArray("68 65 6c 6c 6f\nde ad be ef\n"));
}

void TestLogCopy::connectionComboFiltersTheLog() {
    app::CaptureStore store;
    fillSample(store);
    app::CaptureModel model(store);
    FrameLogView log(&model);
    model.fetchPublished();
    QComboBox* combo = log.filterBar()->connectionCombo();
    QCOMPARE(combo->count(), 4);
    QCOMPARE(combo->itemText(0), QStringLiteral("All connections"));
    QCOMPARE(combo->itemText(2), QStringLiteral("Connection #2"));

    log.filterBar()->selectConnection(2);
    QCOMPARE(model.filter().connections, (std::vector<uint32_t>{2}));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, app::CaptureModel::ConnectionColumn).data().toString(), QStringLiteral("#2"));
    QCOMPARE(model.storeRow(1), size_t{3});

    // A connection the log has not seen yet (the connections panel may know it first) is added.
    log.filterBar()->selectConnection(7);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(combo->currentText(), QStringLiteral("Connection #7"));
    FrameBuilder later(opcode::kText, "for seven", Direction::Incoming, 7);
    store.addFrame(later.frame);
    model.fetchPublished();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(combo->currentText(), QStringLiteral("Connection #7"));  // kept while the list is refreshed
    QCOMPARE(combo->count(), 5);

    log.filterBar()->showAllConnections();
    QCOMPARE(model.rowCount(), 6);
    QVERIFY(model.filter().connections.empty());
}

void TestLogCopy::progressShowsWhileFiltering() {
    app::CaptureStore store;
    for (int i = 0; i < 300'000; ++i) {
        FrameBuilder b(opcode::kText, i % 10 == 0 ? "find me, please" : "not this one, sorry",
                       Direction::Incoming, 1);
        store.addFrame(b.frame);
    }
    app::CaptureModel model(store);
    FrameLogView log(&model);
    model.fetchPublished();
    QLabel* progress = log.filterBar()->progressLabel();
    QVERIFY(progress->isHidden());
    log.filterBar()->searchEdit()->setText(QStringLiteral("f.nd me"));
    log.filterBar()->searchModeCombo()->setCurrentIndex(1);  // Regex, applied at once
    QVERIFY(model.isFiltering());
    QVERIFY(!progress->isHidden());
    QVERIFY2(progress->text().startsWith(QStringLiteral("Filtering… ")), qPrintable(progress->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isFiltering(), 60'000);
    QVERIFY(progress->isHidden());
    QCOMPARE(model.rowCount(), 30'000);
}

void TestLogCopy::openInComposer() {
    MainWindow window;
    app::CaptureStore& store = window.controller()->store();
    window.clearCapture();
    fillSample(store);
    FrameBuilder first(opcode::kText, "part one, ", Direction::Incoming, 4);
    first.frame.header.fin = false;
    first.frame.endsMessage = false;
    first.frame.messageIndex = 9;
    store.addFrame(first.frame);  // row 5
    FrameBuilder second(opcode::kContinuation, "part two", Direction::Incoming, 4);
    second.frame.messageIndex = 9;
    second.frame.messageWireSize = 18;
    store.addFrame(second.frame);  // row 6
    window.controller()->model()->fetchPublished();

    QVERIFY(window.openInComposer(5));  // the whole message, from its first frame
    QCOMPARE(window.composer()->mode(), Composer::Mode::Text);
    QCOMPARE(window.composer()->messageText(), QStringLiteral("part one, part two"));
    QVERIFY(window.openInComposer(1));
    QCOMPARE(window.composer()->mode(), Composer::Mode::Hex);
    QCOMPARE(window.composer()->messageText(), QStringLiteral("de ad be ef"));
    QVERIFY(window.composer()->isValid());
    QVERIFY(window.openInComposer(4));
    QCOMPARE(window.composer()->messageText(), QStringLiteral("inflated text"));
    QVERIFY(!window.openInComposer(2));  // a note
    QVERIFY(!window.openInComposer(99));
}

QTEST_MAIN(TestLogCopy)
#include "tst_log_copy.moc"
