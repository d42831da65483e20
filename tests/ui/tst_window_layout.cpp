// The window's layout on a laptop screen and a desktop one: at 1366x768 and 1920x1080 every tool's main
// buttons are inside the window and drawn whole, with no scroll area scrolled or needing to; Benchmarks is
// a top-level page whose results table shows every column at 1366x768; the connections list shows the
// window's client and the built-in server's side of the same conversation with the same bytes (the filter
// bar's combo names them with peer and state), and closing one connection from it leaves the others
// running; the inspector draws every bit of a masked header at its default width; the layout is remembered.
#include <QAbstractItemModelTester>
#include <QButtonGroup>
#include <QComboBox>
#include <QHeaderView>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "bench/bench_results_model.h"
#include "bench/benchmarks_panel.h"
#include "bench/load_run_panel.h"
#include "capture/connection_list_model.h"
#include "load/load_types.h"
#include "net/connection.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "widgets/header_diagram_widget.h"
#include "window/connection_bar.h"
#include "window/connections_panel.h"
#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;
using namespace framescope::ui::test;
using app::ConnectionListModel;

namespace {

constexpr int kTimeoutMs = 10000;

QPushButton* buttonNamed(QWidget* parent, const QString& text) {
    for (QPushButton* button : parent->findChildren<QPushButton*>()) {
        if (button->text() == text) return button;
    }
    return nullptr;
}

// Shows `widget` in every tab and stack between it and the window.
void bringToFront(QWidget* widget) {
    for (QWidget* child = widget; child->parentWidget() != nullptr; child = child->parentWidget()) {
        if (auto* stack = qobject_cast<QStackedWidget*>(child->parentWidget()))
            stack->setCurrentWidget(child);
    }
}

// The button is shown, lies inside the window, is drawn whole (no scroll area's viewport nor sibling clips
// it), and no scroll area around it scrolls or could.
void verifyInView(QWidget& window, QWidget* button, const char* what) {
    QVERIFY2(button != nullptr, what);
    bringToFront(button);
    QTest::qWait(
        100);  // layout requests cascade over several event-loop turns (the user sees the settled state)
    QVERIFY2(button->isVisible(), what);
    const QRect inWindow(button->mapTo(&window, QPoint(0, 0)), button->size());
    QVERIFY2(window.rect().contains(inWindow),
             qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 is outside the %6x%7 window")
                            .arg(what)
                            .arg(inWindow.x())
                            .arg(inWindow.y())
                            .arg(inWindow.width())
                            .arg(inWindow.height())
                            .arg(window.width())
                            .arg(window.height())));
    const QRect visible = button->visibleRegion().boundingRect();
    QVERIFY2(button->visibleRegion() == QRegion(button->rect()),
             qPrintable(QStringLiteral("%1 is drawn only at %2,%3 %4x%5 of its %6x%7")
                            .arg(what)
                            .arg(visible.x())
                            .arg(visible.y())
                            .arg(visible.width())
                            .arg(visible.height())
                            .arg(button->width())
                            .arg(button->height())));
    for (QWidget* up = button->parentWidget(); up != nullptr; up = up->parentWidget()) {
        auto* area = qobject_cast<QScrollArea*>(up);
        if (area == nullptr) continue;
        QVERIFY2(area->verticalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("%1: its pane scrolls %2 px down")
                                .arg(what)
                                .arg(area->verticalScrollBar()->maximum())));
        QVERIFY2(area->horizontalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("%1: its pane scrolls %2 px across")
                                .arg(what)
                                .arg(area->horizontalScrollBar()->maximum())));
    }
}

void connectWindow(MainWindow& window) {
    QTest::mouseClick(window.connectionBar()->connectButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), kTimeoutMs);
}

int rowOfKind(const ConnectionListModel& model, ConnectionListModel::Kind kind, int from = 0) {
    for (int row = from; row < model.rowCount(); ++row) {
        if (model.entry(row).kind == kind) return row;
    }
    return -1;
}

}  // namespace

class TstWindowLayout : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        isolateSettings(settingsDir_);
    }
    void init() { QSettings().clear(); }

    void mainButtonsInViewWithoutScrolling_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }
    void mainButtonsInViewWithoutScrolling() {
        QFETCH(QSize, size);
        MainWindow window;
        window.resize(size);
        window.applyDefaultLayout();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), size);
        verifyInView(window, window.connectionBar()->connectButton(), "Connect");
        window.toolTabs()->setCurrentIndex(MainWindow::ComposerTab);
        verifyInView(window, buttonNamed(window.composer(), "Send"), "composer Send");
        verifyInView(window, buttonNamed(window.composer(), "Ping"), "composer Ping");
        verifyInView(window, buttonNamed(window.composer(), "Close"), "composer Close");
        window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
        verifyInView(window, window.crafter()->sendButton(), "crafter Send Frames");
        window.setPage(MainWindow::BenchmarksPage);
        auto* bench = window.benchmarksPage()->findChild<BenchmarksPanel*>();
        QVERIFY(bench);
        verifyInView(window, buttonNamed(bench, "Start"), "Benchmarks Start");
        verifyInView(window, buttonNamed(bench, "Cancel"), "Benchmarks Cancel");
        verifyInView(window, buttonNamed(bench, "Compare with saved run…"), "Benchmarks Compare");
        verifyInView(window, buttonNamed(bench, "Clear comparison"), "Benchmarks Clear comparison");
        auto* load = window.benchmarksPage()->findChild<LoadRunPanel*>();
        QVERIFY(load);
        verifyInView(window, buttonNamed(load, "Start"), "Load run Start");
        verifyInView(window, buttonNamed(load, "Save run…"), "Load run Save run");
        verifyInView(window, buttonNamed(load, "Compare with saved run…"), "Load run Compare");
        verifyInView(window, buttonNamed(load, "Clear comparison"), "Load run Clear comparison");
        // The connections list is shown from 1600 px across, folded away below.
        QCOMPARE(!window.connectionsPanel()->isHidden(),
                 size.width() >= MainWindow::kConnectionsListMinWindowWidth);
        QCOMPARE(window.connectionsAction()->isChecked(), !window.connectionsPanel()->isHidden());
    }

    // Every bit of a masked client frame's 6-byte header is drawn inside the inspector's visible area at the
    // default layout of a 1366x768 window (two rows of 16 bits where 32 do not fit).
    void inspectorDrawsEveryHeaderBitAt1366() {
        MainWindow window;
        window.resize(1366, 768);
        window.applyDefaultLayout();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        connectWindow(window);
        window.composer()->setMessageText("bits");
        window.composer()->send();
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, app::Direction::Outgoing, "bits")),
                                 kTimeoutMs);
        window.controller()->model()->fetchPublished();
        window.selectStoreRow(*findRow(store, frameWith(opcode::kText, app::Direction::Outgoing, "bits")));
        QTRY_VERIFY(window.inspector()->hasFrame());
        QApplication::processEvents();
        HeaderDiagramWidget* diagram = window.inspector()->findChild<HeaderDiagramWidget*>();
        QVERIFY(diagram);
        QVERIFY(diagram->isVisible());
        int bits = 0;
        const QRect shown = diagram->visibleRegion().boundingRect();
        for (const DiagramField& field : diagram->fields()) {
            for (const QRect& rect : field.rects) {
                QVERIFY2(shown.contains(rect), qPrintable(field.name));
            }
            bits += field.bitWidth;
        }
        QCOMPARE(bits, 48);  // FIN RSV1-3 opcode MASK len (16) + masking key (32)
    }

    void benchmarksIsATopLevelPage() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.pages()->count(), 2);
        QWidget* page = window.pages()->widget(MainWindow::BenchmarksPage);
        QVERIFY(page->isAncestorOf(window.benchmarksPage()));
        QVERIFY(!window.toolTabs()->isAncestorOf(window.benchmarksPage()));
        QCOMPARE(window.toolTabs()->count(), 4);  // Composer, Frame crafter, Compose as…, Intercept
        for (int tab = 0; tab < window.toolTabs()->count(); ++tab)
            QVERIFY(!window.toolTabs()->tabText(tab).contains("Benchmark"));
        QCOMPARE(window.page(), MainWindow::CapturePage);
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_2));
        QCOMPARE(window.page(), MainWindow::BenchmarksPage);
        QVERIFY(window.benchmarksPage()->isVisible());
        QVERIFY(!window.toolTabs()->isVisible());
        QVERIFY(window.pageButtons()->button(MainWindow::BenchmarksPage)->isChecked());
        QTest::mouseClick(window.pageButtons()->button(MainWindow::CapturePage), Qt::LeftButton);
        QCOMPARE(window.page(), MainWindow::CapturePage);
        QTest::keySequence(&window, QKeySequence(Qt::ALT | Qt::Key_2));
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
    }

    // At 1366x768 the Benchmarks page's table shows every column without scrolling across, with a saved
    // run's two columns too; the row names that had to be cut short are whole in their tooltips.
    void benchmarkTableFitsAt1366() {
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setPage(MainWindow::BenchmarksPage);
        auto* panel = window.findChild<BenchmarksPanel*>();
        QVERIFY(panel);
        QSignalSpy finished(panel, &BenchmarksPanel::runFinished);
        panel->setQuick(true);
        panel->setFilter(
            "^(mask/(in-place|copy-unmask)|frame/(read|write)-masked)/");  // long names, wide figures
        panel->start();
        QVERIFY(finished.wait(120000));
        QTableView* table = panel->table();
        QHeaderView* header = table->horizontalHeader();
        QVERIFY(header->isSectionHidden(BenchResultsModel::SavedRatio));  // no saved run yet
        QTRY_COMPARE(table->horizontalScrollBar()->maximum(), 0);
        QTemporaryDir dir;
        QString error;
        QVERIFY2(panel->exportJson(dir.filePath("saved.json"), &error), qPrintable(error));
        QVERIFY2(panel->importComparison(dir.filePath("saved.json"), &error), qPrintable(error));
        QVERIFY(table->model()->rowCount() > 10);
        QTest::qWait(200);  // the columns fit after the model's signals and the viewport's resizes settle
        QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
        int shown = 0;
        for (int column = 0; column < header->count(); ++column) {
            if (header->isSectionHidden(column)) continue;
            ++shown;
            QVERIFY2(header->sectionSize(column) >=
                         header->fontMetrics().horizontalAdvance(
                             table->model()->headerData(column, Qt::Horizontal).toString()),
                     qPrintable(QString("column %1 is narrower than its title").arg(column)));
        }
        QCOMPARE(shown, BenchResultsModel::ColumnCount);
        const QModelIndex name = table->model()->index(0, BenchResultsModel::Name);
        // The Row column shows suite/case (Size shows the label); the tooltip gives the whole row name.
        const QString size = table->model()->index(0, BenchResultsModel::Size).data().toString();
        QCOMPARE(name.data(Qt::ToolTipRole).toString(), name.data().toString() + "/" + size);
    }

    // A load run's default target is an echo server of its own that captures nothing: the run's messages
    // never reach the capture (the built-in server captures its side of every conversation).
    void loadRunsDoNotFloodTheCapture() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setPage(MainWindow::BenchmarksPage);
        auto* load = window.benchmarksPage()->findChild<LoadRunPanel*>();
        app::LoadOptions options = load->options();
        const QUrl target = options.connection.url;
        QCOMPARE(target.scheme(), QString("ws"));
        QVERIFY(target.port() > 0);
        QVERIFY(target != window.controller()->serverUrl());
        options.connections = 2;
        options.messageSize = 64;
        options.durationSec = 1;
        load->setOptions(options);
        QSignalSpy finished(load, &LoadRunPanel::runFinished);
        load->start();
        QVERIFY(finished.wait(30000));
        const auto summary = finished.first().at(0).value<app::LoadSummary>();
        QVERIFY(summary.received > 0);
        window.controller()->model()->fetchPublished();
        QCOMPARE(window.controller()->store().size(), size_t(0));
    }

    // One conversation with the built-in server is two connections in the capture: the window's client and
    // the server's side, under an id that cannot collide, with the same frames and bytes crossed over.
    void connectionsListShowsBothSidesOfAConversation() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setConnectionsListShown(true);
        ConnectionListModel& model = *window.connectionsModel();
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollInterval(20);
        connectWindow(window);
        for (const char* text : {"one", "two", "three"}) {
            window.composer()->setMessageText(text);
            window.composer()->send();
        }
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, app::Direction::Incoming, "three")),
                                 kTimeoutMs);
        model.refresh();
        QCOMPARE(model.rowCount(), 2);
        const int client = rowOfKind(model, ConnectionListModel::Kind::Client);
        const int server = rowOfKind(model, ConnectionListModel::Kind::ServerSide);
        QVERIFY(client >= 0 && server >= 0);
        QCOMPARE(model.entry(client).id, window.controller()->connectionId());
        QVERIFY(model.entry(server).id >= SessionController::kServerConnectionBase);
        const QUrl url = window.controller()->serverUrl();
        QTRY_COMPARE(model.entry(client).peer, QString("%1:%2").arg(url.host()).arg(url.port()));
        QTRY_VERIFY(!model.entry(server).peer.isEmpty());
        QCOMPARE(model.entry(client).state, QString("Open"));
        QTRY_COMPARE(model.entry(server).state, QString("Open"));
        const auto out = size_t(app::Direction::Outgoing);
        const auto in = size_t(app::Direction::Incoming);
        QTRY_COMPARE(model.entry(server).frames[out], model.entry(client).frames[in]);
        QVERIFY(model.entry(client).frames[out] >= 3);
        QCOMPARE(model.entry(server).frames[in], model.entry(client).frames[out]);
        QCOMPARE(model.entry(server).bytes[in], model.entry(client).bytes[out]);  // the same wire bytes
        QCOMPARE(model.entry(server).bytes[out], model.entry(client).bytes[in]);
        QVERIFY(model.data(model.index(client)).toString().contains("#1 client · Open"));
        // The filter bar's connection combo names each connection by id, peer and state.
        QComboBox* combo = window.logView()->filterBar()->connectionCombo();
        const int clientItem = combo->findData(model.entry(client).id);
        QVERIFY(clientItem > 0);
        QTRY_COMPARE(combo->itemText(clientItem),
                     QString("#%1 %2 · Open").arg(model.entry(client).id).arg(model.entry(client).peer));
        QVERIFY(combo->itemData(clientItem, Qt::ToolTipRole).toString().contains("client connection"));

        QSignalSpy chosen(window.connectionsPanel(), &ConnectionsPanel::connectionChosen);
        QListView* list = window.connectionsPanel()->list();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualRect(model.index(server)).center());
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.last().at(0).value<quint32>(), model.entry(server).id);
        // The log shows that connection's rows alone, then every row again after "Show all".
        app::CaptureModel& log = *window.controller()->model();
        const QString serverLabel = QString("#%1").arg(model.entry(server).id);
        QTRY_VERIFY(log.rowCount() > 0 && log.rowCount() < int(store.size()));
        for (int row = 0; row < log.rowCount(); ++row)
            QCOMPARE(log.index(row, app::CaptureModel::ConnectionColumn).data().toString(), serverLabel);
        QTest::mouseClick(window.connectionsPanel()->showAllButton(), Qt::LeftButton);
        QCOMPARE(chosen.last().at(0).value<quint32>(), 0u);
        QTRY_COMPARE(log.rowCount(), int(store.size()));
    }

    // A second client of the built-in server (a real connection from outside the window) is listed; closing
    // it from the list closes it alone: the window's own connection stays open.
    void closingOneConnectionLeavesTheOthers() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setConnectionsListShown(true);
        ConnectionListModel& model = *window.connectionsModel();
        model.setPollInterval(20);
        connectWindow(window);
        app::ConnectionOptions options;
        options.url = window.controller()->serverUrl();
        app::Connection other(options, nullptr, 77);
        other.open();
        QTRY_COMPARE_WITH_TIMEOUT(other.state(), app::ConnectionState::Open, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(rowOfKind(model, ConnectionListModel::Kind::ServerSide,
                                            rowOfKind(model, ConnectionListModel::Kind::ServerSide) + 1) >= 0,
                                  true, kTimeoutMs);
        const int first = rowOfKind(model, ConnectionListModel::Kind::ServerSide);
        const int second = rowOfKind(model, ConnectionListModel::Kind::ServerSide, first + 1);
        QTRY_COMPARE(model.entry(second).state, QString("Open"));
        const quint32 otherId = model.entry(second).id;

        ConnectionsPanel* panel = window.connectionsPanel();
        QVERIFY(panel->selectConnection(otherId));
        QVERIFY(panel->closeButton()->isEnabled());
        QTest::mouseClick(panel->closeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(other.state() == app::ConnectionState::Closed, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(model.entry(model.rowOfConnection(otherId)).state, QString("Closed"),
                                  kTimeoutMs);
        QVERIFY(!panel->closeButton()->isEnabled());
        QVERIFY(window.controller()->isOpen());
        QCOMPARE(model.entry(first).state, QString("Open"));
        window.composer()->setMessageText("still here");
        window.composer()->send();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(window.controller()->store(),
                                         frameWith(opcode::kText, app::Direction::Incoming, "still here")),
                                 kTimeoutMs);
    }

    void layoutIsRemembered() {
        QList<int> centre;
        {
            MainWindow window;
            window.resize(1366, 768);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setConnectionsListShown(true);
            window.leftSplitter()->setSizes({300, 380});
            centre = window.leftSplitter()->sizes();
            window.toolTabs()->setCurrentIndex(MainWindow::ProtocolComposerTab);
            window.setPage(MainWindow::BenchmarksPage);
            window.close();  // saves
        }
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1366, 768));
        QCOMPARE(window.page(), MainWindow::BenchmarksPage);
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::ProtocolComposerTab));
        QVERIFY(!window.connectionsPanel()->isHidden());
        QVERIFY(window.connectionsAction()->isChecked());
        window.setPage(MainWindow::CapturePage);
        QApplication::processEvents();
        QCOMPARE(window.leftSplitter()->sizes(), centre);
    }

private:
    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstWindowLayout)
#include "tst_window_layout.moc"
