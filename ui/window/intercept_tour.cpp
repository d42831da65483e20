// The intercept screenshots. See intercept_tour.h.
#include "window/intercept_tour.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>

#include <cstdio>
#include <string_view>

#include "capture/capture_model.h"
#include "capture/connection_list_model.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "window/connection_bar.h"
#include "window/frame_log_view.h"
#include "window/intercept_panel.h"
#include "window/main_window.h"
#include "window/screenshot_tour.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

// A shop's client: says hello, reads the answer, places an order, then stays until it is killed.
constexpr const char* kClientScript = R"(import asyncio, json, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1], compression=None) as ws:
        await ws.send(json.dumps({"type": "hello", "user": "ada", "client": "shop-web/2.3"}))
        await ws.recv()
        await ws.send(json.dumps({"type": "cart", "items": [{"sku": "TEA-01", "qty": 1}]}))
        await ws.recv()
        await ws.send(json.dumps({"type": "order", "sku": "COFFEE-42", "qty": 2, "price": 7.5}))
        await asyncio.sleep(60)
asyncio.run(main())
)";

bool grab(MainWindow& window, const QDir& dir, const QString& name) {
    waitFor([] { return false; }, 300);  // lets the panes lay out
    const QString path = dir.filePath(name);
    if (window.grab().save(path)) return true;
    std::fprintf(stderr, "framescope: cannot write %s\n", qPrintable(path));
    return false;
}

// Proxy from the bar, a breakpoint on "order" from the app, the client's conversation through it.
bool holdTheOrder(MainWindow& window, QProcess& client) {
    InterceptPanel* panel = window.interceptPanel();
    if (!startProxyHoldingOrders(window)) return false;
    const QString python = QFileInfo::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : "python3";
    client.start(python, {QStringLiteral("-c"), QString::fromLatin1(kClientScript),
                          window.controller()->proxy()->url().toString()});
    if (!waitFor([&] { return panel->heldCount() > 0; }, 15000)) {
        std::fprintf(stderr, "framescope: the Python client's order was not held (%s)\n",
                     client.readAllStandardError().constData());
        return false;
    }
    panel->selectHeld(0);
    window.controller()->model()->fetchPublished();
    // The held order as the proxy's app leg received it, in the inspector.
    const app::CaptureStore& store = window.controller()->store();
    for (size_t row = store.size(); row-- > 0;) {
        const app::CaptureRecord& r = store.record(row);
        if (!r.isNote() && r.leg == app::Leg::Client && r.direction == app::Direction::Incoming &&
            r.opcode == opcode::kText) {
            window.selectStoreRow(row);
            break;
        }
    }
    window.connectionsModel()->refresh();
    window.logView()->resumeAutoscroll();
    return true;
}

// The cart message as it arrived from the app, with the Other leg tab: the same message as the proxy sent
// it upstream (its own masking key and bytes).
bool showOtherLeg(MainWindow& window, const QDir& dir) {
    const app::CaptureStore& store = window.controller()->store();
    for (size_t row = 0; row < store.size(); ++row) {
        const app::CaptureRecord& r = store.record(row);
        const auto payload = store.payload(row);
        const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
        if (r.isNote() || r.leg != app::Leg::Client || r.direction != app::Direction::Incoming ||
            text.find("\"cart\"") == std::string_view::npos)
            continue;
        window.toolTabs()->setCurrentIndex(MainWindow::InterceptTab);
        window.selectStoreRow(row);
        window.inspector()->payloadTabs()->setCurrentIndex(FrameInspector::OtherLegTab);
        return grab(window, dir, QStringLiteral("window-proxy-other-leg.png"));
    }
    std::fprintf(stderr, "framescope: the cart message is not in the capture\n");
    return false;
}

}  // namespace

int runInterceptTour(MainWindow& window, const QString& directory) {
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "framescope: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    window.resize(1600, 900);
    window.applyDefaultLayout();
    window.setConnectionsListShown(true);
    window.setPage(MainWindow::CapturePage);
    QProcess client;
    bool ok = holdTheOrder(window, client);
    if (ok) {
        window.toolTabs()->setCurrentIndex(MainWindow::InterceptTab);
        ok = grab(window, dir, QStringLiteral("window-intercept.png"));
        window.interceptPanel()->editButton()->click();
        // The user changes the quantity before sending it on.
        CrafterState state = window.crafter()->state();
        state.payloadText.replace(QStringLiteral("\"qty\": 2"), QStringLiteral("\"qty\": 200"));
        window.crafter()->setState(state);
        window.crafter()->refresh();
        ok = grab(window, dir, QStringLiteral("window-intercept-edit.png")) && ok;
        ok = showOtherLeg(window, dir) && ok;
    }
    client.kill();
    client.waitForFinished(5000);
    window.controller()->stopProxy();
    return ok ? 0 : 1;
}

bool startProxyHoldingOrders(MainWindow& window) {
    InterceptPanel* panel = window.interceptPanel();
    window.connectionBar()->setUrl(window.controller()->serverUrl().toString());
    window.connectionBar()->proxyButton()->click();
    if (!window.controller()->proxy()) {
        std::fprintf(stderr, "framescope: the proxy did not start\n");
        return false;
    }
    panel->directionCombo()->setCurrentIndex(1);  // app → upstream
    panel->patternEdit()->setText(QStringLiteral("\"order\""));
    panel->enableBox()->setChecked(true);
    return true;
}

}  // namespace framescope::ui
