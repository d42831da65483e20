// The browser screenshots. See browser_tour.h.
#include "window/browser_tour.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

#include <cstdio>

#include "capture/capture_model.h"
#include "capture/connection_list_model.h"
#include "window/connection_bar.h"
#include "window/frame_log_view.h"
#include "window/intercept_panel.h"
#include "window/intercept_tour.h"
#include "window/main_window.h"
#include "window/screenshot_tour.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

constexpr int kWaitMs = 30000;

QStringList headlessArgs(const QTemporaryDir& profile) {
    return {QStringLiteral("--headless"),
            QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"),
            QStringLiteral("--no-first-run"),
            QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"),
            QStringLiteral("--hide-scrollbars"),
            QStringLiteral("--user-data-dir=") + profile.path()};
}

// The demo page on the built-in server, its WebSocket pointed at the window's proxy.
QString demoPageUrl(MainWindow& window) {
    return QStringLiteral("http://127.0.0.1:%1/?ws=%2")
        .arg(window.controller()->serverUrl().port())
        .arg(window.controller()->proxy()->url().toString());
}

// The last row of the store that matches `match`, from the end; false when none.
template <typename Match>
bool selectLastRow(MainWindow& window, Match match) {
    const app::CaptureStore& store = window.controller()->store();
    for (size_t row = store.size(); row-- > 0;) {
        if (!match(store.record(row))) continue;
        window.selectStoreRow(row);
        return true;
    }
    return false;
}

bool pageClosed(MainWindow& window) {
    const app::CaptureStore& store = window.controller()->store();
    for (size_t row = 0; row < store.size(); ++row) {
        const app::CaptureRecord& r = store.record(row);
        if (!r.isNote() && r.leg == app::Leg::Client && r.direction == app::Direction::Incoming &&
            r.opcode == opcode::kClose)
            return true;
    }
    return false;
}

// The proxy from the bar toward the built-in server, a breakpoint on the page's order, Chromium on the page.
bool holdTheBrowsersOrder(MainWindow& window, QProcess& browser, const QTemporaryDir& profile) {
    InterceptPanel* panel = window.interceptPanel();
    if (!startProxyHoldingOrders(window)) return false;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    browser.start(chromiumBinary(), headlessArgs(profile) << demoPageUrl(window));
    if (!waitFor([&] { return panel->heldCount() > 0; }, kWaitMs)) {
        std::fprintf(stderr, "framescope: Chromium's order was not held (%s)\n",
                     browser.readAll().right(2000).constData());
        return false;
    }
    panel->selectHeld(0);
    window.controller()->model()->fetchPublished();
    selectLastRow(window, [](const app::CaptureRecord& r) {
        return !r.isNote() && r.leg == app::Leg::Client && r.direction == app::Direction::Incoming &&
               r.opcode == opcode::kText;
    });
    window.connectionsModel()->refresh();
    window.logView()->resumeAutoscroll();
    return true;
}

// The page as Chromium shows it once its conversation through the proxy is over.
bool savePageShot(MainWindow& window, const QDir& dir) {
    QTemporaryDir profile;
    const QString path = dir.filePath(QStringLiteral("browser-demo-page.png"));
    QFile::remove(path);
    QProcess browser;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    browser.start(chromiumBinary(), headlessArgs(profile) << QStringLiteral("--screenshot=") + path
                                                          << QStringLiteral("--window-size=900,380")
                                                          << QStringLiteral("--virtual-time-budget=5000")
                                                          << demoPageUrl(window));
    const bool done = waitFor([&] { return browser.state() == QProcess::NotRunning; }, kWaitMs);
    if (!done) browser.kill();
    browser.waitForFinished(5000);
    if (QFile::exists(path)) return true;
    std::fprintf(stderr, "framescope: Chromium did not save %s (%s)\n", qPrintable(path),
                 browser.readAll().right(2000).constData());
    return false;
}

bool grab(MainWindow& window, const QDir& dir, const QString& name) {
    waitFor([] { return false; }, 300);  // lets the panes lay out
    const QString path = dir.filePath(name);
    if (window.grab().save(path)) return true;
    std::fprintf(stderr, "framescope: cannot write %s\n", qPrintable(path));
    return false;
}

}  // namespace

QString chromiumBinary() {
    const QString debian = QStringLiteral("/usr/lib/chromium/chromium");
    return QFile::exists(debian) ? debian : QStandardPaths::findExecutable(QStringLiteral("chromium"));
}

int runBrowserTour(MainWindow& window, const QString& directory) {
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "framescope: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    if (chromiumBinary().isEmpty()) {
        std::fputs(
            "framescope: Chromium is not installed (apt-get install chromium); "
            "--intercept-screenshot takes the intercept shots with a Python client instead.\n",
            stderr);
        return 1;
    }
    window.resize(1600, 900);
    window.applyDefaultLayout();
    window.setConnectionsListShown(true);
    window.setPage(MainWindow::CapturePage);
    QTemporaryDir profile;
    QProcess browser;
    bool ok = holdTheBrowsersOrder(window, browser, profile);
    if (ok) {
        window.toolTabs()->setCurrentIndex(MainWindow::InterceptTab);
        ok = grab(window, dir, QStringLiteral("window-proxy-browser.png"));
        window.interceptPanel()->enableBox()->setChecked(false);
        window.interceptPanel()->forwardButton()->click();
        ok = waitFor([&] { return pageClosed(window); }, kWaitMs) && ok;
    }
    browser.kill();
    browser.waitForFinished(5000);
    ok = ok && savePageShot(window, dir);
    window.controller()->stopProxy();
    return ok ? 0 : 1;
}

}  // namespace framescope::ui
