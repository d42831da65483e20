// MainWindow: menus and their keyboard shortcuts, the connection and handshake dialogs, export, themes.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>

#include "widgets/composer.h"
#include "widgets/icons.h"
#include "window/connection_bar.h"
#include "window/connection_dialog.h"
#include "window/connections_panel.h"
#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/handshake_dialog.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

QAction* menuAction(QMenu* menu, const QString& text, const QKeySequence& key, const QString& tip,
                    const QString& iconName = {}) {
    QAction* action = menu->addAction(text);
    if (!key.isEmpty()) action->setShortcut(key);
    action->setStatusTip(tip);
    action->setToolTip(tip);
    if (!iconName.isEmpty()) action->setIcon(icon(iconName));
    return action;
}

}  // namespace

void MainWindow::buildMenus() {
    buildFileMenu();
    buildConnectionMenu();
    buildViewMenu();
    buildHelpMenu();
}

void MainWindow::buildFileMenu() {
    QMenu* menu = menuBar()->addMenu(tr("&File"));
    connect(menuAction(menu, tr("&Open capture…"), QKeySequence::Open,
                       tr("Open a FrameScope session, a pcap/pcapng capture (WebSocket connections are "
                          "decoded) or a HAR file from browser DevTools.")),
            &QAction::triggered, this, &MainWindow::showOpenDialog);
    connect(menuAction(menu, tr("&Save capture…"), QKeySequence::Save,
                       tr("Save every row as a FrameScope session, pcapng, HAR, JSON Lines or CSV.")),
            &QAction::triggered, this, [this] { showSaveDialog(SaveScope::All); });
    connect(menuAction(menu, tr("Save &filtered rows…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                       tr("Save only the rows the filter shows.")),
            &QAction::triggered, this, [this] { showSaveDialog(SaveScope::Filtered); });
    connect(menuAction(menu, tr("Save se&lected rows…"), {}, tr("Save only the selected rows.")),
            &QAction::triggered, this, [this] { showSaveDialog(SaveScope::Selection); });
    QAction* spill =
        menuAction(menu, tr("Spill oldest rows to disk past 2 GiB"), {},
                   tr("Past the capture limit, keep the oldest rows in a session file in the app's "
                      "data folder (checked) or drop them (unchecked)."));
    spill->setCheckable(true);
    spill->setChecked(true);
    const std::string spillPath = retention_->options().spillPath;
    connect(spill, &QAction::toggled, this, [this, spillPath](bool on) {
        app::RetentionOptions options = retention_->options();
        options.spillPath = on ? spillPath : std::string();
        setCaptureRetention(options);
    });
    menu->addSeparator();
    connect(menuAction(menu, tr("&Export conversation…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                       tr("Save every captured frame and note as JSON Lines, CSV or text."),
                       QStringLiteral("export")),
            &QAction::triggered, this, [this] { showExportDialog(SaveScope::All); });
    connect(menuAction(menu, tr("Export selec&tion…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                       tr("Save the selected rows as JSON Lines, CSV or text.")),
            &QAction::triggered, this, [this] { showExportDialog(SaveScope::Selection); });
    connect(menuAction(menu, tr("&Clear capture"), QKeySequence(Qt::CTRL | Qt::Key_K),
                       tr("Drop every captured row and free its memory."), QStringLiteral("clear")),
            &QAction::triggered, this, &MainWindow::clearCapture);
    menu->addSeparator();
    connect(menuAction(menu, tr("&Quit"), QKeySequence::Quit, tr("Close FrameScope.")), &QAction::triggered,
            this, &QWidget::close);
}

void MainWindow::buildConnectionMenu() {
    QMenu* menu = menuBar()->addMenu(tr("&Connection"));
    // Ctrl+Return connects while the focus is in the connection bar; the composer and the crafter use the
    // same keys to send.
    connectAction_ = menuAction(menu, tr("&Connect / disconnect"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                                tr("Connect to the URL, or close the connection (Ctrl+Return in the URL)."),
                                QStringLiteral("connect"));
    connectAction_->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connectAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    bar_->addAction(connectAction_);
    connect(connectAction_, &QAction::triggered, this,
            [this] { controller_->isActive() ? disconnectFromPeer() : connectToUrl(); });
    connect(menuAction(menu, tr("&Reconnect"), QKeySequence(Qt::Key_F5),
                       tr("Open a new connection to the URL (the current one is closed).")),
            &QAction::triggered, this, &MainWindow::reconnect);
    connect(menuAction(menu, tr("&Disconnect"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
                       tr("Send a close frame with 1000 and wait for the server's."),
                       QStringLiteral("disconnect")),
            &QAction::triggered, this, &MainWindow::disconnectFromPeer);
    menu->addSeparator();
    connect(
        menuAction(menu, tr("Focus the &URL"), QKeySequence(Qt::CTRL | Qt::Key_L), tr("Type another URL.")),
        &QAction::triggered, bar_, &ConnectionBar::focusUrl);
    connect(menuAction(menu, tr("Use the &built-in server"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
                       tr("Put the built-in echo server's URL in the connection bar.")),
            &QAction::triggered, this, [this] {
                if (controller_->serverRunning()) bar_->setUrl(controller_->serverUrl().toString());
            });
    connect(menuAction(menu, tr("&Options…"), QKeySequence(Qt::CTRL | Qt::Key_Comma),
                       tr("Headers, subprotocols, TLS, proxy, compression, keep-alive, reconnect."),
                       QStringLiteral("settings")),
            &QAction::triggered, this, &MainWindow::showConnectionDialog);
    connect(menuAction(menu, tr("&Handshake…"), QKeySequence(Qt::CTRL | Qt::Key_H),
                       tr("The HTTP upgrade request and response of the current connection."),
                       QStringLiteral("handshake")),
            &QAction::triggered, this, &MainWindow::showHandshake);
    menu->addSeparator();
    connect(menuAction(menu, tr("Send &ping"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
                       tr("Send a ping with the composer's ping payload."), QStringLiteral("ping")),
            &QAction::triggered, composer_, &Composer::sendPing);
}

void MainWindow::buildViewMenu() {
    QMenu* menu = menuBar()->addMenu(tr("&View"));
    connect(menuAction(menu, tr("&Find in payloads"), QKeySequence::Find,
                       tr("Search payloads as text, regex or hex.")),
            &QAction::triggered, log_->filterBar(), &FilterBar::focusSearch);
    QAction* hideControl = menuAction(menu, tr("Hide &control frames"), QKeySequence(Qt::CTRL | Qt::Key_J),
                                      tr("Hide ping, pong and close frames."));
    hideControl->setCheckable(true);
    QCheckBox* hideSwitch = log_->filterBar()->hideControlSwitch();
    connect(hideControl, &QAction::toggled, hideSwitch, &QCheckBox::setChecked);
    connect(hideSwitch, &QCheckBox::toggled, hideControl, &QAction::setChecked);
    absoluteTime_ = menuAction(menu, tr("&Absolute time"), QKeySequence(Qt::CTRL | Qt::Key_T),
                               tr("Show wall-clock times instead of seconds since the first row."));
    absoluteTime_->setCheckable(true);
    connect(absoluteTime_, &QAction::toggled, this, &MainWindow::setAbsoluteTime);
    auto* timeButton = new QToolButton;
    timeButton->setDefaultAction(absoluteTime_);
    timeButton->setText(tr("Clock time"));
    log_->filterBar()->addTrailingWidget(timeButton);
    connect(menuAction(menu, tr("&Follow new frames"), QKeySequence(Qt::CTRL | Qt::Key_End),
                       tr("Scroll to the bottom and resume autoscroll.")),
            &QAction::triggered, log_, &FrameLogView::resumeAutoscroll);
    menu->addSeparator();
    const QString pageNames[] = {tr("&Capture page"), tr("&Benchmarks page")};
    for (int page = CapturePage; page <= BenchmarksPage; ++page) {
        connect(menuAction(menu, pageNames[page], QKeySequence(Qt::CTRL | (Qt::Key_1 + page)),
                           tr("Show this page.")),
                &QAction::triggered, this, [this, page] { setPage(Page(page)); });
    }
    connectionsAction_ =
        menuAction(menu, tr("Co&nnections list"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
                   tr("Show or hide the list of every connection in the capture."));
    connectionsAction_->setCheckable(true);
    connectionsAction_->setChecked(!connectionsPanel_->isHidden());
    connect(connectionsAction_, &QAction::toggled, this, &MainWindow::setConnectionsListShown);
    connect(
        menuAction(menu, tr("&Reset layout"), {}, tr("Splitter sizes made for the window's present size.")),
        &QAction::triggered, this, &MainWindow::applyDefaultLayout);
    menu->addSeparator();
    const QString toolNames[] = {tr("C&omposer"), tr("C&rafter"), tr("Compose &as…"), tr("&Intercept")};
    for (int tool = ComposerTab; tool <= InterceptTab; ++tool) {
        connect(menuAction(menu, toolNames[tool], QKeySequence(Qt::ALT | (Qt::Key_1 + tool)),
                           tr("Show this tool.")),
                &QAction::triggered, this, [this, tool] {
                    setPage(CapturePage);
                    tools_->setCurrentIndex(tool);
                    tools_->currentWidget()->setFocus(Qt::ShortcutFocusReason);
                });
    }
    menu->addSeparator();
    QMenu* themes = menu->addMenu(tr("&Theme"));
    themeGroup_ = new QActionGroup(this);
    const std::pair<Theme, QString> choices[] = {
        {Theme::System, tr("&System")}, {Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto& choice : choices) {
        const Theme theme = choice.first;  // a lambda cannot capture a structured binding before clang 16
        QAction* action = themes->addAction(choice.second);
        action->setCheckable(true);
        action->setChecked(theme == theme_);
        action->setData(int(theme));
        themeGroup_->addAction(action);
        connect(action, &QAction::triggered, this, [this, theme] { setTheme(theme); });
    }
}

void MainWindow::buildHelpMenu() {
    QMenu* menu = menuBar()->addMenu(tr("&Help"));
    connect(
        menuAction(menu, tr("&Keyboard shortcuts"), QKeySequence::HelpContents, tr("List the shortcuts.")),
        &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(menuAction(menu, tr("&About FrameScope"), {}, tr("Version and licence.")), &QAction::triggered,
            this, [this] {
                QMessageBox::about(this, tr("About FrameScope"),
                                   tr("<b>FrameScope %1</b><p>A WebSocket debugger: every frame in both "
                                      "directions down to its header bits, and any frame you can think of, "
                                      "sent.</p>")
                                       .arg(QApplication::applicationVersion()));
            });
}

void MainWindow::showShortcuts() {
    QStringList rows;
    for (QAction* menuAction : menuBar()->actions()) {
        const QMenu* menu = menuAction->menu();
        if (!menu) continue;
        for (QAction* action : menu->actions()) {
            if (action->shortcut().isEmpty()) continue;
            rows << QStringLiteral("<tr><td>%1&nbsp;&nbsp;</td><td><b>%2</b></td></tr>")
                        .arg(action->text().remove(QLatin1Char('&')),
                             action->shortcut().toString(QKeySequence::NativeText));
        }
    }
    rows << tr("<tr><td>Send (composer, crafter)&nbsp;&nbsp;</td><td><b>Ctrl+Return</b></td></tr>");
    QMessageBox::information(this, tr("Keyboard shortcuts"),
                             QStringLiteral("<table>%1</table>").arg(rows.join(QString())));
}

void MainWindow::setTheme(Theme theme) {
    theme_ = theme;
    applyTheme(theme);
    if (!themeGroup_) return;
    for (QAction* action : themeGroup_->actions())
        action->setChecked(action->data().toInt() == int(theme));
}

void MainWindow::showConnectionDialog() {
    ConnectionDialog dialog(this);
    dialog.setOptions(options_);
    if (dialog.exec() != QDialog::Accepted) return;
    setConnectionOptions(dialog.options());
    if (windowOptions_.restoreSettings) saveSettings();
}

void MainWindow::showHandshake() {
    const uint32_t id = controller_->connectionId();
    handshake_->setHandshake(id, findHandshake(controller_->store(), id));
    handshake_->show();
    handshake_->raise();
}

void MainWindow::showExportDialog(SaveScope scope) {
    const QString jsonl = tr("JSON Lines, every field (*.jsonl)");
    const QString csv = tr("CSV, the log's columns (*.csv)");
    const QString text = tr("Text, tab-separated (*.txt)");
    QString filter = jsonl;
    const QString path = QFileDialog::getSaveFileName(
        this, scope == SaveScope::Selection ? tr("Export the selected rows") : tr("Export the conversation"),
        QStringLiteral("framescope-capture.jsonl"), QStringList{jsonl, csv, text}.join(QStringLiteral(";;")),
        &filter);
    if (path.isEmpty()) return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    app::ExportFormat format = app::ExportFormat::JsonLines;
    if (suffix == QLatin1String("csv") || (suffix != QLatin1String("jsonl") && filter == csv)) {
        format = app::ExportFormat::Csv;
    } else if (suffix == QLatin1String("txt") || (suffix != QLatin1String("jsonl") && filter == text)) {
        format = app::ExportFormat::Text;
    }
    QString error;
    if (startExport(path, format, scope, &error)) {
        fileJobDialogs_ = true;
    } else {
        QMessageBox::warning(this, tr("Export failed"), error);
    }
}

}  // namespace framescope::ui
