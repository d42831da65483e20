// The capture's connections as a side list (left of the log): each with its id, kind, peer, state, and
// frames and bytes per direction (app::ConnectionListModel). Choosing one asks for the log to show only
// it; Close ends that one connection and leaves the others running.
#pragma once

#include <QWidget>

#include <optional>

class QLabel;
class QListView;
class QPushButton;

namespace framescope::app {
class ConnectionListModel;
}

namespace framescope::ui {

class ConnectionsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionsPanel(app::ConnectionListModel* model, QWidget* parent = nullptr);

    app::ConnectionListModel* model() const { return model_; }
    QListView* list() const { return list_; }
    QPushButton* closeButton() const { return close_; }
    QPushButton* showAllButton() const { return showAll_; }
    std::optional<quint32> selectedConnection() const;
    // Selects the connection's row (no signal when it is already selected); false when it is not listed.
    bool selectConnection(quint32 id);

signals:
    // The user chose one connection (its id), or all of them (0: no connection filter).
    void connectionChosen(quint32 id);
    void closeRequested(quint32 id);

private:
    void updateButtons();
    void updateTitle();

    app::ConnectionListModel* model_;
    QLabel* title_ = nullptr;
    QListView* list_ = nullptr;
    QPushButton* close_ = nullptr;
    QPushButton* showAll_ = nullptr;
};

}  // namespace framescope::ui
