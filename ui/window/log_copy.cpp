#include "window/log_copy.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QTableView>

#include <algorithm>

#include "capture/capture_model.h"

namespace framescope::ui {

namespace {

QString formatName(app::RowCopyFormat format) {
    switch (format) {
        case app::RowCopyFormat::Hex:
            return QObject::tr("hex");
        case app::RowCopyFormat::Text:
            return QObject::tr("text");
        case app::RowCopyFormat::JsonLines:
            return QObject::tr("JSON Lines");
    }
    return {};
}

}  // namespace

LogCopyActions::LogCopyActions(QTableView* table, app::CaptureModel* model)
    : QObject(table), table_(table), model_(model) {
    copy_ = new QAction(this);
    copy_->setShortcut(QKeySequence::Copy);
    copy_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy_, &QAction::triggered, this, &LogCopyActions::copyLastFormat);
    table_->addAction(copy_);
    addFormat(tr("Copy payloads as hex"), app::RowCopyFormat::Hex)
        ->setToolTip(tr("One line per selected row: its payload's bytes, as captured and unmasked"));
    addFormat(tr("Copy payloads as text"), app::RowCopyFormat::Text)
        ->setToolTip(tr("One line per selected row: its payload as UTF-8 (compressed messages inflated)"));
    addFormat(tr("Copy as JSON Lines"), app::RowCopyFormat::JsonLines)
        ->setToolTip(tr("One JSON object per selected row, as `framescope-cli connect --json` prints"));
    updateCopyText();
}

QAction* LogCopyActions::addFormat(const QString& text, app::RowCopyFormat format) {
    auto* action = new QAction(text, this);
    connect(action, &QAction::triggered, this, [this, format] { copy(format); });
    formats_[static_cast<int>(format)] = action;
    return action;
}

QAction* LogCopyActions::actionFor(app::RowCopyFormat format) const {
    return formats_[static_cast<int>(format)];
}

void LogCopyActions::updateCopyText() {
    copy_->setText(tr("Copy (as %1)").arg(formatName(last_)));
}

std::vector<size_t> LogCopyActions::selectedStoreRows() const {
    std::vector<size_t> rows;
    for (const QItemSelectionRange& range : table_->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.push_back(model_->storeRow(row));
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

void LogCopyActions::copy(app::RowCopyFormat format) {
    last_ = format;
    updateCopyText();
    copyLastFormat();
}

void LogCopyActions::copyLastFormat() {
    const std::vector<size_t> rows = selectedStoreRows();
    if (rows.empty()) return;
    const QByteArray text = app::copyRows(model_->store(), rows, last_);
    QGuiApplication::clipboard()->setText(QString::fromUtf8(text));
}

}  // namespace framescope::ui
