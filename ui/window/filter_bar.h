// The log's filter bar: a switch hiding control frames, a switch showing a proxy's relayed frames on both
// legs (off: each proxied message shows once), a direction combo, a connection combo (id, peer and
// state), a menu of
// checkable opcodes (and notes), and a payload search as text, regex or hex, or a search of decoded fields
// (topic:, event:, ...), with its error shown in red and "Filtering… 42 %" while a filter runs. Emits the
// CaptureFilter the controls describe (search typing is debounced).
#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

#include "capture/capture_filter.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTimer;
class QToolButton;

namespace framescope::app {
class ConnectionListModel;
}

namespace framescope::ui {

class FilterBar : public QWidget {
    Q_OBJECT

public:
    static constexpr int kSearchDelayMs = 200;

    explicit FilterBar(QWidget* parent = nullptr);

    app::CaptureFilter filter() const;
    void setFilter(const app::CaptureFilter& filter);  // emits filterChanged()
    // A sentence under the search box (a bad regex or hex string), or empty to hide it.
    void setError(const QString& error);
    QString error() const;

    QCheckBox* hideControlSwitch() const { return hideControl_; }
    QCheckBox* bothLegsSwitch() const { return bothLegs_; }
    QComboBox* directionCombo() const { return direction_; }
    QComboBox* connectionCombo() const { return connection_; }
    QLabel* progressLabel() const { return progress_; }
    QToolButton* opcodeButton() const { return opcodeButton_; }
    QAction* opcodeAction(uint8_t op) const { return opcodeActions_[op & 0xF]; }
    QAction* notesAction() const { return notesAction_; }
    QLineEdit* searchEdit() const { return search_; }
    QComboBox* searchModeCombo() const { return searchMode_; }
    // Adds a widget at the bar's right end (the window's time toggle).
    void addTrailingWidget(QWidget* widget);

public slots:
    void focusSearch();  // Ctrl+F
    void applyNow();     // emits filterChanged() now (skipping the search delay)
    // Shows only connection `id` (the connections panel's choice); emits filterChanged().
    void selectConnection(quint32 id);
    void showAllConnections();
    // The ids the combo offers after "All connections" (the capture's; the chosen one is kept).
    void setConnectionIds(const std::vector<uint32_t>& ids);
    // Where the combo's labels come from: "#3 127.0.0.1:6455 · Open" (id, peer, state) for a listed
    // connection, "Connection #3" otherwise; they follow the model's changes. The model outlives the bar.
    void setConnectionsModel(const app::ConnectionListModel* model);
    QString connectionLabel(quint32 id) const;
    // "Filtering… 42 %" while a filter runs; a negative percentage hides it.
    void setProgress(int percent);

signals:
    void filterChanged(const framescope::app::CaptureFilter& filter);

private:
    void buildLayout();
    QMenu* buildOpcodeMenu();
    void updateOpcodeButton();
    void updatePlaceholder();
    int connectionIndex(quint32 id);  // adds the id to the combo when missing
    void relabelConnections();

    QCheckBox* hideControl_ = nullptr;
    QCheckBox* bothLegs_ = nullptr;
    QComboBox* direction_ = nullptr;
    QComboBox* connection_ = nullptr;
    const app::ConnectionListModel* connections_ = nullptr;
    QLabel* progress_ = nullptr;
    QToolButton* opcodeButton_ = nullptr;
    QAction* opcodeActions_[16] = {};
    QAction* notesAction_ = nullptr;
    QLineEdit* search_ = nullptr;
    QComboBox* searchMode_ = nullptr;
    QCheckBox* caseSensitive_ = nullptr;
    QLabel* error_ = nullptr;
    QTimer* searchTimer_ = nullptr;
    QWidget* trailing_ = nullptr;
    bool applying_ = false;
};

}  // namespace framescope::ui
