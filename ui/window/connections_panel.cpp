#include "window/connections_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

#include "capture/connection_list_model.h"
#include "widgets/icons.h"

namespace framescope::ui {

ConnectionsPanel::ConnectionsPanel(app::ConnectionListModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    title_ = new QLabel;
    list_ = new QListView;
    list_->setModel(model_);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setUniformItemSizes(true);
    list_->setWordWrap(false);
    list_->setTextElideMode(Qt::ElideRight);
    list_->setAlternatingRowColors(true);
    list_->setToolTip(tr("Every connection in the capture. Select one to show only its rows in the log."));
    close_ = new QPushButton(icon(QStringLiteral("close")), tr("Close"));
    close_->setToolTip(tr("Close the selected connection with 1000; the others go on."));
    showAll_ = new QPushButton(tr("Show all"));
    showAll_->setToolTip(tr("Show every connection's rows in the log."));
    connect(close_, &QPushButton::clicked, this, [this] {
        if (const auto id = selectedConnection()) emit closeRequested(*id);
    });
    connect(showAll_, &QPushButton::clicked, this, [this] {
        list_->clearSelection();
        emit connectionChosen(0);
    });
    connect(list_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        if (const auto id = selectedConnection()) emit connectionChosen(*id);
    });
    connect(model_, &QAbstractItemModel::dataChanged, this, &ConnectionsPanel::updateButtons);
    connect(model_, &QAbstractItemModel::rowsInserted, this, &ConnectionsPanel::updateTitle);
    connect(model_, &QAbstractItemModel::modelReset, this, &ConnectionsPanel::updateTitle);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(showAll_);
    buttons->addWidget(close_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 0, 4);
    layout->setSpacing(4);
    layout->addWidget(title_);
    layout->addWidget(list_, 1);
    layout->addLayout(buttons);
    setMinimumWidth(160);
    updateTitle();
    updateButtons();
}

std::optional<quint32> ConnectionsPanel::selectedConnection() const {
    const QModelIndexList rows = list_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return std::nullopt;
    return rows.first().data(app::ConnectionListModel::IdRole).value<quint32>();
}

bool ConnectionsPanel::selectConnection(quint32 id) {
    const int row = model_->rowOfConnection(id);
    if (row < 0) return false;
    if (selectedConnection() != id) list_->setCurrentIndex(model_->index(row));
    return true;
}

void ConnectionsPanel::updateButtons() {
    const QModelIndexList rows = list_->selectionModel()->selectedRows();
    close_->setEnabled(!rows.isEmpty() && rows.first().data(app::ConnectionListModel::LiveRole).toBool());
}

void ConnectionsPanel::updateTitle() {
    title_->setText(tr("<b>Connections</b> (%1)").arg(model_->rowCount()));
}

}  // namespace framescope::ui
