#include "window/frame_log_view.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <iterator>

#include "window/filter_bar.h"
#include "window/log_copy.h"

namespace framescope::ui {

namespace {

// The preview (payload text or hex) in a fixed-width font so hex columns line up.
class MonospaceDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        font.setPointSizeF(option->font.pointSizeF());
        option->font = font;
    }
};

}  // namespace

FrameLogView::FrameLogView(app::CaptureModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    filterBar_ = new FilterBar;
    table_ = new QTableView;
    setupTable();
    copy_ = new LogCopyActions(table_, model_);
    empty_ = new QLabel;
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    empty_->setForegroundRole(QPalette::PlaceholderText);
    empty_->setMargin(24);
    stack_ = new QStackedWidget;
    stack_->addWidget(empty_);
    stack_->addWidget(table_);
    resumeButton_ = new QPushButton;
    resumeButton_->setToolTip(
        tr("New frames keep arriving below. Click (or scroll to the bottom) to follow "
           "them again."));
    resumeButton_->setVisible(false);
    connect(resumeButton_, &QPushButton::clicked, this, &FrameLogView::resumeAutoscroll);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(filterBar_);
    layout->addWidget(stack_, 1);
    layout->addWidget(resumeButton_);

    connect(filterBar_, &FilterBar::filterChanged, this, &FrameLogView::applyFilter);
    connect(model_, &app::CaptureModel::filterProgress, this, &FrameLogView::onFilterProgress);
    connect(model_, &app::CaptureModel::connectionIdsChanged, this,
            [this] { filterBar_->setConnectionIds(model_->connectionIds()); });
    filterBar_->setConnectionIds(model_->connectionIds());
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        updateEmptyState();
        if (!selected_) return;
        if (*selected_ < model_->store().size()) {
            selectStoreRow(*selected_);  // still shown in the inspector when the filter hides it
        } else {
            selected_.reset();  // the capture was cleared
            emit selectionCleared();
        }
    });
    QScrollBar* bar = table_->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &FrameLogView::onScrolled);
    connect(bar, &QScrollBar::rangeChanged, this, &FrameLogView::onRangeChanged);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FrameLogView::onCurrentChanged);
    updateEmptyState();
}

void FrameLogView::setupTable() {
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);  // File → Save selected rows
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->setShowGrid(false);
    table_->setAlternatingRowColors(true);
    table_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    table_->setItemDelegateForColumn(app::CaptureModel::PreviewColumn, new MonospaceDelegate(table_));
    QHeaderView* rows = table_->verticalHeader();
    rows->setVisible(false);
    rows->setSectionResizeMode(QHeaderView::Fixed);  // uniform heights: no per-row measuring
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView* columns = table_->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // Conn fits "#2000001 app", a proxy leg's id and leg (the server side's are "#1000001"); Dir fits a
    // proxied message's "app → up" and a relayed frame's "relay → app".
    const int widths[] = {7, 11, 12, 10, 14, 4, 5, 5, 10, 36};
    static_assert(std::size(widths) == app::CaptureModel::PreviewColumn);
    for (int column = 0; column < app::CaptureModel::PreviewColumn; ++column)
        columns->resizeSection(column, digit * widths[column] + 12);
    // The Summary column shows once a decoder gives a row a summary; until then the Preview keeps its room.
    table_->setColumnHidden(app::CaptureModel::SummaryColumn, true);
    connect(model_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                showSummaryColumnIfUsed(topLeft.row(), bottomRight.row());
            });
}

// Looks at up to 256 changed rows for a summary; shows the column at the first one found.
void FrameLogView::showSummaryColumnIfUsed(int first, int last) {
    constexpr int kRowsLooked = 256;
    if (!table_->isColumnHidden(app::CaptureModel::SummaryColumn)) return;
    for (int row = first; row <= last && row < first + kRowsLooked; ++row) {
        if (model_->index(row, app::CaptureModel::SummaryColumn).data().toString().isEmpty()) continue;
        table_->setColumnHidden(app::CaptureModel::SummaryColumn, false);
        return;
    }
}

void FrameLogView::setEmptyText(const QString& text) {
    empty_->setText(text);
}

QString FrameLogView::emptyText() const {
    return empty_->text();
}

bool FrameLogView::showsEmptyState() const {
    return stack_->currentWidget() == empty_;
}

void FrameLogView::updateEmptyState() {
    const bool empty = model_->rowCount() == 0 && !model_->filter().isActive();
    stack_->setCurrentWidget(empty ? static_cast<QWidget*>(empty_) : table_);
}

void FrameLogView::applyFilter(const app::CaptureFilter& filter) {
    model_->setFilter(filter);
    filterBar_->setError(model_->filterError());
    filterBar_->setProgress(model_->filterPercent());
    updateEmptyState();
    if (!paused_) table_->scrollToBottom();
}

void FrameLogView::onFilterProgress(int percent) {
    filterBar_->setProgress(percent);
    // Done: the row shown in the inspector is selected again if the new filter shows it.
    if (percent < 0 && selected_ && !table_->selectionModel()->currentIndex().isValid() &&
        *selected_ < model_->store().size())
        selectStoreRow(*selected_);
}

void FrameLogView::onRowsInserted(int first, int last) {
    if (paused_) {
        newWhilePaused_ += last - first + 1;
        updateResumeButton();
    }
    updateEmptyState();
}

void FrameLogView::onRangeChanged(int /*min*/, int max) {
    if (!paused_ && table_->verticalScrollBar()->value() != max) table_->scrollToBottom();
}

void FrameLogView::onScrolled(int value) {
    const QScrollBar* bar = table_->verticalScrollBar();
    const bool atBottom = value >= bar->maximum();
    if (atBottom && paused_) {
        paused_ = false;
        newWhilePaused_ = 0;
    } else if (!atBottom && !paused_) {
        paused_ = true;
    }
    updateResumeButton();
}

void FrameLogView::updateResumeButton() {
    resumeButton_->setVisible(paused_);
    resumeButton_->setText(newWhilePaused_ > 0 ? tr("⏸ autoscroll paused — %1 new").arg(newWhilePaused_)
                                               : tr("⏸ autoscroll paused"));
}

void FrameLogView::resumeAutoscroll() {
    paused_ = false;
    newWhilePaused_ = 0;
    table_->scrollToBottom();
    updateResumeButton();
}

bool FrameLogView::selectStoreRow(size_t storeRow) {
    const int row = model_->rowOfStoreRow(storeRow);
    if (row < 0) return false;
    const QModelIndex index = model_->index(row, 0);
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(index);
    return true;
}

std::optional<size_t> FrameLogView::selectedStoreRow() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) return std::nullopt;
    return model_->storeRow(current.row());
}

void FrameLogView::onCurrentChanged() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) return;
    selected_ = model_->storeRow(current.row());
    emit storeRowSelected(*selected_);
}

}  // namespace framescope::ui
