// The Intercept tool tab. See intercept_panel.h.
#include "window/intercept_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "framescope/frame.h"

namespace framescope::ui {

namespace {

enum HeldColumn { IdColumn, PairColumn, DirectionColumn, OpcodeColumn, SizeColumn, PayloadColumn };

QString opcodeText(uint8_t op) {
    if (op == opcode::kText) return QStringLiteral("text");
    if (op == opcode::kBinary) return QStringLiteral("binary");
    if (op == opcode::kClose) return QStringLiteral("close");
    return QStringLiteral("0x%1").arg(op, 0, 16);
}

// The start of the payload: text as is (one line), anything else as hex.
QString payloadPreview(const app::HeldMessage& m) {
    constexpr int kPreview = 120;
    const QByteArray head = m.payload.left(kPreview);
    if (m.opcode == opcode::kBinary) return QString::fromLatin1(head.toHex(' '));
    QString text = QString::fromUtf8(head);
    text.replace(QLatin1Char('\n'), QStringLiteral("⏎"));
    if (m.opcode == opcode::kClose) return QStringLiteral("%1 %2").arg(m.closeCode).arg(text);
    return text;
}

app::Leg legTo(const app::HeldMessage& m) {
    return m.from == app::Leg::Client ? app::Leg::Upstream : app::Leg::Client;
}

}  // namespace

InterceptPanel::InterceptPanel(QWidget* parent) : QWidget(parent) {
    held_ = new QTreeWidget;
    held_->setRootIsDecorated(false);
    held_->setUniformRowHeights(true);
    held_->setAlternatingRowColors(true);
    held_->setHeaderLabels(
        {tr("Held"), tr("Conn"), tr("Direction"), tr("Opcode"), tr("Bytes"), tr("Payload")});
    held_->header()->setStretchLastSection(true);
    for (int column = IdColumn; column < PayloadColumn; ++column)
        held_->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    held_->setToolTip(
        tr("Messages a breakpoint holds. Later messages of the same direction wait behind them "
           "in order; the other direction and every leg's pings go on."));
    connect(held_, &QTreeWidget::itemSelectionChanged, this, &InterceptPanel::updateButtons);
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildRulesRow());
    layout->addWidget(held_, 1);
    layout->addWidget(buildActionsRow());
    // The status, and what the next proxy started with the Proxy button takes.
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(status_, 1);
    bottom->addWidget(answerPings_);
    bottom->addWidget(new QLabel(tr("Proxy port")));
    bottom->addWidget(port_);
    layout->addLayout(bottom);
    setProxy(nullptr);
}

QWidget* InterceptPanel::buildRulesRow() {
    enable_ = new QCheckBox(tr("&Intercept"));
    enable_->setToolTip(tr("Hold the proxied messages the breakpoint matches until you decide."));
    direction_ = new QComboBox;
    direction_->addItems({tr("Both directions"), tr("App → upstream"), tr("Upstream → app")});
    opcodes_ = new QComboBox;
    opcodes_->addItems({tr("Text and binary"), tr("Text"), tr("Binary")});
    closes_ = new QCheckBox(tr("Closes"));
    closes_->setToolTip(tr("Hold close frames too (pings are never held)."));
    pattern_ = new QLineEdit;
    pattern_->setPlaceholderText(tr("payload contains… (empty: any)"));
    regex_ = new QCheckBox(tr("Regex"));
    port_ = new QSpinBox;
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("any port"));
    port_->setToolTip(tr("The port the next proxy started with the Proxy button listens on (loopback)."));
    answerPings_ = new QCheckBox(tr("Answer pings per leg"));
    answerPings_->setChecked(true);
    answerPings_->setToolTip(
        tr("Checked: the proxy answers each side's pings itself, so the app and the upstream never see each "
           "other's. Unchecked: pings and pongs pass through to the other side at once (never behind held "
           "messages), so each side answers the other's. Applies when the proxy starts."));
    connect(answerPings_, &QCheckBox::toggled, this, [this] {
        if (proxy_ && passPings() != proxy_->passesPings())
            showStatus(
                tr("The running proxy keeps its ping setting: press Stop proxy, then Proxy, to apply it."));
    });
    for (QCheckBox* box : {enable_, closes_, regex_})
        connect(box, &QCheckBox::toggled, this, &InterceptPanel::applyRules);
    for (QComboBox* combo : {direction_, opcodes_})
        connect(combo, &QComboBox::currentIndexChanged, this, &InterceptPanel::applyRules);
    connect(pattern_, &QLineEdit::textChanged, this, &InterceptPanel::applyRules);

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(enable_);
    layout->addWidget(direction_);
    layout->addWidget(opcodes_);
    layout->addWidget(closes_);
    layout->addWidget(pattern_, 1);
    layout->addWidget(regex_);
    return row;
}

QWidget* InterceptPanel::buildActionsRow() {
    forward_ = new QPushButton(tr("&Forward"));
    forward_->setToolTip(tr("Send the held message on as it came."));
    edit_ = new QPushButton(tr("&Edit in crafter"));
    edit_->setToolTip(
        tr("Load it into the Frame crafter: its next Send replaces the held message, any "
           "field, broken on purpose if you like."));
    drop_ = new QPushButton(tr("&Drop"));
    drop_->setToolTip(tr("Never send the held message; the ones queued behind it go on."));
    pairs_ = new QComboBox;
    pairs_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    pairs_->setToolTip(tr("The proxied connection to inject into (its app leg's id)."));
    injectLeg_ = new QComboBox;
    injectLeg_->addItems({tr("into the upstream leg"), tr("into the app leg")});
    inject_ = new QPushButton(tr("I&nject…"));
    inject_->setToolTip(
        tr("Craft a frame in the Frame crafter; its next Send goes into the chosen leg now."));
    connect(forward_, &QPushButton::clicked, this, &InterceptPanel::forwardSelected);
    connect(edit_, &QPushButton::clicked, this, &InterceptPanel::editSelected);
    connect(drop_, &QPushButton::clicked, this, &InterceptPanel::dropSelected);
    connect(inject_, &QPushButton::clicked, this, &InterceptPanel::injectIntoChosenLeg);

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(forward_);
    layout->addWidget(edit_);
    layout->addWidget(drop_);
    layout->addStretch(1);
    layout->addWidget(pairs_);
    layout->addWidget(injectLeg_);
    layout->addWidget(inject_);
    return row;
}

void InterceptPanel::setProxy(app::ProxyServer* proxy) {
    if (proxy_) disconnect(proxy_, nullptr, this, nullptr);
    proxy_ = proxy;
    messages_.clear();
    held_->clear();
    pairs_->clear();
    disarmCrafter();
    if (proxy_) {
        connect(proxy_, &app::ProxyServer::messageHeld, this, &InterceptPanel::onHeld);
        connect(proxy_, &app::ProxyServer::heldReleased, this, &InterceptPanel::onReleased);
        connect(proxy_, &app::ProxyServer::pairOpened, this, &InterceptPanel::onPairOpened);
        connect(proxy_, &app::ProxyServer::pairFinished, this, &InterceptPanel::onPairFinished);
        connect(proxy_, &app::ProxyServer::interceptFailed, this, &InterceptPanel::showStatus);
        applyRules();
        showStatus(tr("Proxy listening on %1: point an app at it. %2")
                       .arg(proxy_->url().toString(),
                            proxy_->passesPings() ? tr("Pings and pongs pass through to the other side.")
                                                  : tr("Pings are answered on each leg.")));
    } else {
        showStatus(tr("No proxy runs: type the upstream URL in the bar above and press Proxy."));
    }
    updateButtons();
}

app::InterceptRules InterceptPanel::rules() const {
    app::InterceptRules rules;
    rules.enabled = enable_->isChecked();
    rules.direction = app::InterceptDirection(direction_->currentIndex());
    rules.opcodes = app::InterceptOpcodes(opcodes_->currentIndex());
    rules.closes = closes_->isChecked();
    rules.pattern = pattern_->text();
    rules.regex = regex_->isChecked();
    return rules;
}

bool InterceptPanel::applyRules() {
    const app::InterceptRules wanted = rules();
    QString error = app::checkInterceptRules(wanted);
    if (error.isEmpty() && proxy_) proxy_->setInterceptRules(wanted, &error);
    pattern_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #d32f2f;"));
    if (!error.isEmpty()) showStatus(error);
    return error.isEmpty();
}

int InterceptPanel::heldCount() const {
    return static_cast<int>(messages_.size());
}

std::optional<app::HeldMessage> InterceptPanel::selectedHeld() const {
    const QTreeWidgetItem* item = held_->currentItem();
    if (!item || !item->isSelected()) return std::nullopt;
    const int row = held_->currentIndex().row();
    if (row < 0 || row >= messages_.size()) return std::nullopt;
    return messages_.at(row);
}

bool InterceptPanel::selectHeld(int index) {
    QTreeWidgetItem* item = held_->topLevelItem(index);
    if (!item) return false;
    held_->setCurrentItem(item);
    item->setSelected(true);
    return true;
}

void InterceptPanel::forwardSelected() {
    const auto message = selectedHeld();
    if (!message || !proxy_) return;
    proxy_->resolveHeld(message->pairId, message->id, {});
}

void InterceptPanel::dropSelected() {
    const auto message = selectedHeld();
    if (!message || !proxy_) return;
    app::InterceptAction drop;
    drop.kind = app::InterceptAction::Kind::Drop;
    proxy_->resolveHeld(message->pairId, message->id, drop);
}

void InterceptPanel::editSelected() {
    const auto message = selectedHeld();
    if (!message || !proxy_) return;
    crafterTarget_ = CrafterTarget{message->pairId, message->id, legTo(*message)};
    showStatus(tr("The Frame crafter's next Send replaces held message %1 (%2).")
                   .arg(message->id)
                   .arg(QString::fromUtf8(app::interceptDirectionName(message->from))));
    emit editRequested(*message, legTo(*message));
}

void InterceptPanel::injectIntoChosenLeg() {
    if (!proxy_ || pairs_->currentIndex() < 0) return;
    const quint32 pair = pairs_->currentData().toUInt();
    const app::Leg to = injectLeg_->currentIndex() == 0 ? app::Leg::Upstream : app::Leg::Client;
    crafterTarget_ = CrafterTarget{pair, 0, to};
    showStatus(tr("The Frame crafter's next Send goes into the %1 leg of connection %2.")
                   .arg(to == app::Leg::Upstream ? tr("upstream") : tr("app"))
                   .arg(pair));
    emit injectRequested(pair, to);
}

void InterceptPanel::disarmCrafter() {
    crafterTarget_.reset();
}

bool InterceptPanel::takeCrafterPlan(const QList<app::RawFrame>& frames) {
    if (!crafterTarget_) return false;
    const CrafterTarget target = *crafterTarget_;
    crafterTarget_.reset();
    if (!proxy_) return true;  // the proxy stopped meanwhile: nothing to send to
    app::InterceptAction action;
    action.kind = app::InterceptAction::Kind::Frames;
    action.frames = frames;
    if (target.heldId != 0) {
        proxy_->resolveHeld(target.pairId, target.heldId, action);
        showStatus(tr("Sent %n crafted frame(s) instead of held message %1.", nullptr, int(frames.size()))
                       .arg(target.heldId));
    } else {
        proxy_->inject(target.pairId, target.to, action);
        showStatus(
            tr("Injected %n crafted frame(s) into the %1 leg of connection %2.", nullptr, int(frames.size()))
                .arg(target.to == app::Leg::Upstream ? tr("upstream") : tr("app"))
                .arg(target.pairId));
    }
    return true;
}

quint16 InterceptPanel::listenPort() const {
    return static_cast<quint16>(port_->value());
}

bool InterceptPanel::passPings() const {
    return !answerPings_->isChecked();
}

void InterceptPanel::onHeld(const app::HeldMessage& message) {
    messages_.append(message);
    auto* item = new QTreeWidgetItem(held_);
    item->setText(IdColumn, QString::number(message.id));
    item->setText(PairColumn, QStringLiteral("#%1").arg(message.pairId));
    item->setText(DirectionColumn, QString::fromUtf8(app::interceptDirectionName(message.from)));
    item->setText(OpcodeColumn, opcodeText(message.opcode));
    item->setText(SizeColumn, QString::number(message.payload.size()));
    item->setText(PayloadColumn, payloadPreview(message));
    if (!held_->currentItem()) selectHeld(0);
    updateButtons();
}

void InterceptPanel::onReleased(quint32 pairId, quint64 heldId) {
    for (int row = 0; row < messages_.size(); ++row) {
        if (messages_.at(row).pairId != pairId || messages_.at(row).id != heldId) continue;
        messages_.removeAt(row);
        delete held_->takeTopLevelItem(row);
        break;
    }
    if (crafterTarget_ && crafterTarget_->heldId == heldId) crafterTarget_.reset();
    if (!selectedHeld() && !messages_.isEmpty()) selectHeld(0);
    updateButtons();
}

void InterceptPanel::onPairOpened(quint32 pairId, const QString& peer) {
    pairs_->addItem(tr("#%1 (%2)").arg(pairId).arg(peer), pairId);
    if (pairs_->count() == 1) pairs_->setCurrentIndex(0);
    updateButtons();
}

void InterceptPanel::onPairFinished(quint32 pairId) {
    const int index = pairs_->findData(pairId);
    if (index >= 0) pairs_->removeItem(index);
    updateButtons();
}

void InterceptPanel::updateButtons() {
    const bool chosen = proxy_ && selectedHeld().has_value();
    forward_->setEnabled(chosen);
    edit_->setEnabled(chosen);
    drop_->setEnabled(chosen);
    inject_->setEnabled(proxy_ && pairs_->count() > 0);
}

void InterceptPanel::showStatus(const QString& sentence) {
    status_->setText(sentence);
}

}  // namespace framescope::ui
