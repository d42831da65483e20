// A proxied conversation in the offscreen window, real sockets on loopback (as tst_intercept sets it up: the
// Proxy button toward the built-in echo server, the window's connection as the app). The log shows each
// message once on the pair's legs, as it arrived ("app → up", "up → app"); "Both legs" shows the relayed
// copies too ("relay → up", "relay → app") and the status bar's row count follows; the inspector's Other
// leg tab shows the relayed frame with its own masking key and its masked bytes, and says when a message
// was dropped at the breakpoint instead.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_model.h"
#include "widgets/frame_inspector.h"
#include "widgets/hex_view.h"
#include "widgets/other_leg_view.h"
#include "window/connection_bar.h"
#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/intercept_panel.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window/status_panel.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;
using namespace framescope::ui::test;
using app::Direction;

namespace {

constexpr int kWait = 20000;

bool onPair(const app::CaptureRecord& r) {
    return r.connectionId == SessionController::kProxyConnectionBase ||
           r.connectionId == SessionController::kProxyConnectionBase + 1;
}

// The visible log rows of the pair's legs carrying `payload`, as their Dir cells.
QStringList pairRows(app::CaptureModel* model, const QByteArray& payload) {
    model->fetchPublished();
    const app::CaptureStore& store = model->store();
    QStringList cells;
    for (int row = 0; row < model->rowCount(); ++row) {
        const size_t storeRow = model->storeRow(row);
        const app::CaptureRecord& r = store.record(storeRow);
        if (r.isNote() || !onPair(r) || payloadOf(store, storeRow) != payload) continue;
        cells << model->index(row, app::CaptureModel::DirectionColumn).data().toString();
    }
    return cells;
}

RowPredicate appReceived(const QByteArray& payload) {
    const RowPredicate frame = frameWith(opcode::kText, Direction::Incoming, payload);
    return [frame](const app::CaptureStore& store, size_t row) {
        return store.record(row).connectionId < SessionController::kServerConnectionBase && frame(store, row);
    };
}

// The pair's frame of `payload` on `leg` in `direction`.
RowPredicate onLeg(app::Leg leg, Direction direction, const QByteArray& payload) {
    const RowPredicate frame = frameWith(opcode::kText, direction, payload);
    return [frame, leg](const app::CaptureStore& store, size_t row) {
        return store.record(row).leg == leg && onPair(store.record(row)) && frame(store, row);
    };
}

QString keyHex(const MaskKey& key) {
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(key.data()), qsizetype(key.size())).toHex(' '));
}

}  // namespace

class TstWindowProxyLegs : public QObject {
    Q_OBJECT

    QTemporaryDir settingsDir_;

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        isolateSettings(settingsDir_);
    }

    void oneRowPerMessageAndTheOtherLeg() {
        MainWindowOptions options;
        options.serverPort = 0;
        options.restoreSettings = false;
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SessionController* controller = window.controller();
        const app::CaptureStore& store = controller->store();
        app::CaptureModel* model = controller->model();
        FilterBar* bar = window.logView()->filterBar();
        QVERIFY(!bar->bothLegsSwitch()->isChecked());

        QTest::mouseClick(window.connectionBar()->proxyButton(), Qt::LeftButton);
        QVERIFY(controller->proxy());
        InterceptPanel* panel = window.interceptPanel();
        panel->directionCombo()->setCurrentIndex(1);  // app → upstream
        panel->patternEdit()->setText("drop");
        panel->enableBox()->setChecked(true);
        app::ConnectionOptions connection = window.connectionOptions();
        connection.deflate.reset();  // plain payloads: the rows compare by their bytes
        window.setConnectionOptions(connection);
        window.connectionBar()->setUrl(controller->proxy()->url().toString());
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(controller->isOpen(), kWait);

        controller->sendText("one");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived("one")), kWait);
        controller->sendText("drop me");
        QTRY_COMPARE_WITH_TIMEOUT(panel->heldCount(), 1, kWait);
        panel->selectHeld(0);
        QTest::mouseClick(panel->dropButton(), Qt::LeftButton);
        controller->sendText("two");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, appReceived("two")), kWait);

        // Once per message on the pair: as it arrived from the app, and its echo as it arrived from the
        // upstream. The relayed copies are captured but hidden.
        QCOMPARE(pairRows(model, "one"), (QStringList{"app → up", "up → app"}));
        QCOMPARE(pairRows(model, "two"), (QStringList{"app → up", "up → app"}));
        QCOMPARE(pairRows(model, "drop me"), (QStringList{"app → up"}));
        QCOMPARE(countRows(store, onLeg(app::Leg::Upstream, Direction::Outgoing, "one")), size_t{1});
        const int oneRowCount = model->rowCount();
        QVERIFY(oneRowCount < int(store.size()));
        QTRY_VERIFY_WITH_TIMEOUT(window.statusPanel()->rowsLabel()->text().startsWith(
                                     QLocale().toString(model->rowCount()) + " of "),
                                 kWait);

        // Both legs: the relayed frames show again, and the row count follows.
        bar->bothLegsSwitch()->setChecked(true);
        QCOMPARE(pairRows(model, "one"), (QStringList{"app → up", "relay → up", "up → app", "relay → app"}));
        QCOMPARE(pairRows(model, "drop me"), (QStringList{"app → up"}));
        QVERIFY(model->rowCount() >= oneRowCount + 4);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.statusPanel()->rowsLabel()->text().contains(QLocale().toString(model->rowCount()) + " "),
            kWait);
        bar->bothLegsSwitch()->setChecked(false);
        QCOMPARE(pairRows(model, "one"), (QStringList{"app → up", "up → app"}));

        // The inspector on "one" as it arrived from the app: the Other leg tab has the upstream leg's
        // frame, masked with the proxy's own key.
        const size_t arrived = *findRow(store, onLeg(app::Leg::Client, Direction::Incoming, "one"));
        const size_t relayed = *findRow(store, onLeg(app::Leg::Upstream, Direction::Outgoing, "one"));
        const app::CaptureRecord& in = store.record(arrived);
        const app::CaptureRecord& out = store.record(relayed);
        QVERIFY(in.masked() && out.masked() && in.maskKey != out.maskKey);
        window.selectStoreRow(arrived);
        FrameInspector* inspector = window.inspector();
        QCOMPARE(inspector->frame().index, qint64(arrived + 1));
        QVERIFY(inspector->payloadTabs()->isTabVisible(FrameInspector::OtherLegTab));
        OtherLegView* other = inspector->otherLegView();
        QCOMPARE(other->frameCount(), 1);
        const QString text = other->text();
        QVERIFY2(text.contains("As sent on the upstream leg"), qPrintable(text));
        QVERIFY2(text.contains("Masking key here: " + keyHex(in.maskKey)), qPrintable(text));
        QVERIFY2(text.contains("on the other leg: " + keyHex(out.maskKey)), qPrintable(text));
        QVERIFY2(text.contains(QString("#%1 ").arg(relayed + 1)), qPrintable(text));
        QByteArray wire(reinterpret_cast<const char*>(out.rawHeader.data()), out.rawHeaderSize);
        QByteArray masked = "one";
        for (int i = 0; i < masked.size(); ++i)
            masked[i] = char(masked[i] ^ out.maskKey[size_t(i % 4)]);
        QCOMPARE(other->wireView(0)->data(), wire + masked);

        // The dropped message: one sentence, no frames.
        window.selectStoreRow(*findRow(store, onLeg(app::Leg::Client, Direction::Incoming, "drop me")));
        QCOMPARE(other->frameCount(), 0);
        QVERIFY2(other->text().contains("Dropped at the intercept breakpoint"), qPrintable(other->text()));

        // A relayed frame (shown with Both legs) points back to the message as it arrived.
        window.selectStoreRow(relayed);
        QCOMPARE(other->frameCount(), 1);
        QVERIFY2(other->text().contains("As it arrived on the app leg"), qPrintable(other->text()));
        QVERIFY2(other->text().contains(QString("#%1 ").arg(arrived + 1)), qPrintable(other->text()));

        // The window's own connection is no proxy leg: no Other leg tab.
        window.selectStoreRow(*findRow(store, appReceived("one")));
        QVERIFY(!inspector->payloadTabs()->isTabVisible(FrameInspector::OtherLegTab));
    }
};

QTEST_MAIN(TstWindowProxyLegs)
#include "tst_window_proxy_legs.moc"
