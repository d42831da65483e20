// MainWindow: the log's context menu — send a captured frame again through the crafter, copy its payload.
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QTableView>

#include "capture/capture_model.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_plan.h"
#include "window/frame_data_adapter.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

bool MainWindow::editInCrafter(qulonglong storeRow) {
    const app::CaptureStore& store = controller_->store();
    if (storeRow >= store.size() || store.record(storeRow).isNote()) return false;
    crafter_->setState(crafterStateFromFrame(frameDataFromCapture(store, storeRow)));
    tools_->setCurrentIndex(CrafterTab);
    return true;
}

void MainWindow::showLogContextMenu(const QPoint& position) {
    const QModelIndex index = log_->table()->indexAt(position);
    if (!index.isValid()) return;
    const size_t storeRow = controller_->model()->storeRow(index.row());
    const app::CaptureStore& store = controller_->store();
    const bool frame = !store.record(storeRow).isNote();
    QMenu menu(this);
    QAction* edit = menu.addAction(tr("Edit in crafter"));
    edit->setToolTip(
        tr("Load this frame's header and payload into the crafter, to change and send it again"));
    edit->setEnabled(frame);
    QAction* copyHex = menu.addAction(tr("Copy payload as hex"));
    QAction* copyText = menu.addAction(tr("Copy payload as text"));
    const QAction* chosen = menu.exec(log_->table()->viewport()->mapToGlobal(position));
    const QByteArray payload = frameDataFromCapture(store, storeRow).payload;
    if (chosen == edit) {
        editInCrafter(storeRow);
    } else if (chosen == copyHex) {
        QApplication::clipboard()->setText(QString::fromLatin1(payload.toHex(' ')));
    } else if (chosen == copyText) {
        QApplication::clipboard()->setText(QString::fromUtf8(payload));
    }
}

}  // namespace framescope::ui
