#include "window/screenshot_tour.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <functional>

#include "capture/connection_list_model.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "window/connection_bar.h"
#include "window/frame_log_view.h"
#include "window/intercept_tour.h"
#include "window/main_window.h"
#include "window/session_controller.h"

#include <QChartView>
#include <QStackedWidget>

#include "bench/benchmarks_panel.h"
#include "bench/load_run_panel.h"

namespace framescope::ui {

namespace {

void settle(int ms) {
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
}

bool save(MainWindow& window, const QDir& dir, const QString& name);
bool saveLoadComparison(LoadRunPanel* load, const QDir& dir);

// Brings `widget` to the front of every tab or stack that holds it, so that it is laid out for a grab.
void bringToFront(QWidget* widget) {
    for (QWidget* child = widget; child->parentWidget() != nullptr; child = child->parentWidget()) {
        auto* stack = qobject_cast<QStackedWidget*>(child->parentWidget());
        if (stack == nullptr) continue;
        if (auto* tabs = qobject_cast<QTabWidget*>(stack->parentWidget())) {
            tabs->setCurrentWidget(child);  // moves the tab bar too
        } else {
            stack->setCurrentWidget(child);
        }
    }
}

bool waitUntil(const std::function<bool()>& done, int ms) {
    const QDeadlineTimer deadline(ms);
    while (!done() && !deadline.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(400);  // let the charts lay themselves out before the grab
    QApplication::processEvents();
    return done();
}

bool saveChart(QWidget* view, const QDir& dir, const QString& name) {
    bringToFront(view);
    QApplication::processEvents();
    QThread::msleep(200);
    QApplication::processEvents();
    const QString path = dir.filePath(name);
    if (view->grab().save(path)) return true;
    std::fprintf(stderr, "could not save %s\n", qPrintable(path));
    return false;
}

// The Benchmarks tab after a quick run of the masking, frame and UTF-8 rows, each of its charts, then a
// short load run against the built-in server with its live charts and histogram.
bool saveBenchmarksTab(MainWindow& window, const QDir& dir) {
    auto* panel = window.findChild<BenchmarksPanel*>();
    auto* load = window.findChild<LoadRunPanel*>();
    if (panel == nullptr || load == nullptr) return false;
    window.setPage(MainWindow::BenchmarksPage);
    bool finished = false;
    QObject::connect(panel, &BenchmarksPanel::runFinished, panel, [&finished] { finished = true; });
    panel->setQuick(true);
    panel->setFilter(QStringLiteral("^(mask|frame|utf8/ascii|e2e/serve)/"));
    panel->start();
    bool ok = waitUntil([&] { return finished; }, 180000) &&
              save(window, dir, QStringLiteral("window-benchmarks.png"));
    ok = saveChart(panel->allocationsView(), dir, QStringLiteral("window-bench-allocations.png")) && ok;

    app::LoadOptions options = load->options();
    options.connections = 16;
    options.messageSize = 1024;
    options.durationSec = 4;
    load->setOptions(options);
    bool loaded = false;
    QObject::connect(load, &LoadRunPanel::runFinished, load, [&loaded] { loaded = true; });
    bringToFront(load);
    load->start();
    if (!waitUntil([&] { return loaded; }, 60000)) {
        std::fprintf(stderr, "the load run did not finish (running: %d)\n", int(load->isRunning()));
        for (QLabel* label : load->findChildren<QLabel*>())
            std::fprintf(stderr, "  %s\n", qPrintable(label->text()));
        return false;
    }
    bringToFront(load->throughputView());  // the live charts, not the histogram the panel turned to
    QApplication::processEvents();
    ok = save(window, dir, QStringLiteral("window-load.png")) && ok;
    ok = saveChart(load->histogramView(), dir, QStringLiteral("window-load-histogram.png")) && ok;
    return saveLoadComparison(load, dir) && ok;
}

// The run saved (as Save run… does) and compared with a heavier one: the histogram's bars side by side.
bool saveLoadComparison(LoadRunPanel* load, const QDir& dir) {
    QTemporaryDir runs;
    const QString first = runs.filePath(QStringLiteral("first-run.jsonl"));
    QString error;
    if (!load->saveRun(first, &error) || !load->compareWithSaved(first, &error)) {
        std::fprintf(stderr, "framescope: %s\n", qPrintable(error));
        return false;
    }
    app::LoadOptions options = load->options();
    options.connections = 64;
    options.durationSec = 3;
    load->setOptions(options);
    bool loaded = false;
    QObject::connect(load, &LoadRunPanel::runFinished, load, [&loaded] { loaded = true; });
    load->start();
    const bool ok =
        waitUntil([&] { return loaded; }, 60000) &&
        saveChart(load->histogramView(), dir, QStringLiteral("window-load-compare-histogram.png"));
    load->clearComparison();
    return ok;
}

bool save(MainWindow& window, const QDir& dir, const QString& name) {
    settle(150);
    const QString path = dir.filePath(name);
    if (window.grab().save(path)) return true;
    std::fprintf(stderr, "framescope: cannot write %s\n", qPrintable(path));
    return false;
}

CrafterState fragmentedState() {
    CrafterState state;
    state.payloadText = QStringLiteral("Hello, fragmented world!");
    state.fragments = 3;
    state.pingBetween = true;
    state.pingPayload = QStringLiteral("hb");
    return state;
}

CrafterState reservedOpcodeState() {
    CrafterState state;
    state.opcode = 0x3;  // RFC 6455 §5.2: 0x3-0x7 are reserved for further non-control frames
    state.rsv2 = true;
    state.randomKey = false;
    state.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    state.payloadText = QStringLiteral("not a real opcode");
    return state;
}

void sendConversation(MainWindow& window) {
    Composer* composer = window.composer();
    composer->setMode(Composer::Mode::Text);
    composer->setMessageText(QStringLiteral("Hello, FrameScope!"));
    composer->send();
    composer->setMode(Composer::Mode::Json);
    composer->setMessageText(QStringLiteral(
        R"({"op":"subscribe","channel":"trades","symbols":["BTC-USD","ETH-USD"],"depth":10})"));
    composer->send();
    composer->setMode(Composer::Mode::Hex);
    composer->setMessageText(QStringLiteral("89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52"));
    composer->send();
    window.crafter()->setState(fragmentedState());
    window.crafter()->send();
    composer->sendPing();
    settle(200);
}

// Selects the last frame of message `messageIndex` in `direction`.
void selectFrame(MainWindow& window, app::Direction direction, uint64_t messageIndex) {
    const app::CaptureStore& store = window.controller()->store();
    for (size_t row = 0; row < store.size(); ++row) {
        const auto& record = store.record(row);
        if (!record.isNote() && record.direction == direction && record.messageIndex == messageIndex &&
            record.endsMessage()) {
            window.selectStoreRow(row);
            return;
        }
    }
}

// The window at one screen size with its default layout: the capture view (a live connection to the
// built-in server, so the connections list shows both sides), the crafter, and the Benchmarks page.
bool saveAtSize(MainWindow& window, const QDir& dir, const QSize& size) {
    const QString prefix = QStringLiteral("window-%1-").arg(size.width());
    window.resize(size);
    settle(100);
    window.applyDefaultLayout();
    window.setPage(MainWindow::CapturePage);
    window.toolTabs()->setCurrentIndex(MainWindow::ComposerTab);
    selectFrame(window, app::Direction::Outgoing, 1);
    window.logView()->resumeAutoscroll();
    bool ok = save(window, dir, prefix + QStringLiteral("capture.png"));
    window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
    window.crafter()->setState(fragmentedState());
    ok = save(window, dir, prefix + QStringLiteral("crafter.png")) && ok;
    window.setPage(MainWindow::BenchmarksPage);
    bringToFront(window.findChild<BenchmarksPanel*>()->throughputView());
    ok = save(window, dir, prefix + QStringLiteral("benchmarks.png")) && ok;
    window.setPage(MainWindow::CapturePage);
    return ok;
}

bool openLiveConversation(MainWindow& window) {
    window.connectToUrl();
    if (!waitFor([&] { return window.controller()->isOpen(); }, 10000)) return false;
    Composer* composer = window.composer();
    composer->setMode(Composer::Mode::Text);
    composer->setMessageText(QStringLiteral("Hello again, FrameScope!"));
    composer->send();
    composer->setMode(Composer::Mode::Json);
    composer->setMessageText(QStringLiteral(R"({"op":"ping","seq":2})"));
    composer->send();
    settle(300);
    window.controller()->model()->fetchPublished();
    window.connectionsModel()->refresh();
    return true;
}

}  // namespace

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

int runScreenshotTour(MainWindow& window, const QString& directory) {
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "framescope: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    window.resize(1440, 900);
    window.applyDefaultLayout();
    window.connectToUrl();
    if (!waitFor([&] { return window.controller()->isOpen(); }, 10000)) {
        std::fprintf(stderr, "framescope: the connection to the built-in server did not open\n");
        return 1;
    }
    sendConversation(window);
    window.crafter()->setState(reservedOpcodeState());
    window.crafter()->send();
    waitFor([&] { return !window.controller()->isActive(); }, 5000);
    window.controller()->model()->fetchPublished();
    window.logView()->resumeAutoscroll();
    window.toolTabs()->setCurrentIndex(MainWindow::ComposerTab);
    // The log, with the echo of the fragmented message (one compressed frame) in the inspector.
    selectFrame(window, app::Direction::Incoming, 3);
    window.logView()->resumeAutoscroll();
    bool ok = save(window, dir, QStringLiteral("window-log.png"));

    // The inspector: the client's masked JSON message (its header drawn bit by bit).
    window.mainSplitter()->setSizes({0, 640, 800});
    selectFrame(window, app::Direction::Outgoing, 1);
    window.inspector()->payloadTabs()->setCurrentIndex(FrameInspector::JsonTab);
    ok = save(window, dir, QStringLiteral("window-inspector.png")) && ok;
    window.inspector()->payloadTabs()->setCurrentIndex(0);

    window.applyDefaultLayout();
    window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
    ok = save(window, dir, QStringLiteral("window-crafter.png")) && ok;
    ok = saveBenchmarksTab(window, dir) && ok;
    if (!openLiveConversation(window)) {
        std::fprintf(stderr, "framescope: the second connection did not open\n");
        return 1;
    }
    ok = saveAtSize(window, dir, QSize(1366, 768)) && ok;
    ok = saveAtSize(window, dir, QSize(1920, 1080)) && ok;
    window.disconnectFromPeer();
    ok = runInterceptTour(window, directory) == 0 && ok;
    return ok ? 0 : 1;
}

}  // namespace framescope::ui
