// The live frame log: the filter bar over a QTableView of the CaptureModel (uniform rows, monospace
// preview, violations in the model's colour), an empty-state message, and autoscroll that pauses when the
// user scrolls up and resumes at the bottom, with a "⏸ autoscroll paused — N new" button to jump back.
#pragma once

#include <QWidget>

#include <cstddef>
#include <optional>

#include "capture/capture_model.h"

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace framescope::ui {

class FilterBar;
class LogCopyActions;

class FrameLogView : public QWidget {
    Q_OBJECT

public:
    explicit FrameLogView(app::CaptureModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    FilterBar* filterBar() const { return filterBar_; }
    LogCopyActions* copyActions() const { return copy_; }
    app::CaptureModel* model() const { return model_; }

    // Shown instead of the table while the model has no rows.
    void setEmptyText(const QString& text);
    QString emptyText() const;
    bool showsEmptyState() const;

    bool autoscrollPaused() const { return paused_; }
    int newRowsWhilePaused() const { return newWhilePaused_; }
    QPushButton* resumeButton() const { return resumeButton_; }

    // Selects and shows a store row (if visible under the filter); false when hidden.
    bool selectStoreRow(size_t storeRow);
    std::optional<size_t> selectedStoreRow() const;

public slots:
    void resumeAutoscroll();  // scrolls to the bottom and follows new rows again

signals:
    void storeRowSelected(qulonglong storeRow);
    void selectionCleared();

private:
    void showSummaryColumnIfUsed(int first, int last);
    void onFilterProgress(int percent);
    void applyFilter(const app::CaptureFilter& filter);
    void onRowsInserted(int first, int last);
    void onScrolled(int value);
    void onRangeChanged(int min, int max);
    void onCurrentChanged();
    void updateEmptyState();
    void updateResumeButton();
    void setupTable();

    app::CaptureModel* model_;
    FilterBar* filterBar_ = nullptr;
    LogCopyActions* copy_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* empty_ = nullptr;
    QTableView* table_ = nullptr;
    QPushButton* resumeButton_ = nullptr;
    bool paused_ = false;
    int newWhilePaused_ = 0;
    std::optional<size_t> selected_;  // kept across filter changes
};

}  // namespace framescope::ui
