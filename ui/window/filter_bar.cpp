#include "window/filter_bar.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "capture/connection_list_model.h"
#include "widgets/frame_plan.h"

namespace framescope::ui {

FilterBar::FilterBar(QWidget* parent) : QWidget(parent) {
    hideControl_ = new QCheckBox(tr("Hide control"));
    hideControl_->setToolTip(tr("Hide ping, pong and close frames (and reserved control opcodes). Ctrl+J"));
    bothLegs_ = new QCheckBox(tr("Both legs"));
    bothLegs_->setToolTip(
        tr("A proxy relays each message from one leg to the other: the log shows it once, as it arrived "
           "(app → up, up → app), and the inspector's Other leg tab shows it as sent. Check to show the "
           "relayed frames of both legs too."));
    direction_ = new QComboBox;
    // Short labels: with the Both legs switch the bar still fits a 1366 px screen.
    direction_->addItem(tr("Both ways"), int(app::DirectionFilter::Both));
    direction_->addItem(tr("→ Sent"), int(app::DirectionFilter::Outgoing));
    direction_->addItem(tr("← Received"), int(app::DirectionFilter::Incoming));
    direction_->setToolTip(tr("Show frames in both directions, or only the ones sent or received."));
    connection_ = new QComboBox;
    connection_->addItem(tr("All connections"));
    connection_->setToolTip(tr("Show the rows of every connection or of one (the log's Conn column)."));
    // A fixed width ("Connection #1000001" would widen the bar past a 1366 px screen); the popup shows all.
    connection_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connection_->setMinimumContentsLength(11);
    progress_ = new QLabel;
    progress_->setVisible(false);
    progress_->setToolTip(tr("The filter runs in the background; type on to replace it."));
    opcodeButton_ = new QToolButton;
    opcodeButton_->setPopupMode(QToolButton::InstantPopup);
    opcodeButton_->setMenu(buildOpcodeMenu());
    opcodeButton_->setToolTip(tr("Choose the opcodes shown, and whether notes (handshake, status) show."));
    search_ = new QLineEdit;
    search_->setClearButtonEnabled(true);
    search_->setMinimumWidth(140);
    search_->setToolTip(tr("Search payloads (inflated ones for compressed messages) and notes. Ctrl+F"));
    searchMode_ = new QComboBox;
    searchMode_->addItem(tr("Text"), int(app::SearchMode::Text));
    searchMode_->addItem(tr("Regex"), int(app::SearchMode::Regex));
    searchMode_->addItem(tr("Hex"), int(app::SearchMode::Hex));
    searchMode_->addItem(tr("Decoded"), int(app::SearchMode::Decoded));
    searchMode_->setToolTip(tr(
        "Search as plain text, as a regular expression, as hex bytes (de ad be ef), or in the fields "
        "decoders read: topic:sensors/ event=chat method:sum destination:/topic/prices operation:OnPrice "
        "(name:text contains, name=text equals, a bare word searches the summary; every term must match)."));
    caseSensitive_ = new QCheckBox(tr("Aa"));
    caseSensitive_->setToolTip(tr("Match case"));
    error_ = new QLabel;
    error_->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    error_->setVisible(false);
    error_->setWordWrap(true);

    buildLayout();

    searchTimer_ = new QTimer(this);
    searchTimer_->setSingleShot(true);
    searchTimer_->setInterval(kSearchDelayMs);
    connect(searchTimer_, &QTimer::timeout, this, &FilterBar::applyNow);
    connect(search_, &QLineEdit::textChanged, searchTimer_, qOverload<>(&QTimer::start));
    connect(search_, &QLineEdit::returnPressed, this, &FilterBar::applyNow);
    connect(hideControl_, &QCheckBox::toggled, this, &FilterBar::applyNow);
    connect(bothLegs_, &QCheckBox::toggled, this, &FilterBar::applyNow);
    connect(caseSensitive_, &QCheckBox::toggled, this, &FilterBar::applyNow);
    connect(direction_, &QComboBox::currentIndexChanged, this, &FilterBar::applyNow);
    connect(connection_, &QComboBox::currentIndexChanged, this, &FilterBar::applyNow);
    connect(searchMode_, &QComboBox::currentIndexChanged, this, [this] {
        updatePlaceholder();
        applyNow();
    });
    updatePlaceholder();
    updateOpcodeButton();
}

void FilterBar::buildLayout() {
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(hideControl_);
    row->addWidget(bothLegs_);
    row->addWidget(direction_);
    row->addWidget(connection_);
    row->addWidget(opcodeButton_);
    row->addSpacing(8);
    row->addWidget(search_, 1);
    row->addWidget(searchMode_);
    row->addWidget(caseSensitive_);
    row->addWidget(progress_);
    trailing_ = new QWidget;
    auto* trailingLayout = new QHBoxLayout(trailing_);
    trailingLayout->setContentsMargins(0, 0, 0, 0);
    row->addWidget(trailing_);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(4, 4, 4, 2);
    column->setSpacing(2);
    column->addLayout(row);
    column->addWidget(error_);
}

QMenu* FilterBar::buildOpcodeMenu() {
    auto* menu = new QMenu(this);
    auto* all = menu->addAction(tr("Show all"));
    auto* dataOnly = menu->addAction(tr("Data frames only"));
    menu->addSeparator();
    for (int op = 0; op < 16; ++op) {
        QAction* action = menu->addAction(opcodeLabel(static_cast<uint8_t>(op)));
        action->setCheckable(true);
        action->setChecked(true);
        opcodeActions_[op] = action;
        connect(action, &QAction::toggled, this, [this] {
            if (applying_) return;
            updateOpcodeButton();
            applyNow();
        });
        if (op == 7) menu->addSeparator();
    }
    menu->addSeparator();
    notesAction_ = menu->addAction(tr("Notes (handshake, status)"));
    notesAction_->setCheckable(true);
    notesAction_->setChecked(true);
    connect(notesAction_, &QAction::toggled, this, [this] {
        if (!applying_) applyNow();
    });
    auto setOpcodes = [this](uint16_t bits) {
        applying_ = true;
        for (int op = 0; op < 16; ++op)
            opcodeActions_[op]->setChecked((bits >> op) & 1u);
        applying_ = false;
        updateOpcodeButton();
        applyNow();
    };
    connect(all, &QAction::triggered, this, [setOpcodes] { setOpcodes(app::CaptureFilter::kAllOpcodes); });
    connect(dataOnly, &QAction::triggered, this, [setOpcodes] { setOpcodes(0x0007); });
    return menu;
}

void FilterBar::updateOpcodeButton() {
    int checked = 0;
    for (QAction* action : opcodeActions_)
        checked += action->isChecked() ? 1 : 0;
    opcodeButton_->setText(checked == 16 ? tr("All opcodes") : tr("%1 of 16 opcodes").arg(checked));
}

void FilterBar::updatePlaceholder() {
    switch (static_cast<app::SearchMode>(searchMode_->currentData().toInt())) {
        case app::SearchMode::Text:
            search_->setPlaceholderText(tr("Search payloads… (Ctrl+F)"));
            break;
        case app::SearchMode::Regex:
            search_->setPlaceholderText(tr("Regular expression, e.g. \"type\":\\s*\"(buy|sell)\""));
            break;
        case app::SearchMode::Hex:
            search_->setPlaceholderText(tr("Hex bytes, e.g. de ad be ef"));
            break;
        case app::SearchMode::Decoded:
            search_->setPlaceholderText(tr("Decoded fields, e.g. topic:sensors/ event=chat method:sum"));
            break;
    }
}

app::CaptureFilter FilterBar::filter() const {
    app::CaptureFilter filter;
    filter.direction = static_cast<app::DirectionFilter>(direction_->currentData().toInt());
    filter.opcodes = 0;
    for (int op = 0; op < 16; ++op) {
        if (opcodeActions_[op]->isChecked()) filter.opcodes |= app::CaptureFilter::opcodeBit(uint8_t(op));
    }
    filter.hideControl = hideControl_->isChecked();
    filter.hideNotes = !notesAction_->isChecked();
    filter.hideRelayed = !bothLegs_->isChecked();
    if (connection_->currentIndex() > 0) filter.connections = {connection_->currentData().toUInt()};
    filter.search = search_->text();
    filter.searchMode = static_cast<app::SearchMode>(searchMode_->currentData().toInt());
    filter.caseSensitivity = caseSensitive_->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    return filter;
}

void FilterBar::setFilter(const app::CaptureFilter& filter) {
    applying_ = true;
    hideControl_->setChecked(filter.hideControl);
    bothLegs_->setChecked(!filter.hideRelayed);
    direction_->setCurrentIndex(direction_->findData(int(filter.direction)));
    connection_->setCurrentIndex(filter.connections.empty() ? 0
                                                            : connectionIndex(filter.connections.front()));
    for (int op = 0; op < 16; ++op)
        opcodeActions_[op]->setChecked((filter.opcodes >> op) & 1u);
    notesAction_->setChecked(!filter.hideNotes);
    search_->setText(filter.search);
    searchMode_->setCurrentIndex(searchMode_->findData(int(filter.searchMode)));
    caseSensitive_->setChecked(filter.caseSensitivity == Qt::CaseSensitive);
    applying_ = false;
    updateOpcodeButton();
    applyNow();
}

int FilterBar::connectionIndex(quint32 id) {
    const int found = connection_->findData(id);
    if (found >= 0) return found;
    int at = 1;
    while (at < connection_->count() && connection_->itemData(at).toUInt() < id)
        ++at;
    connection_->insertItem(at, connectionLabel(id), id);
    return at;
}

QString FilterBar::connectionLabel(quint32 id) const {
    const int row = connections_ ? connections_->rowOfConnection(id) : -1;
    if (row < 0) return tr("Connection #%1").arg(id);
    const app::ConnectionListModel::Entry& entry = connections_->entry(row);
    QStringList parts{QStringLiteral("#%1").arg(id)};
    if (!entry.peer.isEmpty()) parts << entry.peer;
    if (!entry.state.isEmpty()) parts << QStringLiteral("· ") + entry.state;
    return parts.join(QLatin1Char(' '));
}

void FilterBar::setConnectionsModel(const app::ConnectionListModel* model) {
    connections_ = model;
    connect(model, &QAbstractItemModel::dataChanged, this, &FilterBar::relabelConnections);
    connect(model, &QAbstractItemModel::rowsInserted, this, &FilterBar::relabelConnections);
    connect(model, &QAbstractItemModel::modelReset, this, &FilterBar::relabelConnections);
    relabelConnections();
}

// Peers and states arrive after the ids (the handshake and status notes follow the first frame).
void FilterBar::relabelConnections() {
    for (int i = 1; i < connection_->count(); ++i) {
        const quint32 id = connection_->itemData(i).toUInt();
        connection_->setItemText(i, connectionLabel(id));
        const int row = connections_ ? connections_->rowOfConnection(id) : -1;
        connection_->setItemData(i, row < 0 ? QVariant() : connections_->index(row).data(Qt::ToolTipRole),
                                 Qt::ToolTipRole);
    }
    // The combo stays narrow for a 1366 px screen; its list is as wide as its longest label.
    connection_->view()->setMinimumWidth(connection_->view()->sizeHintForColumn(0) + 24);
}

void FilterBar::setConnectionIds(const std::vector<uint32_t>& ids) {
    const QSignalBlocker blocker(connection_);
    const QVariant chosen = connection_->currentData();
    while (connection_->count() > 1)
        connection_->removeItem(1);
    for (uint32_t id : ids)
        connection_->addItem(connectionLabel(id), id);
    connection_->setCurrentIndex(chosen.isValid() ? connectionIndex(chosen.toUInt()) : 0);
    relabelConnections();
}

void FilterBar::selectConnection(quint32 id) {
    connection_->setCurrentIndex(connectionIndex(id));  // emits through currentIndexChanged
}

void FilterBar::showAllConnections() {
    connection_->setCurrentIndex(0);
}

void FilterBar::setProgress(int percent) {
    progress_->setVisible(percent >= 0);
    if (percent >= 0) progress_->setText(tr("Filtering… %1 %").arg(percent));
}

void FilterBar::setError(const QString& error) {
    error_->setText(error);
    error_->setVisible(!error.isEmpty());
    search_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("border: 1px solid #d32f2f;"));
}

QString FilterBar::error() const {
    return error_->text();
}

void FilterBar::addTrailingWidget(QWidget* widget) {
    trailing_->layout()->addWidget(widget);
}

void FilterBar::focusSearch() {
    search_->setFocus(Qt::ShortcutFocusReason);
    search_->selectAll();
}

void FilterBar::applyNow() {
    if (applying_) return;
    searchTimer_->stop();
    emit filterChanged(filter());
}

}  // namespace framescope::ui
