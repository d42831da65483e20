// Intercept in the offscreen window with real sockets on loopback: the Proxy button starts a reverse proxy
// toward the built-in echo server (the upstream; its own side of the conversation is captured, so every
// check of what the upstream received reads the upstream's side), the window's connection is the app.
// A breakpoint holds a message (the upstream has not received it while a later one from another app has),
// a ping is still answered while it is held, Forward sends it on with the one queued behind it in order,
// Edit in crafter replaces one (the upstream receives the crafted frame's bytes exactly), Drop loses one
// (the next one arrives), and Inject sends a crafted frame into each leg (the one into the upstream is
// not UTF-8 on purpose: the upstream receives exactly it and fails with 1007). The pairs' legs show in
// the connections list, and the log's Conn column says which leg a frame is on. With "Answer pings per
// leg" unchecked, the app's ping reaches the upstream while a message is held, and its pong comes back.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_model.h"
#include "capture/connection_list_model.h"
#include "net/connection.h"
#include "widgets/frame_crafter.h"
#include "window/connection_bar.h"
#include "window/connections_panel.h"
#include "window/intercept_panel.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;
using namespace framescope::ui::test;
using app::Direction;

namespace {

constexpr int kWait = 20000;

// A frame the built-in server (the upstream) received: its side's rows, not the proxy's legs.
RowPredicate upstreamReceived(uint8_t op, const QByteArray& payload) {
    const RowPredicate frame = frameWith(op, Direction::Incoming, payload);
    return [frame](const app::CaptureStore& store, size_t row) {
        const uint32_t id = store.record(row).connectionId;
        return id >= SessionController::kServerConnectionBase &&
               id < SessionController::kProxyConnectionBase && frame(store, row);
    };
}

// A frame the window's own connection (the app) received.
RowPredicate appReceived(uint8_t op, const QByteArray& payload) {
    const RowPredicate frame = frameWith(op, Direction::Incoming, payload);
    return [frame](const app::CaptureStore& store, size_t row) {
        return store.record(row).connectionId < SessionController::kServerConnectionBase && frame(store, row);
    };
}

// Replaces the crafter's payload text (its other fields as loaded) and presses its Send.
void craftAndSend(FrameCrafter* crafter, const QString& payload, uint8_t op = opcode::kText) {
    CrafterState state = crafter->state();
    state.payloadFormat = PayloadFormat::Text;
    state.payloadText = payload;
    state.opcode = op;
    crafter->setState(state);
    crafter->refresh();
    QVERIFY(crafter->sendButton()->isEnabled());
    QTest::mouseClick(crafter->sendButton(), Qt::LeftButton);
}

}  // namespace

class TstIntercept : public QObject {
    Q_OBJECT

    QTemporaryDir settingsDir_;

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        isolateSettings(settingsDir_);
    }

    void holdForwardEditDropInject() {
        MainWindowOptions options;
        options.serverPort = 0;
        options.restoreSettings = false;
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionController* controller = window.controller();
        const app::CaptureStore& store = controller->store();
        InterceptPanel* panel = window.interceptPanel();
        QVERIFY(panel);

        // The proxy from the bar, toward the URL in it (the built-in server).
        const QString upstream = controller->serverUrl().toString();
        QCOMPARE(window.connectionBar()->url(), upstream);
        QTest::mouseClick(window.connectionBar()->proxyButton(), Qt::LeftButton);
        QVERIFY(controller->proxy());
        const QString proxyUrl = controller->proxy()->url().toString();
        QVERIFY(proxyUrl.startsWith("ws://127.0.0.1:"));
        QVERIFY(window.connectionBar()->proxyLabel()->isVisible());
        QVERIFY(window.connectionBar()->proxyLabel()->text().contains(proxyUrl));
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::InterceptTab));

        // Breakpoint: text from the app that contains "hold".
        panel->directionCombo()->setCurrentIndex(1);  // app → upstream
        panel->opcodeCombo()->setCurrentIndex(1);     // text
        panel->patternEdit()->setText("hold");
        panel->enableBox()->setChecked(true);

        // The window's connection is the app, through the proxy, without compression (exact lengths).
        app::ConnectionOptions connection = window.connectionOptions();
        connection.deflate.reset();
        window.setConnectionOptions(connection);
        window.connectionBar()->setUrl(proxyUrl);
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(controller->isOpen(), kWait);
        const uint32_t pair = SessionController::kProxyConnectionBase;

        controller->sendText("pass 1");  // matches nothing: straight through, and its echo back
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kText, "pass 1")), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived(opcode::kText, "pass 1")), kWait);

        // Hold: "hold A" waits, "after A" queues behind it.
        controller->sendText("hold A");
        controller->sendText("after A");
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 1, kWait);
        QCOMPARE(panel->selectedHeld()->payload, QByteArray("hold A"));
        QCOMPARE(panel->selectedHeld()->pairId, pair);
        // Another app through the same proxy gets through meanwhile: the held one has not.
        app::ConnectionOptions otherOptions;
        otherOptions.url = QUrl(proxyUrl);
        app::Connection other(otherOptions, nullptr, 500);
        other.open();
        QTRY_COMPARE_WITH_TIMEOUT(other.state(), app::ConnectionState::Open, kWait);
        other.sendText("other app");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kText, "other app")), kWait);
        QVERIFY(!findRow(store, upstreamReceived(opcode::kText, "hold A")));
        QVERIFY(!findRow(store, upstreamReceived(opcode::kText, "after A")));
        // The held message does not stall the app leg's pings.
        controller->sendPing("still there?");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived(opcode::kPong, "still there?")), kWait);
        QCOMPARE(panel->heldCount(), 1);

        // Forward: both arrive, in order.
        QVERIFY(panel->forwardButton()->isEnabled());
        QTest::mouseClick(panel->forwardButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kText, "after A")), kWait);
        const auto forwarded = findRow(store, upstreamReceived(opcode::kText, "hold A"));
        QVERIFY(forwarded);
        QVERIFY(*forwarded < *findRow(store, upstreamReceived(opcode::kText, "after A")));
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 0, kWait);

        // Edit in crafter: "hold B" becomes a binary frame with other bytes; the upstream gets exactly it.
        controller->sendText("hold B");
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 1, kWait);
        panel->selectHeld(0);
        QTest::mouseClick(panel->editButton(), Qt::LeftButton);
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
        QCOMPARE(window.crafter()->state().payloadText, QString("hold B"));
        QVERIFY(window.crafter()->state().masked);  // toward the upstream, the proxy is a client
        craftAndSend(window.crafter(), "edited B", opcode::kBinary);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kBinary, "edited B")), kWait);
        const size_t editedRow = *findRow(store, upstreamReceived(opcode::kBinary, "edited B"));
        QVERIFY(store.record(editedRow).fin() && store.record(editedRow).masked());
        QCOMPARE(store.record(editedRow).payloadLength, quint64(8));
        QVERIFY(!findRow(store, upstreamReceived(opcode::kText, "hold B")));
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 0, kWait);
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::InterceptTab));

        // Drop: "hold C" never arrives, "after C" queued behind it does.
        controller->sendText("hold C");
        controller->sendText("after C");
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 1, kWait);
        panel->selectHeld(0);
        QTest::mouseClick(panel->dropButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kText, "after C")), kWait);
        QVERIFY(!findRow(store, upstreamReceived(opcode::kText, "hold C")));
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 0, kWait);

        // Inject into the app leg: the app (the window's connection) receives the crafted frame unmasked.
        QTRY_VERIFY_WITH_TIMEOUT(panel->pairCombo()->findData(pair) >= 0, kWait);
        panel->pairCombo()->setCurrentIndex(panel->pairCombo()->findData(pair));
        panel->injectLegCombo()->setCurrentIndex(1);  // into the app leg
        QTest::mouseClick(panel->injectButton(), Qt::LeftButton);
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
        CrafterState toApp = window.crafter()->state();
        toApp.masked = false;
        window.crafter()->setState(toApp);
        craftAndSend(window.crafter(), "injected to app");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived(opcode::kText, "injected to app")), kWait);
        QVERIFY(!store.record(*findRow(store, appReceived(opcode::kText, "injected to app"))).masked());

        // The pairs' legs in the connections list and the log's Conn column.
        window.connectionsModel()->refresh();
        const int appLeg = window.connectionsModel()->rowOfConnection(pair);
        const int upstreamLeg = window.connectionsModel()->rowOfConnection(pair + 1);
        QVERIFY(appLeg >= 0 && upstreamLeg >= 0);
        QVERIFY(window.connectionsModel()->index(appLeg).data().toString().contains("proxy, app leg"));
        QVERIFY(
            window.connectionsModel()->index(upstreamLeg).data().toString().contains("proxy, upstream leg"));
        // (a frame that arrived on the leg: the ones relayed onto it show on the app leg's rows)
        const auto legRow = findRow(store, [&](const app::CaptureStore& s, size_t row) {
            return s.record(row).connectionId == pair + 1 && !s.record(row).isNote() &&
                   s.record(row).direction == Direction::Incoming;
        });
        QVERIFY(legRow);
        controller->model()->fetchPublished();
        const int shownRow = controller->model()->rowOfStoreRow(*legRow);
        QVERIFY(shownRow >= 0);
        QCOMPARE(controller->model()->index(shownRow, app::CaptureModel::ConnectionColumn).data().toString(),
                 QString("#%1 up").arg(pair + 1));

        // Inject into the upstream leg, broken on purpose (a text frame that is not UTF-8): the upstream
        // receives exactly those bytes and fails the connection with 1007 (RFC 6455 §8.1).
        panel->injectLegCombo()->setCurrentIndex(0);  // into the upstream leg
        QTest::mouseClick(panel->injectButton(), Qt::LeftButton);
        const QByteArray brokenBytes("broken \xff\xfe");
        CrafterState broken = window.crafter()->state();
        broken.opcode = opcode::kText;
        broken.masked = true;
        broken.payloadFormat = PayloadFormat::Hex;
        broken.payloadText = QString::fromLatin1(brokenBytes.toHex(' '));
        window.crafter()->setState(broken);
        window.crafter()->refresh();
        QTest::mouseClick(window.crafter()->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kText, brokenBytes)), kWait);
        QVERIFY(store.record(*findRow(store, upstreamReceived(opcode::kText, brokenBytes))).masked());
        QTRY_VERIFY_WITH_TIMEOUT(
            findRow(store,
                    [](const app::CaptureStore& s, size_t row) {
                        const app::CaptureRecord& r = s.record(row);
                        return !r.isNote() && r.opcode == opcode::kClose &&
                               r.direction == Direction::Outgoing &&
                               r.connectionId >= SessionController::kServerConnectionBase &&
                               r.connectionId < SessionController::kProxyConnectionBase &&
                               r.closeCode == 1007;
                    }),
            kWait);
    }
    // "Answer pings per leg" unchecked before Proxy: the app's ping reaches the upstream (the built-in
    // server answers it) while a message of the same direction is held, and the pong comes back. A running
    // proxy keeps its setting, and the tab says so.
    void pingsPassThroughWhenUnchecked() {
        MainWindowOptions options;
        options.serverPort = 0;
        options.restoreSettings = false;
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionController* controller = window.controller();
        const app::CaptureStore& store = controller->store();
        InterceptPanel* panel = window.interceptPanel();
        QVERIFY(panel->answerPingsBox()->isChecked());
        QVERIFY(!panel->answerPingsBox()->toolTip().isEmpty());
        panel->answerPingsBox()->setChecked(false);
        QTest::mouseClick(window.connectionBar()->proxyButton(), Qt::LeftButton);
        QVERIFY(controller->proxy());
        QVERIFY(controller->proxy()->passesPings());
        QVERIFY2(panel->statusLabel()->text().contains("pass through"),
                 qPrintable(panel->statusLabel()->text()));
        panel->answerPingsBox()->setChecked(true);
        QVERIFY2(panel->statusLabel()->text().contains("keeps its ping setting"),
                 qPrintable(panel->statusLabel()->text()));
        QVERIFY(controller->proxy()->passesPings());

        panel->directionCombo()->setCurrentIndex(1);  // app → upstream
        panel->patternEdit()->setText("hold");
        panel->enableBox()->setChecked(true);
        window.connectionBar()->setUrl(controller->proxy()->url().toString());
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(controller->isOpen(), kWait);
        controller->sendText("hold C");
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 1, kWait);
        controller->sendPing("through?");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, upstreamReceived(opcode::kPing, "through?")), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived(opcode::kPong, "through?")), kWait);
        QVERIFY(!findRow(store, upstreamReceived(opcode::kText, "hold C")));
        QCOMPARE(panel->heldCount(), 1);
        window.disconnectFromPeer();
        controller->stopProxy();
    }

    // The connections list's Close on a proxy leg (here the upstream leg) ends that pair: the app, the
    // window's own connection, gets close 1000 from the proxy; the built-in server keeps running.
    void closingAProxyLegFromTheList() {
        MainWindowOptions options;
        options.serverPort = 0;
        options.restoreSettings = false;
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionController* controller = window.controller();
        QTest::mouseClick(window.connectionBar()->proxyButton(), Qt::LeftButton);
        QVERIFY(controller->proxy());
        window.connectionBar()->setUrl(controller->proxy()->url().toString());
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(controller->isOpen(), kWait);
        const uint32_t upstreamLeg = SessionController::kProxyConnectionBase + 1;
        ConnectionsPanel* list = window.connectionsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(list->selectConnection(upstreamLeg), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(list->closeButton()->isEnabled(), kWait);
        QTest::mouseClick(list->closeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!controller->isOpen(), kWait);
        const RowPredicate closedByProxy = [](const app::CaptureStore& store, size_t row) {
            const app::CaptureRecord& r = store.record(row);
            return r.connectionId < SessionController::kServerConnectionBase && r.opcode == opcode::kClose &&
                   r.direction == Direction::Incoming && r.closeCode == 1000;
        };
        QTRY_VERIFY_WITH_TIMEOUT(findRow(controller->store(), closedByProxy), kWait);
        QVERIFY(controller->serverRunning());
        controller->stopProxy();
    }
};

QTEST_MAIN(TstIntercept)
#include "tst_intercept.moc"
