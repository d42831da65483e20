// MainWindow: widgets, layout, wiring to the SessionController, and settings. Menus, dialogs and export are
// in main_window_actions.cpp.
#include "window/main_window.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "capture/capture_save_job.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "widgets/frame_plan.h"
#include "widgets/icons.h"
#include "window/benchmarks_page.h"
#include "window/connection_bar.h"
#include "window/connection_settings.h"
#include "window/connections_panel.h"
#include "window/filter_bar.h"
#include "window/frame_data_adapter.h"
#include "window/frame_log_view.h"
#include "window/handshake_dialog.h"
#include "window/protocol_composer.h"
#include "window/session_controller.h"
#include "window/status_panel.h"

namespace framescope::ui {

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent), windowOptions_(options), options_(defaultWindowOptions()) {
    setWindowTitle(tr("FrameScope"));
    setWindowIcon(icon(QStringLiteral("framescope")));
    controller_ = new SessionController(options.storeOptions, this);
    buildWidgets();
    setupRetention();
    setupFileJob();
    buildMenus();
    connectSignals();
    connectTools();
    connectProxy();
    if (options.startServer) startServer(options.serverPort);
    resize(firstWindowSize());
    applyDefaultLayout();
    if (options.restoreSettings) restoreSettings();
    if (controller_->serverRunning()) bar_->setUrl(controller_->serverUrl().toString());
    updateEmptyText();
    updateRowCounts();
}

// The store (the controller's) goes before the save job among the children: stop a write that reads it.
MainWindow::~MainWindow() {
    saveJob_->cancelAndWait();
}

// The crafter's Send button carries a window-wide Ctrl+Return, which would make the connection bar's and
// the composer's Ctrl+Return ambiguous: keep it, but only while the focus is inside the crafter.
void MainWindow::adaptCrafterShortcut() {
    const QKeySequence sendKey(Qt::CTRL | Qt::Key_Return);
    for (QPushButton* button : crafter_->findChildren<QPushButton*>()) {
        if (button->shortcut() == sendKey) button->setShortcut(QKeySequence());
    }
    auto* send = new QAction(crafter_);
    send->setShortcut(sendKey);
    send->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(send, &QAction::triggered, crafter_, &FrameCrafter::send);
    crafter_->addAction(send);
}

void MainWindow::startServer(quint16 port) {
    QString error;
    if (!controller_->startServer(port, &error, &serverNote_, windowOptions_.captureServerSide))
        serverError_ = error;
}

void MainWindow::connectSignals() {
    connect(bar_, &ConnectionBar::connectRequested, this, &MainWindow::connectToUrl);
    connect(bar_, &ConnectionBar::disconnectRequested, this, &MainWindow::disconnectFromPeer);
    connect(bar_, &ConnectionBar::settingsRequested, this, &MainWindow::showConnectionDialog);
    connect(controller_, &SessionController::stateChanged, this, &MainWindow::onStateChanged);
    connect(controller_, &SessionController::opened, this, &MainWindow::onOpened);
    connect(controller_, &SessionController::timingUpdated, status_, &StatusPanel::setTiming);
    connect(controller_, &SessionController::commandFailed, this,
            [this](const QString& sentence) { statusBar()->showMessage(sentence, 6000); });
    connect(status_, &StatusPanel::handshakeRequested, this, &MainWindow::showHandshake);
    connect(connectionsPanel_, &ConnectionsPanel::closeRequested, this, [this](quint32 id) {
        if (!controller_->closeConnection(id))
            statusBar()->showMessage(tr("Connection %1 is not open.").arg(id), 6000);
    });
    // Choosing a connection in the list narrows the log to it; "Show all" (id 0) widens it again.
    connect(connectionsPanel_, &ConnectionsPanel::connectionChosen, this, [this](quint32 id) {
        if (id == 0) {
            log_->filterBar()->showAllConnections();
        } else {
            log_->filterBar()->selectConnection(id);
        }
    });
    log_->filterBar()->setConnectionsModel(connectionsModel_);  // the combo names peers and states
    connect(log_, &FrameLogView::storeRowSelected, this,
            [this](qulonglong row) { showStoreRow(static_cast<size_t>(row)); });
    log_->table()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(log_->table(), &QWidget::customContextMenuRequested, this, &MainWindow::showLogContextMenu);
    connect(log_, &FrameLogView::selectionCleared, this, [this] {
        inspector_->clear();
        detailStack_->setCurrentWidget(inspector_);
    });
    connect(inspector_, &FrameInspector::siblingActivated, this,
            [this](qint64 number) { selectStoreRow(storeRowOfNumber(number)); });
    app::CaptureModel* model = controller_->model();
    connect(model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateRowCounts);
    connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateRowCounts);
    connect(model, &app::CaptureModel::decoderChoiceChanged, this, [this] {
        if (detailStack_->currentWidget() == inspector_ && inspector_->hasFrame())
            showStoreRow(storeRowOfNumber(inspector_->frame().index));
    });
}

void MainWindow::connectTools() {
    connect(composer_, &Composer::sendText, controller_, &SessionController::sendText);
    connect(composer_, &Composer::sendBinary, controller_, &SessionController::sendBinary);
    connect(composer_, &Composer::pingRequested, controller_, &SessionController::sendPing);
    connect(composer_, &Composer::closeRequested, controller_, &SessionController::sendClose);
    connect(composer_, &Composer::startRepeat, controller_, &SessionController::startRepeat);
    connect(composer_, &Composer::stopRepeat, controller_, &SessionController::stopRepeat);
    connect(controller_, &SessionController::repeatStopped, composer_, &Composer::stopRepeating);
    connect(crafter_, &FrameCrafter::sendRequested, this, &MainWindow::sendCrafted);
    connect(protocolComposer_, &ProtocolComposer::sendText, controller_, &SessionController::sendText);
    connect(protocolComposer_, &ProtocolComposer::sendBinary, controller_, &SessionController::sendBinary);
    connect(protocolComposer_, &ProtocolComposer::crafterRequested, this,
            [this](bool binary, const QByteArray& bytes) {
                FrameData frame;
                frame.header.opcode = binary ? opcode::kBinary : opcode::kText;
                frame.header.fin = true;
                frame.header.masked = true;
                frame.header.payloadLength = quint64(bytes.size());
                frame.payload = bytes;
                frame.payloadLength = quint64(bytes.size());
                crafter_->setState(crafterStateFromFrame(frame));
                tools_->setCurrentIndex(CrafterTab);
            });
}

void MainWindow::connectToUrl() {
    const QString text = bar_->url();
    const QUrl url = QUrl::fromUserInput(text);
    if (text.isEmpty() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        status_->setState(
            app::ConnectionState::Failed,
            tr("“%1” is not a ws:// or wss:// URL.").arg(text.isEmpty() ? tr("(empty)") : text));
        bar_->focusUrl();
        return;
    }
    app::ConnectionOptions options = options_;
    options.url = url;
    if (url != controller_->serverUrl()) bar_->addToHistory(text);
    status_->reset();
    crafter_->setRsv1Negotiated(false);
    controller_->connectTo(options);
    bar_->setActive(true);
    updateEmptyText();
}

void MainWindow::disconnectFromPeer() {
    composer_->stopRepeating();
    controller_->disconnectFromPeer();
}

void MainWindow::reconnect() {
    connectToUrl();
}

void MainWindow::clearCapture() {
    saveJob_->cancelAndWait();  // clearing waits for the lease of a save or export running
    controller_->model()->clear();
    inspector_->clear();
    noteView_->clear();
    detailStack_->setCurrentWidget(inspector_);
    log_->resumeAutoscroll();
}

void MainWindow::onStateChanged(app::ConnectionState state, const QString& sentence) {
    status_->setState(state, sentence);
    bar_->setActive(controller_->isActive());
    if (!controller_->isActive()) composer_->stopRepeating();
}

void MainWindow::onOpened(const QString& subprotocol, const QString& extensions) {
    status_->setNegotiated(subprotocol, extensions);
    // RFC 7692 §6: with permessage-deflate, RSV1 marks a compressed message's first frame.
    crafter_->setRsv1Negotiated(extensions.contains(QLatin1String("permessage-deflate")));
}

void MainWindow::selectStoreRow(qulonglong storeRow) {
    if (storeRow >= controller_->store().size()) return;
    if (!log_->selectStoreRow(static_cast<size_t>(storeRow))) showStoreRow(static_cast<size_t>(storeRow));
}

void MainWindow::showStoreRow(size_t storeRow) {
    const app::CaptureStore& store = controller_->store();
    if (storeRow >= store.size()) return;
    const app::CaptureRecord& record = store.record(storeRow);
    if (record.isNote()) {
        const std::string_view text = store.noteText(storeRow);
        noteView_->setPlainText(QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())));
        detailStack_->setCurrentWidget(noteView_);
        return;
    }
    inspector_->setFrame(frameDataFromCapture(store, storeRow, &controller_->model()->decodedCache()));
    detailStack_->setCurrentWidget(inspector_);
}

void MainWindow::updateRowCounts() {
    status_->setRowCounts(controller_->model()->rowCount(),
                          static_cast<qsizetype>(controller_->store().size()));
}

void MainWindow::updateEmptyText() {
    if (!serverError_.isEmpty()) {
        log_->setEmptyText(tr("The built-in echo server could not start: %1\n\nType a ws:// or wss:// URL "
                              "above and press Connect.")
                               .arg(serverError_));
    } else if (controller_->serverRunning()) {
        log_->setEmptyText(
            tr("%2Press Connect to talk to the built-in echo server at %1\n\nor type any "
               "ws:// or wss:// URL above (Ctrl+L). Frames in both directions appear here.")
                .arg(controller_->serverUrl().toString(),
                     serverNote_.isEmpty() ? QString() : serverNote_ + QStringLiteral("\n\n")));
    } else {
        log_->setEmptyText(
            tr("Type a ws:// or wss:// URL above and press Connect. Frames in both "
               "directions appear here."));
    }
}

void MainWindow::setConnectionOptions(const app::ConnectionOptions& options) {
    options_ = options;
    options_.url = QUrl();
    updateInsecureWarning();
}

void MainWindow::updateInsecureWarning() {
    bar_->setWarning(options_.tls.ignoreCertificateErrors ? tr("⚠ TLS errors ignored") : QString());
}

void MainWindow::setAbsoluteTime(bool absolute) {
    controller_->model()->setTimeFormat(absolute ? app::TimeFormat::Absolute : app::TimeFormat::Relative);
    if (absoluteTime_->isChecked() != absolute) absoluteTime_->setChecked(absolute);
}

void MainWindow::saveSettings() const {
    QSettings settings;
    saveLayout(settings);
    settings.setValue("view/theme", themeName(theme_));
    settings.setValue("view/absoluteTime", absoluteTime_->isChecked());
    settings.setValue("view/hideControl", log_->filterBar()->hideControlSwitch()->isChecked());
    settings.setValue("view/bothLegs", log_->filterBar()->bothLegsSwitch()->isChecked());
    settings.setValue("recentUrls", bar_->history());
    saveConnectionOptions(settings, options_);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreLayout(settings);
    setTheme(themeFromName(settings.value("view/theme").toString()));
    setAbsoluteTime(settings.value("view/absoluteTime", false).toBool());
    log_->filterBar()->hideControlSwitch()->setChecked(settings.value("view/hideControl", false).toBool());
    log_->filterBar()->bothLegsSwitch()->setChecked(settings.value("view/bothLegs", false).toBool());
    bar_->setHistory(settings.value("recentUrls").toStringList());
    setConnectionOptions(loadConnectionOptions(settings));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (windowOptions_.restoreSettings) saveSettings();
    QMainWindow::closeEvent(event);
}

}  // namespace framescope::ui
