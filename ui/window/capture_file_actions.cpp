// MainWindow: File → Open capture / Save capture (all rows, the filtered rows, or the selection) in the
// formats of app/capture/capture_files.h.
#include <QFileDialog>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>

#include <algorithm>

#include "capture/capture_files.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

QString saveFilters() {
    return QObject::tr(
        "FrameScope session (*.fscap);;pcapng for Wireshark (*.pcapng);;JSON Lines (*.jsonl);;CSV (*.csv)");
}

QString openFilters() {
    return QObject::tr("Captures (*.fscap *.pcapng *.pcap *.cap);;All files (*)");
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

qint64 MainWindow::saveCapture(const QString& path, SaveScope scope, QString* error) {
    const std::vector<size_t> rows = rowsToSave(scope);
    app::SaveOptions options;
    options.withNotes = true;
    if (scope != SaveScope::All) options.rows = app::RowSet(&rows);
    const qint64 written = app::saveCaptureFile(controller_->store(), path, options, error);
    if (written >= 0) statusBar()->showMessage(tr("Saved %1 rows to %2.").arg(written).arg(path), 6000);
    return written;
}

qint64 MainWindow::openCapture(const QString& path, QString* error, QString* warning) {
    if (controller_->isActive()) disconnectFromPeer();
    clearCapture();
    const qint64 rows = app::openCaptureFile(path, controller_->store(), error, warning);
    controller_->model()->fetchPublished();
    if (rows >= 0) {
        const QString message = tr("Opened %1 rows from %2.").arg(rows).arg(path);
        statusBar()->showMessage(warning && !warning->isEmpty() ? message + " " + *warning : message, 10000);
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
    if (saveCapture(path, scope, &error) < 0) QMessageBox::warning(this, tr("Save failed"), error);
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

}  // namespace framescope::ui
