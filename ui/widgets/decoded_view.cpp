// The inspector's Decoded tab.
#include "widgets/decoded_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "widgets/hex_view.h"

namespace framescope::ui {

namespace {

constexpr int kOffsetRole = Qt::UserRole;
constexpr int kLengthRole = Qt::UserRole + 1;

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

QTreeWidgetItem* itemFor(const decoders::Node& node) {
    auto* item = new QTreeWidgetItem({text(node.name), text(node.value).section(QLatin1Char('\n'), 0, 0)});
    if (node.value.find('\n') != std::string::npos) item->setToolTip(1, text(node.value));
    item->setData(0, kOffsetRole, qint64(node.span.offset));
    item->setData(0, kLengthRole, qint64(node.span.length));
    if (node.kind == decoders::Node::Kind::Error) item->setForeground(1, QColor(0xc0, 0x20, 0x20));
    for (const decoders::Node& child : node.children) {
        // Multi-line values (formatted GraphQL queries) get one child row per line.
        item->addChild(itemFor(child));
    }
    if (node.value.find('\n') != std::string::npos) {
        for (const QString& line : text(node.value).split(QLatin1Char('\n')))
            item->addChild(new QTreeWidgetItem({QString(), line}));
    }
    return item;
}

}  // namespace

DecodedView::DecodedView(QWidget* parent) : QWidget(parent) {
    message_ = new QLabel;
    message_->setAlignment(Qt::AlignCenter);
    message_->setWordWrap(true);
    headline_ = new QLabel;
    headline_->setWordWrap(true);
    headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pair_ = new QLabel;
    pair_->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(pair_, &QLabel::linkActivated, this,
            [this](const QString& link) { emit pairActivated(link.mid(1).toLongLong()); });
    tree_ = new QTreeWidget;
    tree_->setHeaderLabels({tr("Field"), tr("Value")});
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->setUniformRowHeights(true);
    hex_ = new HexView;
    hex_->setPlaceholderText(tr("Empty message"));
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(tree_);
    splitter->addWidget(hex_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(headline_);
    layout->addWidget(pair_);
    layout->addWidget(splitter);
    stack_ = new QStackedWidget;
    stack_->addWidget(page);
    stack_->addWidget(message_);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(stack_);
    connect(tree_, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* current) { onCurrentItemChanged(current); });
    clear();
}

void DecodedView::setDecoded(const std::optional<decoders::Decoded>& decoded, const QByteArray& bytes) {
    tree_->clear();
    hex_->setData(bytes);
    headlinePlain_.clear();
    if (!decoded) {
        message_->setText(
            tr("No application protocol recognised for this message. Decoders apply to the last "
               "frame of a text or binary message."));
        stack_->setCurrentWidget(message_);
        return;
    }
    headlinePlain_ = text(std::string(decoders::protocolName(decoded->protocol))) + QStringLiteral(" · ") +
                     text(decoded->summary);
    QString headline = QStringLiteral("<b>%1</b> · %2")
                           .arg(text(std::string(decoders::protocolName(decoded->protocol))).toHtmlEscaped(),
                                text(decoded->summary).toHtmlEscaped());
    for (const decoders::PairKey& key : decoded->pairs) {
        headlinePlain_ += QStringLiteral("\n%1 %2").arg(
            key.role == decoders::PairKey::Role::Request ? tr("request") : tr("response"), text(key.key));
        headline += QStringLiteral("<br>%1 %2")
                        .arg(key.role == decoders::PairKey::Role::Request ? tr("request") : tr("response"),
                             text(key.key).toHtmlEscaped());
    }
    headline_->setText(headline);
    QTreeWidgetItem* root = itemFor(decoded->root);
    tree_->addTopLevelItem(root);
    tree_->expandAll();
    stack_->setCurrentIndex(0);
}

void DecodedView::onCurrentItemChanged(QTreeWidgetItem* item) {
    if (!item) {
        hex_->clearSelection();
        emit fieldSelected(0, 0);
        return;
    }
    const qint64 offset = item->data(0, kOffsetRole).toLongLong();
    const qint64 length = item->data(0, kLengthRole).toLongLong();
    hex_->setSelection(offset, length);
    if (length > 0) hex_->scrollToOffset(offset);
    emit fieldSelected(offset, length);
}

void DecodedView::setPair(qint64 index, bool isResponse, qint64 latencyUs) {
    pair_->setVisible(index >= 0);
    if (index < 0) return pair_->clear();
    const QString time = tr("%1 ms").arg(double(latencyUs) / 1000.0, 0, 'f', 2);
    const QString link = QStringLiteral("<a href=\"#%1\">#%1</a>").arg(index);
    pair_->setText(isResponse ? tr("answered by %1 after %2").arg(link, time)
                              : tr("answers %1 (%2)").arg(link, time));
}

QString DecodedView::pairText() const {
    if (pair_->text().isEmpty()) return {};
    QString plain = pair_->text();
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return plain;
}

QString DecodedView::headline() const {
    return headlinePlain_;
}

bool DecodedView::treeShown() const {
    return stack_->currentIndex() == 0;
}

}  // namespace framescope::ui
