// MainWindow: File → Open capture / Save capture (all rows, the filtered rows, or the selection) in the
// formats of app/capture/capture_files.h, and Export (capture_export.h), written on a worker
// (capture_save_job.h) with a progress bar and Cancel in the status bar; bounded retention with its label.
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>

#include <algorithm>

#include "capture/capture_files.h"
#include "capture/capture_save_job.h"
#include "widgets/frame_inspector.h"
#include "window/connection_bar.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

QString saveFilters() {
    return QObject::tr(
        "FrameScope session (*.fscap);;pcapng for Wireshark (*.pcapng);;HAR for browser DevTools (*.har);;"
        "JSON Lines (*.jsonl);;CSV (*.csv)");
}

QString openFilters() {
    return QObject::tr("Captures (*.fscap *.pcapng *.pcap *.cap *.har);;All files (*)");
}

}  // namespace

std::vector<size_t> MainWindow::rowsToSave(SaveScope scope) const {
    std::vector<size_t> rows;
    const app::CaptureModel* model = controller_->model();
    if (scope == SaveScope::Filtered) {
        const int count = model->rowCount();
        rows.reserve(static_cast<size_t>(count));
        for (int row = 0; row < count; ++row)
            rows.push_back(model->storeRow(row));
    } else if (scope == SaveScope::Selection) {
        for (const QModelIndex& index : log_->table()->selectionModel()->selectedRows())
            rows.push_back(model->storeRow(index.row()));
        std::sort(rows.begin(), rows.end());
    }
    return rows;
}

app::SaveOptions MainWindow::saveOptions() const {
    app::SaveOptions options;
    options.withNotes = true;
    options.decoded = true;  // JSON Lines: as the window reads each message
    options.choices = controller_->model()->decodedCache().decoder().choices();
    return options;
}

std::optional<std::vector<size_t>> MainWindow::rowsOf(SaveScope scope) const {
    if (scope == SaveScope::All) return std::nullopt;  // every row published when the job starts
    return rowsToSave(scope);
}

bool MainWindow::startSave(const QString& path, SaveScope scope, QString* error) {
    if (!saveJob_->startSave(controller_->store(), path, saveOptions(), rowsOf(scope), error)) return false;
    fileJobDone_ = tr("Saved %1 rows to %2.");
    fileJobDialogs_ = false;
    showFileJobProgress();
    return true;
}

bool MainWindow::startExport(const QString& path, app::ExportFormat format, SaveScope scope, QString* error) {
    app::ExportOptions options;
    options.format = format;
    options.timeFormat = absoluteTime_->isChecked() ? app::TimeFormat::Absolute : app::TimeFormat::Relative;
    options.decoded = true;  // JSON Lines: as the window reads each message
    options.choices = controller_->model()->decodedCache().decoder().choices();
    if (!saveJob_->startExport(controller_->store(), path, options, rowsOf(scope), error)) return false;
    fileJobDone_ = tr("Exported %1 rows to %2.");
    fileJobDialogs_ = false;
    showFileJobProgress();
    return true;
}

qint64 MainWindow::saveCapture(const QString& path, SaveScope scope, QString* error) {
    if (!startSave(path, scope, error)) return -1;
    return waitForFileJob(error);
}

bool MainWindow::exportCapture(const QString& path, app::ExportFormat format, QString* error,
                               SaveScope scope) {
    if (!startExport(path, format, scope, error)) return false;
    return waitForFileJob(error) >= 0;
}

// Scripts and tests want the result: the job still runs on its worker while this thread's events go on.
qint64 MainWindow::waitForFileJob(QString* error) {
    qint64 written = -1;
    QEventLoop loop;
    connect(saveJob_, &app::CaptureSaveJob::finished, &loop, [&](qint64 rows, const QString& sentence, bool) {
        written = rows;
        if (error) *error = sentence;
        loop.quit();
    });
    if (saveJob_->isRunning()) loop.exec();
    return written;
}

void MainWindow::setupFileJob() {
    saveJob_ = new app::CaptureSaveJob(this);
    fileJobProgress_ = new QProgressBar;
    fileJobProgress_->setMaximumWidth(180);
    fileJobProgress_->hide();
    fileJobCancel_ = new QPushButton(tr("Cancel"));
    fileJobCancel_->setToolTip(tr("Stop writing the file; nothing is left on disk"));
    fileJobCancel_->hide();
    statusBar()->addPermanentWidget(fileJobProgress_);
    statusBar()->addPermanentWidget(fileJobCancel_);
    fileJobTimer_ = new QTimer(this);
    fileJobTimer_->setInterval(100);
    connect(fileJobTimer_, &QTimer::timeout, this, &MainWindow::updateFileJobProgress);
    connect(fileJobCancel_, &QPushButton::clicked, saveJob_, &app::CaptureSaveJob::cancel);
    connect(saveJob_, &app::CaptureSaveJob::finished, this, &MainWindow::onFileJobFinished);
}

void MainWindow::showFileJobProgress() {
    fileJobProgress_->setRange(0, 1000);
    fileJobProgress_->setValue(0);
    fileJobProgress_->setFormat(QFileInfo(saveJob_->path()).fileName() + QStringLiteral(": %p%"));
    fileJobProgress_->setToolTip(
        tr("Writing %1 rows to %2").arg(saveJob_->rowsTotal()).arg(saveJob_->path()));
    fileJobProgress_->show();
    fileJobCancel_->show();
    fileJobTimer_->start();
}

void MainWindow::updateFileJobProgress() {
    const size_t total = saveJob_->rowsTotal();
    const size_t reached = std::min(saveJob_->rowsReached(), total);
    fileJobProgress_->setValue(total == 0 ? 0 : static_cast<int>(reached * 1000 / total));
}

void MainWindow::onFileJobFinished(qint64 rows, const QString& error, bool cancelled) {
    fileJobTimer_->stop();
    fileJobProgress_->hide();
    fileJobCancel_->hide();
    if (rows >= 0) {
        showFilesMessage(fileJobDone_.arg(rows).arg(saveJob_->path()));
        return;
    }
    showFilesMessage(error);
    if (!cancelled && fileJobDialogs_) QMessageBox::warning(this, tr("Writing the file failed"), error);
}

bool MainWindow::isWritingFile() const {
    return saveJob_->isRunning();
}

void MainWindow::cancelFileJob() {
    saveJob_->cancel();
}

qint64 MainWindow::openCapture(const QString& path, QString* error, QString* warning) {
    if (controller_->isActive()) disconnectFromPeer();
    clearCapture();  // cancels a save or export still running
    const qint64 rows = app::openCaptureFile(path, controller_->store(), error, warning);
    controller_->model()->fetchPublished();
    if (rows >= 0) {
        const QString message = tr("Opened %1 rows from %2.").arg(rows).arg(path);
        showFilesMessage(warning && !warning->isEmpty() ? message + " " + *warning : message);
    }
    return rows;
}

void MainWindow::showSaveDialog(SaveScope scope) {
    const QString title = scope == SaveScope::All        ? tr("Save the capture")
                          : scope == SaveScope::Filtered ? tr("Save the filtered rows")
                                                         : tr("Save the selected rows");
    QString filter;
    QString path =
        QFileDialog::getSaveFileName(this, title, QStringLiteral("capture.fscap"), saveFilters(), &filter);
    if (path.isEmpty()) return;
    if (app::captureFormatForPath(path) == app::CaptureFileFormat::Unknown) {
        path += filter.section(QLatin1String("*"), 1).section(QLatin1Char(')'), 0, 0);
    }
    QString error;
    if (startSave(path, scope, &error)) {
        fileJobDialogs_ = true;
    } else {
        QMessageBox::warning(this, tr("Save failed"), error);
    }
}

void MainWindow::showOpenDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a capture"), {}, openFilters());
    if (path.isEmpty()) return;
    QString error;
    QString warning;
    if (openCapture(path, &error, &warning) < 0) {
        QMessageBox::warning(this, tr("Open failed"), error);
    } else if (!warning.isEmpty()) {
        QMessageBox::information(this, tr("Opened with problems"), warning);
    }
}

app::ReplayRunner* MainWindow::replayTo(const QUrl& url) {
    app::ReplayPlan plan = app::replayPlanOf(controller_->store());
    if (!plan.error.isEmpty()) {
        showFilesMessage(plan.error);
        return nullptr;
    }
    app::ConnectionOptions options = options_;
    options.url = url;
    options.reconnect.enabled = false;
    auto* runner = new app::ReplayRunner(std::move(plan), options, {}, this);
    connect(runner, &app::ReplayRunner::finished, this, [this, runner](bool, const QString& summary) {
        showFilesMessage(tr("Replay: %1").arg(summary));
        runner->deleteLater();
    });
    connect(runner, &app::ReplayRunner::failed, this, [this, runner](const QString& sentence) {
        showFilesMessage(tr("Replay failed: %1").arg(sentence));
        runner->deleteLater();
    });
    runner->start();
    return runner;
}

void MainWindow::showReplayDialog() {
    bool ok = false;
    const QString url =
        QInputDialog::getText(this, tr("Replay to…"),
                              tr("Send the client's messages of the capture's first connection "
                                 "again, with their pacing, to:"),
                              QLineEdit::Normal, bar_->url(), &ok);
    if (!ok || url.isEmpty()) return;
    app::ReplayRunner* runner = replayTo(QUrl(url));
    if (runner == nullptr) return;
    connect(runner, &app::ReplayRunner::finished, this, [this](bool matched, const QString& summary) {
        if (matched) {
            QMessageBox::information(this, tr("Replay"), summary);
        } else {
            QMessageBox::warning(this, tr("Replay"), summary);
        }
    });
    connect(runner, &app::ReplayRunner::failed, this,
            [this](const QString& sentence) { QMessageBox::warning(this, tr("Replay failed"), sentence); });
}

void MainWindow::setupRetention() {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    app::RetentionOptions options;
    options.spillPath =
        QDir(folder)
            .filePath(QStringLiteral("spill-%1.fscap")
                          .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))))
            .toStdString();
    retention_ = std::make_unique<app::CaptureRetention>(options);
    filesLabel_ = new QLabel;
    filesLabel_->hide();
    statusBar()->addPermanentWidget(filesLabel_);
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::enforceRetention);
    timer->start(500);
}

void MainWindow::setCaptureRetention(const app::RetentionOptions& options) {
    if (!options.spillPath.empty())
        QDir().mkpath(QFileInfo(QString::fromStdString(options.spillPath)).path());
    retention_ = std::make_unique<app::CaptureRetention>(options);
    enforceRetention();
}

QString MainWindow::retentionText() const {
    return QString::fromStdString(retention_->statusText());
}

void MainWindow::enforceRetention() {
    // Dropping rows waits for the lease a save or export holds on its worker: hold back until it is done.
    if (isWritingFile()) return;
    const app::RetentionOptions& options = retention_->options();
    if (!options.spillPath.empty() && controller_->store().bytesUsed() > options.limitBytes)
        QDir().mkpath(QFileInfo(QString::fromStdString(options.spillPath)).path());
    if (retention_->enforce(controller_->store())) {
        // The kept rows were renumbered: nothing may keep pointing at the old ones.
        inspector_->clear();
        noteView_->clear();
        controller_->model()->fetchPublished();
    }
    updateFilesLabel();
}

QString MainWindow::filesStatusText() const {
    return filesLabel_->isVisible() || !filesLabel_->text().isEmpty() ? filesLabel_->text() : QString();
}

void MainWindow::showFilesMessage(const QString& sentence) {
    filesMessage_ = sentence;
    updateFilesLabel();
}

// The status bar's permanent label for files: the last save, open or replay, and what retention did.
void MainWindow::updateFilesLabel() {
    QStringList parts;
    if (!filesMessage_.isEmpty()) parts << filesMessage_;
    if (!retentionText().isEmpty()) parts << retentionText();
    const QString text = parts.join(QStringLiteral(" · "));
    filesLabel_->setText(text);
    filesLabel_->setToolTip(text);
    filesLabel_->setVisible(!text.isEmpty());
}

}  // namespace framescope::ui
