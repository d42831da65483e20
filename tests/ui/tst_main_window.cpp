// The FrameScope window driven as a user would: the built-in server's URL is there at start, Connect opens
// a connection, a message typed in the composer goes out and comes back, both frames show in the log, the
// inspector shows the selected one; filters and search narrow the log; a crafted reserved opcode makes the
// server close with 1002; the handshake is viewable; settings persist; decoded messages show their summary,
// answer decoded-field searches, and follow the decoder chosen for their connection.
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "widgets/composer.h"
#include "widgets/decoded_view.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "window/connection_bar.h"
#include "window/connection_settings.h"
#include "window/filter_bar.h"
#include "window/frame_data_adapter.h"
#include "window/frame_log_view.h"
#include "window/handshake_dialog.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window/status_panel.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;
using namespace framescope::ui::test;
using app::Direction;

namespace {

constexpr int kTimeoutMs = 10000;

// Opens the window on the built-in server, without permessage-deflate unless asked (exact lengths).
void connectWindow(MainWindow& window, bool deflate = false) {
    app::ConnectionOptions options = window.connectionOptions();
    if (!deflate) options.deflate.reset();
    window.setConnectionOptions(options);
    QTest::mouseClick(window.connectionBar()->connectButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), kTimeoutMs);
}

void typeAndSend(MainWindow& window, const QString& text) {
    window.toolTabs()->setCurrentIndex(MainWindow::ComposerTab);
    auto* editor = window.composer()->findChild<QPlainTextEdit*>();
    QVERIFY(editor);
    editor->clear();
    editor->setFocus();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
}

void clickRow(FrameLogView* log, size_t storeRow) {
    const int row = log->model()->rowOfStoreRow(storeRow);
    QVERIFY(row >= 0);
    const QModelIndex index = log->model()->index(row, app::CaptureModel::OpcodeColumn);
    log->table()->scrollTo(index);
    QTest::mouseClick(log->table()->viewport(), Qt::LeftButton, {}, log->table()->visualRect(index).center());
}

}  // namespace

class TstMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        isolateSettings(settingsDir_);
    }
    void init() { QSettings().clear(); }

    void startsWithTheBuiltInServer() {
        MainWindow window;  // the server's side is captured too, but its start-up line is not a row
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.controller()->serverRunning());
        const QString url = window.controller()->serverUrl().toString();
        QVERIFY(url.startsWith("ws://127.0.0.1:"));
        QCOMPARE(window.connectionBar()->url(), url);
        QVERIFY(window.logView()->showsEmptyState());
        QVERIFY(window.logView()->emptyText().contains(url));
        QCOMPARE(window.connectionBar()->connectButton()->text(), QString("Connect"));
        QVERIFY(!window.inspector()->hasFrame());
    }

    // The built-in server's port is taken by another program: the window takes a free port and says so.
    void builtInServerFallsBackWhenItsPortIsTaken() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        MainWindowOptions options = clientSideOnly();
        options.serverPort = squatter.serverPort();
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.controller()->serverRunning());
        const QUrl url = window.controller()->serverUrl();
        QVERIFY(url.port() > 0);
        QVERIFY(url.port() != squatter.serverPort());
        QCOMPARE(window.connectionBar()->url(), url.toString());
        const QString note = window.serverNote();
        QVERIFY2(note.contains(QString::number(squatter.serverPort())) &&
                     note.contains(QString::number(url.port())),
                 qPrintable(note));
        QVERIFY(window.logView()->emptyText().contains(note));
        connectWindow(window);  // the fallback server answers
    }

    void connectSendSeeBothFramesAndInspect() {
        MainWindow window(clientSideOnly());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        connectWindow(window);
        QCOMPARE(window.connectionBar()->connectButton()->text(), QString("Disconnect"));
        QVERIFY(window.statusPanel()->stateText().contains("Open"));
        typeAndSend(window, "hello, echo");
        const app::CaptureStore& store = window.controller()->store();
        const QByteArray payload("hello, echo");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, Direction::Incoming, payload)),
                                 kTimeoutMs);
        const size_t out = *findRow(store, frameWith(opcode::kText, Direction::Outgoing, payload));
        const size_t in = *findRow(store, frameWith(opcode::kText, Direction::Incoming, payload));
        QVERIFY(out < in);
        QTRY_VERIFY(window.logView()->model()->rowOfStoreRow(in) >= 0);
        QVERIFY(!window.logView()->showsEmptyState());
        auto* model = window.logView()->model();
        const int outRow = model->rowOfStoreRow(out);
        QCOMPARE(model->index(outRow, app::CaptureModel::DirectionColumn).data().toString(), QString("→"));
        QCOMPARE(model->index(model->rowOfStoreRow(in), app::CaptureModel::DirectionColumn).data().toString(),
                 QString("←"));

        clickRow(window.logView(), out);
        QTRY_VERIFY(window.inspector()->hasFrame());
        const FrameData& sent = window.inspector()->frame();
        QCOMPARE(sent.header.opcode, opcode::kText);
        QVERIFY(sent.header.masked);  // RFC 6455 §5.1: a client masks every frame
        QVERIFY(sent.header.fin);
        QCOMPARE(sent.header.payloadLength, quint64(payload.size()));
        QCOMPARE(sent.payloadLength, quint64(payload.size()));
        QCOMPARE(sent.payload, payload);
        QCOMPARE(sent.direction, FrameDirection::Outgoing);
        QCOMPARE(sent.index, qint64(out + 1));
        QVERIFY(window.inspector()->summaryText().contains("sent"));

        clickRow(window.logView(), in);
        QTRY_COMPARE(window.inspector()->frame().index, qint64(in + 1));
        QVERIFY(!window.inspector()->frame().header.masked);  // a server never masks
        QCOMPARE(window.inspector()->frame().direction, FrameDirection::Incoming);
        QCOMPARE(window.inspector()->payloadText(), QString::fromUtf8(payload));
    }

    void compressedMessagesShowInflatedSizes() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window, true);
        QVERIFY(window.statusPanel()->negotiatedText().contains("permessage-deflate"));
        const QByteArray payload = QByteArray("compress me ").repeated(40);
        typeAndSend(window, QString::fromUtf8(payload));
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, Direction::Incoming, payload)),
                                 kTimeoutMs);
        const size_t in = *findRow(store, frameWith(opcode::kText, Direction::Incoming, payload));
        window.selectStoreRow(in);
        QTRY_VERIFY(window.inspector()->hasFrame());
        const FrameData& frame = window.inspector()->frame();
        QVERIFY(frame.header.rsv1);  // RFC 7692 §6
        QVERIFY(frame.compressed);
        QCOMPARE(frame.inflated, payload);
        QVERIFY(frame.wireSize < quint64(payload.size()));
        QCOMPARE(displayPayload(frame), payload);
    }

    void handshakeAndTimingShown() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        QTRY_VERIFY(!window.statusPanel()->timingLabelText().isEmpty());
        QVERIFY(window.statusPanel()->timingLabelText().contains("TCP"));
        QVERIFY(window.statusPanel()->timingLabelText().contains("handshake"));
        QTest::mouseClick(window.statusPanel()->handshakeButton(), Qt::LeftButton);
        QVERIFY(window.handshakeDialog()->isVisible());
        QVERIFY(window.handshakeDialog()->requestText().startsWith("GET / HTTP/1.1"));
        QVERIFY(window.handshakeDialog()->requestText().contains("Sec-WebSocket-Key"));
        QVERIFY(window.handshakeDialog()->responseText().startsWith("HTTP/1.1 101"));
    }

    void notesShowInTheDetailPane() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        const app::CaptureStore& store = window.controller()->store();
        const auto request = findRow(store, [](const app::CaptureStore& s, size_t row) {
            return s.record(row).kind == app::RecordKind::HandshakeRequest;
        });
        QVERIFY(request);
        QTRY_VERIFY(window.logView()->model()->rowOfStoreRow(*request) >= 0);
        clickRow(window.logView(), *request);
        QTRY_VERIFY(window.noteView()->isVisible());
        QVERIFY(window.noteView()->toPlainText().contains("Upgrade: websocket"));
    }

    void filtersAndSearchNarrowTheLog() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        for (const char* text : {"alpha one", "beta two", "alphabet three"})
            typeAndSend(window, text);
        window.composer()->sendPing();
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kPong, Direction::Incoming, {})),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            findRow(store, frameWith(opcode::kText, Direction::Incoming, "alphabet three")), kTimeoutMs);
        window.controller()->model()->fetchPublished();
        FilterBar* bar = window.logView()->filterBar();
        auto* model = window.logView()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QTest::mouseClick(bar->hideControlSwitch(), Qt::LeftButton);
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto& r = store.record(model->storeRow(row));
            QVERIFY(r.isNote() || !isControlOpcode(r.opcode));
        }
        bar->notesAction()->setChecked(false);
        QCOMPARE(model->rowCount(), 6);  // three messages, both ways
        bar->directionCombo()->setCurrentIndex(
            bar->directionCombo()->findData(int(app::DirectionFilter::Outgoing)));
        QCOMPARE(model->rowCount(), 3);
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->index(row, app::CaptureModel::DirectionColumn).data().toString(), QString("→"));

        bar->searchEdit()->setFocus();
        QTest::keyClicks(bar->searchEdit(), "alpha");
        QTRY_COMPARE(model->rowCount(), 2);
        bar->searchModeCombo()->setCurrentIndex(
            bar->searchModeCombo()->findData(int(app::SearchMode::Regex)));
        bar->searchEdit()->setText("^alpha\\s");
        bar->applyNow();
        QCOMPARE(model->rowCount(), 1);
        bar->searchEdit()->setText("alpha(");
        bar->applyNow();
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!bar->error().isEmpty());
        bar->searchModeCombo()->setCurrentIndex(bar->searchModeCombo()->findData(int(app::SearchMode::Hex)));
        bar->searchEdit()->setText("62 65 74 61");  // "beta"
        bar->applyNow();
        QVERIFY(bar->error().isEmpty());
        QCOMPARE(model->rowCount(), 1);

        bar->opcodeAction(opcode::kText)->setChecked(false);
        QCOMPARE(model->rowCount(), 0);
        bar->setFilter(app::CaptureFilter{});
        QCOMPARE(model->rowCount(), static_cast<int>(store.size()));
    }

    void decodedMessagesSummarisedSearchedAndOverridden() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        typeAndSend(window, R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":7})");
        typeAndSend(window, "plain words");
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, Direction::Incoming, "plain words")),
                                 kTimeoutMs);
        auto* model = window.logView()->model();
        model->fetchPublished();
        const size_t request =
            *findRow(store, frameWith(opcode::kText, Direction::Outgoing,
                                      R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":7})"));
        const auto summary = [&](size_t storeRow) {
            return model->index(model->rowOfStoreRow(storeRow), app::CaptureModel::SummaryColumn)
                .data()
                .toString();
        };
        QCOMPARE(summary(request), QString("call add #7 (2 params)"));
        clickRow(window.logView(), request);
        QTRY_VERIFY(window.inspector()->decodedView()->treeShown());

        FilterBar* bar = window.logView()->filterBar();
        bar->searchModeCombo()->setCurrentIndex(
            bar->searchModeCombo()->findData(int(app::SearchMode::Decoded)));
        bar->searchEdit()->setText("method=add");
        bar->applyNow();
        QVERIFY(bar->error().isEmpty());
        QCOMPARE(model->rowCount(), 2);  // the request and its echo

        const uint32_t connection = store.record(request).connectionId;
        window.chooseDecoder(connection, decoders::Protocol::None);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!window.inspector()->decodedView()->treeShown());
        window.chooseDecoder(connection, std::nullopt);
        QCOMPARE(model->rowCount(), 2);
        bar->setFilter(app::CaptureFilter{});
        model->fetchPublished();
        QCOMPARE(summary(request), QString("call add #7 (2 params)"));
    }

    void craftedReservedOpcodeGetsAViolationClose() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        CrafterState state;
        state.opcode = 0x3;  // reserved non-control opcode
        state.payloadText = "bad";
        window.crafter()->setState(state);
        window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
        QVERIFY(!window.crafter()->warnings().isEmpty());
        window.crafter()->send();
        const app::CaptureStore& store = window.controller()->store();
        const auto serverClose = [](const app::CaptureStore& s, size_t row) {
            const auto& r = s.record(row);
            return !r.isNote() && r.opcode == opcode::kClose && r.direction == Direction::Incoming;
        };
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, serverClose), kTimeoutMs);
        const size_t close = *findRow(store, serverClose);
        QCOMPARE(store.record(close).closeCode, quint16(1002));
        const auto crafted = findRow(store, [](const app::CaptureStore& s, size_t row) {
            return !s.record(row).isNote() && s.record(row).crafted();
        });
        QVERIFY(crafted);
        QCOMPARE(store.record(*crafted).opcode, uint8_t(0x3));
        QVERIFY(store.record(*crafted).masked());
        QVERIFY(store.record(*crafted).violation != nullptr);  // drawn in the violation colour
        QTRY_VERIFY(window.logView()->model()->rowOfStoreRow(*crafted) >= 0);
        const QVariant colour = window.logView()
                                    ->model()
                                    ->index(window.logView()->model()->rowOfStoreRow(*crafted), 0)
                                    .data(Qt::ForegroundRole);
        QVERIFY(colour.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), kTimeoutMs);
        QCOMPARE(window.connectionBar()->connectButton()->text(), QString("Connect"));
        QTRY_VERIFY(window.logView()->model()->rowOfStoreRow(close) >= 0);
        window.selectStoreRow(close);
        QTRY_VERIFY(window.inspector()->hasFrame());
        QVERIFY(window.inspector()->frame().hasCloseCode);
        QCOMPARE(window.inspector()->frame().closeCode, quint16(1002));
        const QString preview =
            window.logView()
                ->model()
                ->index(window.logView()->model()->rowOfStoreRow(close), app::CaptureModel::PreviewColumn)
                .data()
                .toString();
        QVERIFY2(preview.contains("1002"), qPrintable(preview));
    }

    void capturedFrameEditsInTheCrafter() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        typeAndSend(window, "send me again");
        const app::CaptureStore& store = window.controller()->store();
        const QByteArray payload("send me again");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(store, frameWith(opcode::kText, Direction::Incoming, payload)),
                                 kTimeoutMs);
        const size_t out = *findRow(store, frameWith(opcode::kText, Direction::Outgoing, payload));
        QVERIFY(window.editInCrafter(out));
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
        const CrafterState state = window.crafter()->state();
        QCOMPARE(state.opcode, opcode::kText);
        QVERIFY(state.masked);
        QVERIFY(state.randomKey);  // a fresh key when it is sent again
        QCOMPARE(state.payloadText, QString::fromUtf8(payload));
        QVERIFY(window.crafter()->warnings().isEmpty());
        // Notes (the handshake, status lines) cannot be crafted.
        const auto note =
            findRow(store, [](const app::CaptureStore& s, size_t row) { return s.record(row).isNote(); });
        QVERIFY(note);
        QVERIFY(!window.editInCrafter(*note));
    }

    void craftedPlanKeepsFixedKeysAndDrawsRandomOnes() {
        RawFramePlanItem item;
        item.masked = true;
        item.maskKey = {1, 2, 3, 4};
        item.randomMaskKey = true;
        QVERIFY(!rawFrameOf(item).maskKey.has_value());  // the worker draws a secure key
        item.randomMaskKey = false;
        QCOMPARE(*rawFrameOf(item).maskKey, (MaskKey{1, 2, 3, 4}));
        item.overrideLength = true;
        item.declaredLength = 99;
        QCOMPARE(*rawFrameOf(item).declaredLength, quint64(99));
        QVERIFY(!rawFrameOf(item).encoding.has_value());
    }

    void fragmentedMessageListsItsSiblings() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        CrafterState state;
        state.payloadText = "one two three four";
        state.fragments = 3;
        state.pingBetween = true;
        window.crafter()->setState(state);
        window.crafter()->send();
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            findRow(store, frameWith(opcode::kText, Direction::Incoming, "one two three four")), kTimeoutMs);
        const auto middle = findRow(store, [](const app::CaptureStore& s, size_t row) {
            const auto& r = s.record(row);
            return !r.isNote() && r.direction == Direction::Outgoing && r.opcode == opcode::kContinuation &&
                   !r.fin();
        });
        QVERIFY(middle);
        window.controller()->model()->fetchPublished();
        window.selectStoreRow(*middle);
        QTRY_VERIFY(window.inspector()->hasFrame());
        const QList<SiblingFrame> siblings = window.inspector()->frame().siblings;
        QCOMPARE(siblings.size(), 3);
        QCOMPARE(siblings[0].opcode, opcode::kText);
        QVERIFY(siblings[1].current);
        QVERIFY(siblings[2].fin);
        emit window.inspector()->siblingActivated(siblings[2].index);
        QCOMPARE(window.logView()->selectedStoreRow(),
                 std::optional<size_t>(storeRowOfNumber(siblings[2].index)));
        QCOMPARE(window.inspector()->frame().index, siblings[2].index);
    }

    void repeatSendsUntilStopped() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        window.composer()->setMessageText("tick");
        window.composer()->setRepeatInterval(5);
        window.composer()->setRepeatEnabled(true);
        window.composer()->send();
        QVERIFY(window.controller()->isRepeating());
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(countRows(store, frameWith(opcode::kText, Direction::Incoming, "tick")) >= 5,
                                 kTimeoutMs);
        window.disconnectFromPeer();
        QVERIFY(!window.controller()->isRepeating());
        QVERIFY(!window.composer()->isRepeating());
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), kTimeoutMs);
    }

    void badUrlIsAFaultInRed() {
        MainWindow window(clientSideOnly());
        window.show();
        window.connectionBar()->setUrl("http://example.com/");
        QTest::mouseClick(window.connectionBar()->connectButton(), Qt::LeftButton);
        QVERIFY(window.statusPanel()->showsFault());
        QVERIFY(window.statusPanel()->stateText().contains("#d32f2f"));
        QVERIFY(!window.controller()->connection());
    }

    // QStatusBar::showMessage() text shows, whole, on a 1366x768 screen (the status panel stretched over
    // the area QStatusBar draws it in, so it never showed): in place of the state, beside it for a fault.
    void transientMessagesShowInTheStatusBar() {
        MainWindow window(clientSideOnly());
        window.resize(1366, 740);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        StatusPanel* panel = window.statusPanel();
        QVERIFY(!panel->showsMessage());
        const QString message = "Exported 12 rows to /tmp/framescope-capture.jsonl.";
        window.statusBar()->showMessage(message, 60000);
        QVERIFY(panel->showsMessage());
        QLabel* label = panel->messageLabel();
        QTRY_VERIFY(label->isVisible());
        QCOMPARE(label->text(), message);
        QTRY_VERIFY(label->width() >= label->fontMetrics().horizontalAdvance(message));
        const QRect inWindow(label->mapTo(&window, QPoint(0, 0)), label->size());
        QVERIFY(window.rect().contains(inWindow));
        QVERIFY(!panel->stateLabel()->isVisible());
        window.statusBar()->clearMessage();
        QVERIFY(!label->isVisible());
        QVERIFY(panel->stateLabel()->isVisible());

        window.connectionBar()->setUrl("http://example.com/");  // a fault stays in sight beside a message
        QTest::mouseClick(window.connectionBar()->connectButton(), Qt::LeftButton);
        QVERIFY(panel->showsFault());
        window.statusBar()->showMessage(message, 60000);
        QVERIFY(label->isVisible());
        QVERIFY(panel->stateLabel()->isVisible());
    }

    void typedUrlRefusedIsAFault() {
        MainWindow window(clientSideOnly());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_L));  // selects the URL
        QTest::keyClicks(QApplication::focusWidget(), "ws://127.0.0.1:1/");
        QCOMPARE(window.connectionBar()->url(), QString("ws://127.0.0.1:1/"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(window.statusPanel()->showsFault(), kTimeoutMs);
        QCOMPARE(window.connectionBar()->connectButton()->text(), QString("Connect"));
        QCOMPARE(window.connectionBar()->history().value(0), QString("ws://127.0.0.1:1/"));
    }

    void clearCaptureEmptiesLogAndInspector() {
        MainWindow window(clientSideOnly());
        window.show();
        connectWindow(window);
        typeAndSend(window, "to be cleared");
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            findRow(store, frameWith(opcode::kText, Direction::Incoming, "to be cleared")), kTimeoutMs);
        window.selectStoreRow(
            *findRow(store, frameWith(opcode::kText, Direction::Incoming, "to be cleared")));
        QTRY_VERIFY(window.inspector()->hasFrame());
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_K));
        QCOMPARE(window.logView()->model()->rowCount(), 0);
        QVERIFY(!window.inspector()->hasFrame());
    }

    void settingsPersist() {
        {
            MainWindow window(clientSideOnly());
            window.show();
            window.connectionBar()->setHistory({"ws://a.example/", "wss://b.example/x"});
            app::ConnectionOptions options = window.connectionOptions();
            options.headers = {{"Authorization", "Bearer x"}};
            options.subprotocols = {"chat", "v2"};
            options.keepAlive.pingIntervalMs = 2500;
            options.deflate.reset();
            window.setConnectionOptions(options);
            window.absoluteTimeAction()->setChecked(true);
            window.setTheme(Theme::Dark);
            window.mainSplitter()->setSizes({700, 740});
            window.toolTabs()->setCurrentIndex(MainWindow::CrafterTab);
            window.close();  // saves
        }
        MainWindow window(clientSideOnly());
        window.show();
        QCOMPARE(window.connectionBar()->history(), QStringList({"ws://a.example/", "wss://b.example/x"}));
        QCOMPARE(window.connectionBar()->url(), window.controller()->serverUrl().toString());
        QCOMPARE(window.connectionOptions().headers.value(0).second, QString("Bearer x"));
        QCOMPARE(window.connectionOptions().subprotocols, QStringList({"chat", "v2"}));
        QCOMPARE(window.connectionOptions().keepAlive.pingIntervalMs, 2500);
        QVERIFY(!window.connectionOptions().deflate.has_value());
        QVERIFY(window.absoluteTimeAction()->isChecked());
        QCOMPARE(window.controller()->model()->timeFormat(), app::TimeFormat::Absolute);
        QCOMPARE(window.theme(), Theme::Dark);
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
        window.setTheme(Theme::System);
        window.close();
    }

    void shortcutsReachTheirTargets() {
        MainWindow window(clientSideOnly());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.logView()->table()->setFocus();
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_L));
        QVERIFY(window.connectionBar()->urlCombo()->hasFocus());
        QTest::keySequence(&window, QKeySequence::Find);
        QVERIFY(window.logView()->filterBar()->searchEdit()->hasFocus());
        QTest::keySequence(&window, QKeySequence(Qt::ALT | Qt::Key_2));
        QCOMPARE(window.toolTabs()->currentIndex(), int(MainWindow::CrafterTab));
        window.connectionBar()->focusUrl();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), kTimeoutMs);
        QTest::keySequence(&window, QKeySequence(Qt::Key_F5));  // reconnect: a new connection id
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->connectionId(), 2u, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), kTimeoutMs);
    }

private:
    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
