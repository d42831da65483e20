#include "window/screenshot_tour.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QThread>

#include <cstdio>
#include <functional>

#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "window/connection_bar.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

void settle(int ms) {
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
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

}  // namespace

int runScreenshotTour(MainWindow& window, const QString& directory) {
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "framescope: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    window.resize(1440, 900);
    window.mainSplitter()->setSizes({860, 580});
    window.leftSplitter()->setSizes({560, 340});
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
    bool ok = save(window, dir, QStringLiteral("window-log.png"));

    // The inspector: the client's masked JSON message (its header drawn bit by bit).
    const size_t rows = window.controller()->store().size();
    for (size_t row = 0; row < rows; ++row) {
        const auto& record = window.controller()->store().record(row);
        if (!record.isNote() && record.direction == app::Direction::Outgoing && record.messageIndex == 1) {
            window.selectStoreRow(row);
            break;
        }
    }
    ok = save(window, dir, QStringLiteral("window-inspector.png")) && ok;

    window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
    window.leftSplitter()->setSizes({300, 600});
    ok = save(window, dir, QStringLiteral("window-crafter.png")) && ok;
    return ok ? 0 : 1;
}

}  // namespace framescope::ui
