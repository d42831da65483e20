// The FrameScope window: the connection bar and the page switch over two pages, and a status bar with the
// state, negotiated extensions, timing and the handshake viewer. The Capture page is a splitter of the
// connections list | the live frame log over the tools (composer, crafter, compose as…) | the frame
// inspector; the Benchmarks page gives the codec benchmarks and load runs the whole window. Joins ui/widgets
// to app/ through a SessionController (signals and queued calls only). Layout (geometry, splitters, page,
// tool, log columns), recent URLs, connection options, theme and time format persist in QSettings.
#pragma once

#include <QMainWindow>

#include <memory>
#include <optional>
#include <vector>

#include "capture/capture_export.h"
#include "capture/capture_files.h"
#include "capture/capture_retention.h"
#include "capture/replay_runner.h"
#include "net/connection_types.h"
#include "net/intercept.h"
#include "widgets/frame_plan.h"
#include "window/theme.h"

class QAction;
class QActionGroup;
class QButtonGroup;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace framescope::app {
class CaptureSaveJob;
class ConnectionListModel;
}  // namespace framescope::app

namespace framescope::ui {

class Composer;
class ConnectionBar;
class ConnectionsPanel;
class FrameCrafter;
class FrameInspector;
class FrameLogView;
class HandshakeDialog;
class InterceptPanel;
class ProtocolComposer;
class SessionController;
class StatusPanel;

struct MainWindowOptions {
    bool startServer = true;        // the built-in echo server, its URL filled in
    quint16 serverPort = 6455;      // its port (a free one when taken; 0 = always a free one)
    bool captureServerSide = true;  // the server's side of each conversation joins the capture too
    bool restoreSettings = true;    // read QSettings at start (organization and app "FrameScope")
    app::CaptureStoreOptions storeOptions;
};

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    enum ToolTab { ComposerTab, CrafterTab, ProtocolComposerTab, InterceptTab };
    enum Page { CapturePage, BenchmarksPage };
    // The connections list shows at first start when the window is at least this wide.
    static constexpr int kConnectionsListMinWindowWidth = 1600;

    explicit MainWindow(const MainWindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    SessionController* controller() const { return controller_; }
    ConnectionBar* connectionBar() const { return bar_; }
    FrameLogView* logView() const { return log_; }
    FrameInspector* inspector() const { return inspector_; }
    QPlainTextEdit* noteView() const { return noteView_; }  // shown instead of the inspector for notes
    FrameCrafter* crafter() const { return crafter_; }
    Composer* composer() const { return composer_; }
    ProtocolComposer* protocolComposer() const { return protocolComposer_; }
    InterceptPanel* interceptPanel() const { return intercept_; }
    StatusPanel* statusPanel() const { return status_; }
    // Why the built-in server is not on the port asked for (empty when it is, or when it is not running).
    const QString& serverNote() const { return serverNote_; }
    QTabWidget* toolTabs() const { return tools_; }
    // The Capture page's splitter: connections list | log over tools (leftSplitter) | inspector.
    QSplitter* mainSplitter() const { return mainSplitter_; }
    QSplitter* leftSplitter() const { return leftSplitter_; }
    ConnectionsPanel* connectionsPanel() const { return connectionsPanel_; }
    app::ConnectionListModel* connectionsModel() const { return connectionsModel_; }
    QAction* connectionsAction() const { return connectionsAction_; }  // View → Connections, checkable
    QStackedWidget* pages() const { return pages_; }
    QWidget* benchmarksPage() const { return benchmarksPage_; }
    QButtonGroup* pageButtons() const { return pageButtons_; }
    Page page() const;
    void setPage(Page page);
    void setConnectionsListShown(bool shown);
    // Splitter sizes for the window's present size: the inspector about 2/5 of the width, the tools about
    // 2/5 of the height, the connections list shown from kConnectionsListMinWindowWidth (View → Reset
    // layout).
    void applyDefaultLayout();
    // The size a window opens at before any remembered geometry, from the primary screen.
    static QSize firstWindowSize();
    HandshakeDialog* handshakeDialog() const { return handshake_; }
    QAction* absoluteTimeAction() const { return absoluteTime_; }

    // Options for the next connection (the URL comes from the connection bar).
    app::ConnectionOptions connectionOptions() const { return options_; }
    void setConnectionOptions(const app::ConnectionOptions& options);

    Theme theme() const { return theme_; }
    void setTheme(Theme theme);

    // Which rows File → Save writes: all of them, the rows the filter shows, or the selected ones.
    enum class SaveScope { All, Filtered, Selection };
    // Saves in the format of the extension (capture_files.h) on a worker, with progress and Cancel in the
    // status bar; false with `error` when a save or export is still running. The result reaches the status
    // bar (and a dialog when the save came from one).
    bool startSave(const QString& path, SaveScope scope, QString* error = nullptr);
    // The same, waiting for the worker in a local event loop: the rows written, or -1 with `error`.
    qint64 saveCapture(const QString& path, SaveScope scope, QString* error = nullptr);
    bool isWritingFile() const;  // a save or export runs
    void cancelFileJob();        // as the status bar's Cancel
    app::CaptureSaveJob* fileJob() const { return saveJob_; }
    // Closes the connection, clears the capture and opens `path` into it; rows read, or -1 with `error`.
    qint64 openCapture(const QString& path, QString* error = nullptr, QString* warning = nullptr);

    // Replays the capture's first connection to `url` (replay_runner.h) with the window's connection
    // options; the runner (owned by the window) reports finished() with the summary, also shown in the
    // status bar. nullptr, with the reason in the status bar, when there is nothing to replay.
    app::ReplayRunner* replayTo(const QUrl& url);

    // Bounded retention (capture_retention.h), applied twice a second: past the limit (default 2 GiB) the
    // oldest rows spill to a session file in the app's data folder, or are dropped; the status bar says so.
    void setCaptureRetention(const app::RetentionOptions& options);
    const app::CaptureRetention& captureRetention() const { return *retention_; }
    void enforceRetention();
    QString retentionText() const;
    QString filesStatusText() const;  // what the status bar says about files, retention and replay

    // Writes the rows of `scope` to `path` as JSON Lines, CSV or text on a worker (as startSave).
    bool startExport(const QString& path, app::ExportFormat format, SaveScope scope,
                     QString* error = nullptr);
    // The same, waiting for the worker in a local event loop; false with one sentence in `error`.
    bool exportCapture(const QString& path, app::ExportFormat format, QString* error = nullptr,
                       SaveScope scope = SaveScope::All);

    void saveSettings() const;
    void restoreSettings();

public slots:
    void connectToUrl();  // the connection bar's URL with the current options
    void disconnectFromPeer();
    void reconnect();  // F5
    void clearCapture();
    void showConnectionDialog();
    void showHandshake();
    void showExportDialog(SaveScope scope = SaveScope::All);
    void showSaveDialog(SaveScope scope);
    void showOpenDialog();
    // Starts the reverse proxy toward `upstream` (main_window_proxy.cpp): the bar shows its URL, its pairs
    // join the capture and the Intercept tab shows what it holds. False with the reason in the status bar.
    bool startProxy(const QUrl& upstream, quint16 port = 0);
    void stopProxy();
    void showReplayDialog();                   // "Replay to…": asks for the URL, then shows the summary
    void selectStoreRow(qulonglong storeRow);  // in the log (if shown) and the inspector
    // Loads a captured frame into the crafter (header bits, opcode, mask, length, payload) and shows it;
    // false for a note or a row that does not exist.
    bool editInCrafter(qulonglong storeRow);
    // Loads the message a captured data frame belongs to into the composer (text, or hex for binary) and
    // shows it; false for a note, a control frame or a row that does not exist (log_context_menu.cpp).
    bool openInComposer(qulonglong storeRow);
    // The decoder of one connection (automatic, off, or a protocol): the Summary column, Decoded searches
    // and the Decoded tab follow (log_context_menu.cpp).
    void chooseDecoder(uint32_t connection, app::DecoderChoice choice);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildWidgets();  // main_window_layout.cpp, with the page switch and the layout's settings
    QWidget* buildCapturePage();
    QWidget* buildPageSwitch();
    QWidget* buildInspectorPane();
    void saveLayout(QSettings& settings) const;
    void restoreLayout(QSettings& settings);
    void buildMenus();
    void buildFileMenu();
    std::vector<size_t> rowsToSave(SaveScope scope) const;  // capture_file_actions.cpp
    std::optional<std::vector<size_t>> rowsOf(SaveScope scope) const;
    app::SaveOptions saveOptions() const;
    void setupFileJob();
    void showFileJobProgress();
    void updateFileJobProgress();
    void onFileJobFinished(qint64 rows, const QString& error, bool cancelled);
    qint64 waitForFileJob(QString* error);
    void setupRetention();
    void showFilesMessage(const QString& sentence);
    void updateFilesLabel();
    void buildConnectionMenu();
    void buildViewMenu();
    void buildHelpMenu();
    void connectSignals();
    void connectTools();
    void connectProxy();  // main_window_proxy.cpp
    void sendCrafted(const FramePlan& plan);
    void loadHeldIntoCrafter(const app::HeldMessage& message, app::Leg to);
    void adaptCrafterShortcut();
    void startServer(quint16 port);
    void onStateChanged(app::ConnectionState state, const QString& sentence);
    void onOpened(const QString& subprotocol, const QString& extensions);
    void showStoreRow(size_t storeRow);
    void showLogContextMenu(const QPoint& position);  // log_context_menu.cpp
    void addDecoderMenu(QMenu& menu, uint32_t connection);
    void updateRowCounts();
    void updateEmptyText();
    void updateInsecureWarning();
    void setAbsoluteTime(bool absolute);
    void showShortcuts();

    MainWindowOptions windowOptions_;
    app::ConnectionOptions options_;
    Theme theme_ = Theme::System;
    QString serverError_;
    QString serverNote_;  // e.g. the preferred port was taken
    SessionController* controller_ = nullptr;
    ConnectionBar* bar_ = nullptr;
    FrameLogView* log_ = nullptr;
    QStackedWidget* detailStack_ = nullptr;
    FrameInspector* inspector_ = nullptr;
    QPlainTextEdit* noteView_ = nullptr;
    FrameCrafter* crafter_ = nullptr;
    Composer* composer_ = nullptr;
    ProtocolComposer* protocolComposer_ = nullptr;
    InterceptPanel* intercept_ = nullptr;
    StatusPanel* status_ = nullptr;
    QTabWidget* tools_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QButtonGroup* pageButtons_ = nullptr;
    QWidget* benchmarksPage_ = nullptr;
    bool loadTargetSet_ = false;  // the uncaptured echo server for load runs, started with the page
    app::ConnectionListModel* connectionsModel_ = nullptr;
    ConnectionsPanel* connectionsPanel_ = nullptr;
    QAction* connectionsAction_ = nullptr;
    QSplitter* mainSplitter_ = nullptr;
    QSplitter* leftSplitter_ = nullptr;
    HandshakeDialog* handshake_ = nullptr;
    QAction* connectAction_ = nullptr;
    QAction* absoluteTime_ = nullptr;
    QActionGroup* themeGroup_ = nullptr;
    std::unique_ptr<app::CaptureRetention> retention_;
    QLabel* filesLabel_ = nullptr;  // capture_file_actions.cpp
    QString filesMessage_;
    app::CaptureSaveJob* saveJob_ = nullptr;  // saves and exports, one at a time
    QProgressBar* fileJobProgress_ = nullptr;
    QPushButton* fileJobCancel_ = nullptr;
    QTimer* fileJobTimer_ = nullptr;
    QString fileJobDone_;          // "Saved %1 rows to %2." or "Exported …"
    bool fileJobDialogs_ = false;  // a failure also shows a dialog (the job came from one)
};

}  // namespace framescope::ui
