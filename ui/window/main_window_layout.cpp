// MainWindow's layout: two pages (Capture, Benchmarks) switched from the connection bar's row; the Capture
// page's splitter (connections list | log over tools | inspector); the first size from the screen; and the
// layout's settings (geometry, splitters, page, tool, log columns, connections list shown).
#include <QAction>
#include <QButtonGroup>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
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

#include "capture/connection_list_model.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "widgets/icons.h"
#include "window/benchmarks_page.h"
#include "window/connection_bar.h"
#include "window/connections_panel.h"
#include "window/frame_log_view.h"
#include "window/handshake_dialog.h"
#include "window/intercept_panel.h"
#include "window/main_window.h"
#include "window/protocol_composer.h"
#include "window/session_controller.h"
#include "window/status_panel.h"

namespace framescope::ui {

namespace {

constexpr int kConnectionsListWidth = 220;

// A tool scrolls only when the window is smaller than the layout was made for (below 1366x768).
QScrollArea* scrollable(QWidget* widget) {
    auto* area = new QScrollArea;
    area->setWidget(widget);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QToolButton* pageButton(const QString& text, const QString& tip) {
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

}  // namespace

// The first size, before any remembered geometry: the whole available area of a small screen (a 1366x768
// laptop, where every pixel counts), 90 % of a larger one.
QSize MainWindow::firstWindowSize() {
    const QSize fallback(1440, 900);
    const QScreen* screen = QGuiApplication::primaryScreen();
    if (screen == nullptr) return fallback;
    const QSize available = screen->availableGeometry().size();
    if (available.width() <= 1600 || available.height() <= 900) return available;
    return available * 9 / 10;
}

void MainWindow::buildWidgets() {
    bar_ = new ConnectionBar;
    pages_ = new QStackedWidget;
    pages_->addWidget(buildCapturePage());
    benchmarksPage_ = createBenchmarksPage(QUrl());  // the load target starts with the page (setPage)
    pages_->addWidget(scrollable(benchmarksPage_));

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 6, 0);
    top->setSpacing(0);
    top->addWidget(bar_, 1);
    top->addWidget(buildPageSwitch());
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(pages_, 1);
    setCentralWidget(central);

    status_ = new StatusPanel;
    statusBar()->addPermanentWidget(status_, 1);
    // The panel stretches over the area where QStatusBar draws its messages: it shows them itself.
    connect(statusBar(), &QStatusBar::messageChanged, status_, &StatusPanel::showMessage);
    handshake_ = new HandshakeDialog(this);
}

QWidget* MainWindow::buildCapturePage() {
    log_ = new FrameLogView(controller_->model());
    composer_ = new Composer;
    crafter_ = new FrameCrafter;
    crafter_->setRole(SenderRole::Client);
    adaptCrafterShortcut();
    protocolComposer_ = new ProtocolComposer;
    tools_ = new QTabWidget;
    tools_->setDocumentMode(true);
    tools_->addTab(scrollable(composer_), icon(QStringLiteral("send")), tr("Composer"));
    tools_->addTab(scrollable(crafter_), icon(QStringLiteral("dice")), tr("Frame crafter"));
    tools_->addTab(scrollable(protocolComposer_), tr("Compose as…"));
    intercept_ = new InterceptPanel;
    tools_->addTab(scrollable(intercept_), tr("Intercept"));
    tools_->setTabToolTip(InterceptTab,
                          tr("Hold, edit, drop and inject the messages crossing the proxy started with the "
                             "Proxy button (Alt+4)"));
    tools_->setTabToolTip(ComposerTab, tr("Send text, JSON, binary, pings and closes (Alt+1)"));
    tools_->setTabToolTip(CrafterTab, tr("Build any frame bit by bit, broken ones included (Alt+2)"));
    tools_->setTabToolTip(ProtocolComposerTab,
                          tr("A Socket.IO emit, STOMP SEND, MQTT PUBLISH or GraphQL subscribe, with the "
                             "bytes it sends (Alt+3)"));

    leftSplitter_ = new QSplitter(Qt::Vertical);
    leftSplitter_->setObjectName(QStringLiteral("leftSplitter"));
    leftSplitter_->addWidget(log_);
    leftSplitter_->addWidget(tools_);
    leftSplitter_->setStretchFactor(0, 1);
    leftSplitter_->setStretchFactor(1, 0);

    connectionsModel_ =
        new app::ConnectionListModel(controller_->store(), SessionController::kServerConnectionBase, this);
    connectionsPanel_ = new ConnectionsPanel(connectionsModel_);
    mainSplitter_ = new QSplitter(Qt::Horizontal);
    mainSplitter_->setObjectName(QStringLiteral("captureSplitter"));
    mainSplitter_->addWidget(connectionsPanel_);
    mainSplitter_->addWidget(leftSplitter_);
    mainSplitter_->addWidget(buildInspectorPane());
    mainSplitter_->setStretchFactor(0, 0);
    mainSplitter_->setStretchFactor(1, 3);
    mainSplitter_->setStretchFactor(2, 2);
    mainSplitter_->setCollapsible(1, false);
    return mainSplitter_;
}

QWidget* MainWindow::buildInspectorPane() {
    inspector_ = new FrameInspector;
    noteView_ = new QPlainTextEdit;
    noteView_->setReadOnly(true);
    noteView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    noteView_->setToolTip(tr("A note of the capture: a handshake head or a status sentence."));
    detailStack_ = new QStackedWidget;
    detailStack_->addWidget(inspector_);
    detailStack_->addWidget(noteView_);
    return detailStack_;
}

// Two exclusive buttons at the end of the URL row, like a segmented control: Capture and Benchmarks.
QWidget* MainWindow::buildPageSwitch() {
    pageButtons_ = new QButtonGroup(this);
    pageButtons_->setExclusive(true);
    pageButtons_->addButton(
        pageButton(tr("Capture"), tr("The connections, the frame log, the tools and the inspector (Ctrl+1)")),
        CapturePage);
    pageButtons_->addButton(pageButton(tr("Benchmarks"), tr("Codec benchmarks and load runs (Ctrl+2)")),
                            BenchmarksPage);
    pageButtons_->button(CapturePage)->setChecked(true);
    connect(pageButtons_, &QButtonGroup::idClicked, this, [this](int id) { setPage(Page(id)); });
    auto* box = new QWidget;
    box->setObjectName(QStringLiteral("pageSwitch"));
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->setSpacing(2);
    for (QAbstractButton* button : pageButtons_->buttons())
        layout->addWidget(button);
    return box;
}

MainWindow::Page MainWindow::page() const {
    return Page(pages_->currentIndex());
}

void MainWindow::setPage(Page page) {
    if (page == BenchmarksPage && !loadTargetSet_ && windowOptions_.startServer) {
        loadTargetSet_ = true;
        setBenchmarksTarget(benchmarksPage_, controller_->loadTargetUrl());
    }
    pages_->setCurrentIndex(page);
    if (QAbstractButton* button = pageButtons_->button(page); !button->isChecked()) button->setChecked(true);
}

void MainWindow::setConnectionsListShown(bool shown) {
    connectionsPanel_->setVisible(shown);
    if (connectionsAction_ && connectionsAction_->isChecked() != shown) connectionsAction_->setChecked(shown);
}

void MainWindow::applyDefaultLayout() {
    const int width = this->width();
    const bool wide = width >= kConnectionsListMinWindowWidth;
    const int list = wide ? kConnectionsListWidth : 0;
    // Wide windows give the inspector room for the RFC drawing's 32-bit rows; narrow ones fold it to 16.
    const int inspector = qMax(460, (width - list) * (wide ? 9 : 2) / (wide ? 20 : 5));
    mainSplitter_->setSizes({kConnectionsListWidth, width - list - inspector, inspector});
    const int height = this->height();
    const int tools = qBound(300, height * 2 / 5, 420);
    leftSplitter_->setSizes({height - tools, tools});
    setConnectionsListShown(wide);
}

void MainWindow::saveLayout(QSettings& settings) const {
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("layout/captureSplitter", mainSplitter_->saveState());
    settings.setValue("layout/centreSplitter", leftSplitter_->saveState());
    settings.setValue("layout/page", int(page()));
    settings.setValue("layout/tool", tools_->currentIndex());
    settings.setValue("layout/connectionsList", !connectionsPanel_->isHidden());
    const QHeaderView* columns = log_->table()->horizontalHeader();
    settings.setValue("layout/logColumns", columns->saveState());
    settings.setValue("layout/logColumnCount", columns->count());
}

void MainWindow::restoreLayout(QSettings& settings) {
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    mainSplitter_->restoreState(settings.value("layout/captureSplitter").toByteArray());
    leftSplitter_->restoreState(settings.value("layout/centreSplitter").toByteArray());
    setPage(Page(qBound(0, settings.value("layout/page", 0).toInt(), 1)));
    tools_->setCurrentIndex(settings.value("layout/tool", 0).toInt());
    if (settings.contains("layout/connectionsList"))
        setConnectionsListShown(settings.value("layout/connectionsList").toBool());
    QHeaderView* columns = log_->table()->horizontalHeader();
    // A layout saved with other columns (an older or newer log) would put widths on the wrong columns.
    if (settings.value("layout/logColumnCount").toInt() == columns->count())
        columns->restoreState(settings.value("layout/logColumns").toByteArray());
}

}  // namespace framescope::ui
