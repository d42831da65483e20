// MainWindow: the log's context menu — send a captured frame again through the crafter or its message
// through the composer, copy the selected rows (hex, text, JSON Lines), save them, choose the decoder of
// the row's connection.
#include <QActionGroup>
#include <QMenu>
#include <QTableView>

#include "capture/capture_model.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_plan.h"
#include "window/frame_data_adapter.h"
#include "window/frame_log_view.h"
#include "window/log_copy.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

QString protocolLabel(decoders::Protocol protocol) {
    const std::string_view name = decoders::protocolName(protocol);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

}  // namespace

bool MainWindow::editInCrafter(qulonglong storeRow) {
    const app::CaptureStore& store = controller_->store();
    if (storeRow >= store.size() || store.record(storeRow).isNote()) return false;
    crafter_->setState(
        crafterStateFromFrame(frameDataFromCapture(store, storeRow, &controller_->model()->decodedCache())));
    tools_->setCurrentIndex(CrafterTab);
    return true;
}

bool MainWindow::openInComposer(qulonglong storeRow) {
    const app::CaptureStore& store = controller_->store();
    if (storeRow >= store.size()) return false;
    const app::CaptureRecord& r = store.record(storeRow);
    if (r.isNote() || isControlOpcode(r.opcode)) return false;
    const QList<size_t> frames = messageFrameRows(store, storeRow);
    const QByteArray message = messageBytes(store, frames.isEmpty() ? storeRow : frames.back());
    if (r.messageOpcode == opcode::kText) {
        composer_->setMode(Composer::Mode::Text);
        composer_->setMessageText(QString::fromUtf8(message));
    } else {
        composer_->setMode(Composer::Mode::Hex);
        composer_->setMessageText(QString::fromLatin1(message.toHex(' ')));
    }
    tools_->setCurrentIndex(ComposerTab);
    return true;
}

void MainWindow::chooseDecoder(uint32_t connection, app::DecoderChoice choice) {
    controller_->model()->setDecoderChoice(connection, choice);
}

void MainWindow::addDecoderMenu(QMenu& menu, uint32_t connection) {
    app::CaptureModel* model = controller_->model();
    const app::DecoderChoice current = model->decoderChoice(connection);
    QMenu* decoders = menu.addMenu(tr("Decoder for connection %1").arg(connection));
    decoders->setToolTipsVisible(true);
    auto* group = new QActionGroup(decoders);
    auto add = [&](const QString& label, app::DecoderChoice choice) {
        QAction* action = decoders->addAction(label);
        action->setCheckable(true);
        action->setChecked(choice == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, connection, choice] { chooseDecoder(connection, choice); });
        return action;
    };
    const decoders::Protocol detected = model->decodedCache().decoder().protocol(connection);
    const QString automatic = !current && detected != decoders::Protocol::None
                                  ? tr("Automatic (%1)").arg(protocolLabel(detected))
                                  : tr("Automatic");
    add(automatic, std::nullopt)
        ->setToolTip(tr("Chosen from the subprotocol, the URL or the first messages"));
    add(tr("Off"), decoders::Protocol::None);
    decoders->addSeparator();
    for (auto p = static_cast<uint8_t>(decoders::Protocol::SocketIo);
         p <= static_cast<uint8_t>(decoders::Protocol::Phoenix); ++p) {
        const auto protocol = static_cast<decoders::Protocol>(p);
        add(protocolLabel(protocol), protocol);
    }
}

void MainWindow::showLogContextMenu(const QPoint& position) {
    const QModelIndex index = log_->table()->indexAt(position);
    if (!index.isValid()) return;
    const size_t storeRow = controller_->model()->storeRow(index.row());
    const app::CaptureRecord& record = controller_->store().record(storeRow);
    const bool frame = !record.isNote();
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    QAction* edit = menu.addAction(tr("Edit in crafter"));
    edit->setToolTip(
        tr("Load this frame's header and payload into the crafter, to change and send it again"));
    edit->setEnabled(frame);
    QAction* compose = menu.addAction(tr("Open in composer"));
    compose->setToolTip(tr("Load this frame's message into the composer, to edit and send it again"));
    compose->setEnabled(frame && !isControlOpcode(record.opcode));
    menu.addSeparator();
    LogCopyActions* copy = log_->copyActions();
    menu.addAction(copy->copyAction());
    for (auto format : {app::RowCopyFormat::Hex, app::RowCopyFormat::Text, app::RowCopyFormat::JsonLines})
        menu.addAction(copy->actionFor(format));
    QAction* save = menu.addAction(tr("Save selected rows…"));
    save->setToolTip(tr("Save the selected rows as a capture file (session, pcapng, HAR, JSON Lines, CSV)"));
    QAction* exportSelection = menu.addAction(tr("Export selection…"));
    exportSelection->setToolTip(
        tr("Export the selected rows as JSON Lines, CSV or text, like Export conversation"));
    menu.addSeparator();
    addDecoderMenu(menu, record.connectionId);
    const QAction* chosen = menu.exec(log_->table()->viewport()->mapToGlobal(position));
    if (chosen == edit) {
        editInCrafter(storeRow);
    } else if (chosen == compose) {
        openInComposer(storeRow);
    } else if (chosen == save) {
        showSaveDialog(SaveScope::Selection);
    } else if (chosen == exportSelection) {
        showExportDialog(SaveScope::Selection);
    }
}

}  // namespace framescope::ui
