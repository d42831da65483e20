// Copying the log's selected rows to the clipboard as hex, text or JSON Lines (app/capture/row_copy.h).
// Copy (Ctrl+C on the log) uses the format chosen last; each "Copy as …" action copies and chooses it.
#pragma once

#include <QObject>

#include <cstddef>
#include <vector>

#include "capture/row_copy.h"

class QAction;
class QTableView;

namespace framescope::app {
class CaptureModel;
}

namespace framescope::ui {

class LogCopyActions : public QObject {
    Q_OBJECT

public:
    // The actions act on `table`'s selected rows of `model`; Copy is added to the table as its Ctrl+C.
    LogCopyActions(QTableView* table, app::CaptureModel* model);

    QAction* copyAction() const { return copy_; }
    QAction* actionFor(app::RowCopyFormat format) const;
    app::RowCopyFormat lastFormat() const { return last_; }

    // The store rows of the selected log rows, ascending.
    std::vector<size_t> selectedStoreRows() const;

public slots:
    // Puts the selected rows on the clipboard in `format` and makes it Copy's format.
    void copy(app::RowCopyFormat format);
    void copyLastFormat();

private:
    QAction* addFormat(const QString& text, app::RowCopyFormat format);
    void updateCopyText();

    QTableView* table_;
    app::CaptureModel* model_;
    QAction* copy_ = nullptr;
    QAction* formats_[3] = {};
    app::RowCopyFormat last_ = app::RowCopyFormat::Text;
};

}  // namespace framescope::ui
