#include "widgets/frame_inspector.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "framescope/close_code.h"
#include "framescope/utf8.h"
#include "widgets/decoded_view.h"
#include "widgets/frame_plan.h"
#include "widgets/header_diagram_widget.h"
#include "widgets/hex_view.h"
#include "widgets/json_tree.h"
#include "widgets/other_leg_view.h"
#include "widgets/payload_text.h"

namespace framescope::ui {

namespace {

QString byteCount(quint64 bytes) {
    return bytes == 1 ? QObject::tr("1 byte") : QObject::tr("%L1 bytes").arg(bytes);
}

QPlainTextEdit* readOnlyText() {
    auto* edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return edit;
}

QLabel* noteLabel() {
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setVisible(false);
    return label;
}

QString timeText(qint64 timestampUs) {
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timestampUs / 1000);
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
           QStringLiteral("%1").arg(timestampUs % 1000, 3, 10, QLatin1Char('0'));
}

}  // namespace

FrameInspector::FrameInspector(QWidget* parent) : QWidget(parent) {
    stack_ = new QStackedWidget;
    auto* empty = new QLabel(tr("Select a frame to inspect its header, its bytes and its payload."));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    stack_->addWidget(empty);
    stack_->addWidget(buildContent());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
}

QWidget* FrameInspector::buildContent() {
    summary_ = new QLabel;
    summary_->setTextFormat(Qt::RichText);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    violation_ = noteLabel();
    violation_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    siblings_ = new QListWidget;
    siblings_->setToolTip(tr("The frames of the same message; click one to inspect it."));
    siblings_->setMaximumHeight(110);
    siblings_->setMaximumWidth(320);
    siblings_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(siblings_, &QListWidget::itemClicked, this, &FrameInspector::onSiblingClicked);
    auto* top = new QHBoxLayout;
    auto* summaryColumn = new QVBoxLayout;
    summaryColumn->addWidget(summary_);
    summaryColumn->addWidget(violation_);
    summaryColumn->addStretch();
    top->addLayout(summaryColumn, 1);
    top->addWidget(siblings_);

    diagram_ = new HeaderDiagramWidget;
    connect(diagram_, &HeaderDiagramWidget::fieldClicked, this, &FrameInspector::selectField);
    connect(diagram_, &HeaderDiagramWidget::rowsChanged, this, &FrameInspector::updateDiagramHeight);
    auto* diagramScroll = new QScrollArea;
    diagramScroll->setWidget(diagram_);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    diagramScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    diagramScroll->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(buildWirePane());
    splitter->addWidget(buildPayloadTabs());
    splitter->setChildrenCollapsible(false);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(diagramScroll);
    layout->addWidget(splitter, 1);
    diagramScroll_ = diagramScroll;
    return content;
}

QWidget* FrameInspector::buildWirePane() {
    maskedToggle_ = new QCheckBox(tr("Payload masked, as on the wire"));
    maskedToggle_->setChecked(true);
    maskedToggle_->setToolTip(
        tr("Show the payload XORed with the masking key, as sent (RFC 6455 §5.3), or "
           "unmasked."));
    connect(maskedToggle_, &QCheckBox::toggled, this, &FrameInspector::showWireBytes);
    wireNote_ = noteLabel();
    wireView_ = new HexView;
    wireView_->setToolTip(QString());
    auto* heading = new QLabel(tr("<b>Frame bytes</b>"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(heading);
    bar->addStretch();
    bar->addWidget(wireNote_);
    bar->addWidget(maskedToggle_);
    auto* pane = new QWidget;
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(wireView_);
    return pane;
}

QWidget* FrameInspector::buildPayloadTabs() {
    tabs_ = new QTabWidget;
    textNote_ = new QLabel;
    textNote_->setWordWrap(true);
    showMore_ = new QPushButton(tr("Show more"));
    showMore_->setToolTip(tr("Show twice as many bytes of the payload here and in the Base64 tab."));
    connect(showMore_, &QPushButton::clicked, this, &FrameInspector::showMoreText);
    savePayload_ = new QPushButton(tr("Save payload…"));
    savePayload_->setToolTip(tr("Write the whole payload (inflated, if compressed) to a file."));
    connect(savePayload_, &QPushButton::clicked, this, &FrameInspector::onSavePayload);
    textBar_ = new QWidget;
    auto* bar = new QHBoxLayout(textBar_);
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(textNote_, 1);
    bar->addWidget(showMore_);
    bar->addWidget(savePayload_);
    textBar_->setVisible(false);
    text_ = readOnlyText();
    auto* textPage = new QWidget;
    auto* textLayout = new QVBoxLayout(textPage);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->addWidget(textBar_);
    textLayout->addWidget(text_);
    tabs_->addTab(textPage, tr("Text"));

    jsonTree_ = new QTreeWidget;
    jsonTree_->setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    jsonTree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    jsonTree_->setUniformRowHeights(true);
    jsonMessage_ = new QLabel;
    jsonMessage_->setAlignment(Qt::AlignCenter);
    jsonMessage_->setWordWrap(true);
    jsonStack_ = new QStackedWidget;
    jsonStack_->addWidget(jsonTree_);
    jsonStack_->addWidget(jsonMessage_);
    tabs_->addTab(jsonStack_, tr("JSON"));

    payloadHex_ = new HexView;
    payloadHex_->setPlaceholderText(tr("Empty payload"));
    tabs_->addTab(payloadHex_, tr("Hex"));
    base64Note_ = noteLabel();
    base64_ = readOnlyText();
    base64_->setFont(payloadHex_->font());
    auto* base64Page = new QWidget;
    auto* base64Layout = new QVBoxLayout(base64Page);
    base64Layout->setContentsMargins(0, 0, 0, 0);
    base64Layout->addWidget(base64Note_);
    base64Layout->addWidget(base64_);
    tabs_->addTab(base64Page, tr("Base64"));
    decoded_ = new DecodedView;
    tabs_->addTab(decoded_, tr("Decoded"));
    connect(decoded_, &DecodedView::pairActivated, this, &FrameInspector::siblingActivated);
    connect(decoded_, &DecodedView::fieldSelected, this, &FrameInspector::highlightDecodedField);
    otherLeg_ = new OtherLegView;
    otherLeg_->setToolTip(tr("The same message on the proxy's other leg, as sent there or as it arrived."));
    tabs_->addTab(otherLeg_, tr("Other leg"));
    tabs_->setTabVisible(OtherLegTab, false);
    connect(otherLeg_, &OtherLegView::frameActivated, this, &FrameInspector::siblingActivated);
    return tabs_;
}

bool FrameInspector::highlightDecodedField(qint64 offset, qint64 length) {
    // The frame's captured payload is the tail of the decoded message (its earlier fragments come first).
    const qint64 payloadSize = frame_.payload.size();
    const qint64 frameStart = frame_.decodedBytes.size() - payloadSize;
    const qint64 first = std::max(offset - frameStart, qint64{0});
    const qint64 end = std::min(offset + length - frameStart, payloadSize);
    if (length <= 0 || frame_.compressed || frameStart < 0 || first >= end) {
        wireView_->clearSelection();
        return false;
    }
    const qint64 headerSize = headerBytes(frame_).size();
    wireView_->setSelection(headerSize + first, end - first);
    wireView_->scrollToOffset(headerSize + first);
    return true;
}

void FrameInspector::setFrame(const FrameData& frame) {
    frame_ = frame;
    hasFrame_ = true;
    shownLimit_ = kTextShownLimit;
    diagram_->setHeader(frame.header);
    updateDiagramHeight();
    maskedToggle_->setEnabled(frame.header.masked);
    showSummary();
    showSiblings();
    showWireBytes();
    showPayload();
    decoded_->setDecoded(frame.decoded, frame.decodedBytes);
    decoded_->setPair(frame.pairedIndex, frame.pairedIsResponse, frame.pairLatencyUs);
    showOtherLeg();
    stack_->setCurrentIndex(1);
}

// The Other leg tab shows for a proxy's data frames only.
void FrameInspector::showOtherLeg() {
    if (frame_.otherLeg) {
        otherLeg_->setOtherLeg(frame_, *frame_.otherLeg);
    } else {
        otherLeg_->clear();
        if (tabs_->currentIndex() == OtherLegTab) tabs_->setCurrentIndex(TextTab);
    }
    tabs_->setTabVisible(OtherLegTab, frame_.otherLeg.has_value());
}

void FrameInspector::updateDiagramHeight() {
    // Room for the horizontal scroll bar only when the diagram does not fit.
    const bool scrolls = diagram_->minimumSizeHint().width() > diagramScroll_->viewport()->width();
    const int bar = scrolls ? diagramScroll_->horizontalScrollBar()->sizeHint().height() : 0;
    diagramScroll_->setFixedHeight(diagram_->sizeHint().height() + bar + 2);
}

void FrameInspector::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateDiagramHeight();
}

void FrameInspector::clear() {
    frame_ = FrameData{};
    hasFrame_ = false;
    diagram_->clear();
    wireView_->setData({});
    payloadHex_->setData({});
    text_->clear();
    textBar_->setVisible(false);
    base64_->clear();
    jsonTree_->clear();
    decoded_->clear();
    showOtherLeg();
    stack_->setCurrentIndex(0);
}

void FrameInspector::setShowMasked(bool masked) {
    maskedToggle_->setChecked(masked);
}

bool FrameInspector::showsMasked() const {
    return maskedToggle_->isChecked();
}

bool FrameInspector::jsonTreeShown() const {
    return jsonStack_->currentWidget() == jsonTree_;
}

QString FrameInspector::jsonMessage() const {
    return jsonMessage_->text();
}

QString FrameInspector::summaryText() const {
    QTextDocument document;
    document.setHtml(summary_->text());
    QString text = document.toPlainText();
    if (violation_->isVisible() || !frame_.violation.isEmpty()) text += QLatin1Char('\n') + frame_.violation;
    return text;
}

QString FrameInspector::payloadText() const {
    return text_->toPlainText();
}

QString FrameInspector::textNoteText() const {
    return textBar_->isHidden() ? QString() : textNote_->text();
}

void FrameInspector::showWireBytes() {
    const bool masked = maskedToggle_->isChecked();
    const QByteArray bytes = wireBytes(frame_, masked);
    wireView_->setData(bytes, frameByteRanges(frame_.header, frame_.payload.size()));
    const bool truncated = static_cast<quint64>(frame_.payload.size()) < frame_.payloadLength;
    wireNote_->setText(
        tr("showing %1 of %2 payload bytes").arg(frame_.payload.size()).arg(frame_.payloadLength));
    wireNote_->setVisible(truncated);
}

void FrameInspector::showSummary() {
    const FrameHeader& h = frame_.header;
    QStringList rows;
    auto row = [&rows](const QString& name, const QString& value) {
        rows << QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(name, value);
    };
    row(tr("Direction"), frame_.direction == FrameDirection::Incoming ? tr("← received") : tr("→ sent"));
    row(tr("Time"), timeText(frame_.timestampUs));
    row(tr("Opcode"), QStringLiteral("%1%2").arg(opcodeLabel(h.opcode),
                                                 h.fin ? QString() : tr(", FIN 0 (more fragments follow)")));
    QString length = byteCount(frame_.payloadLength);
    if (static_cast<quint64>(frame_.payload.size()) < frame_.payloadLength) {
        length += tr(" (%1 captured)").arg(byteCount(static_cast<quint64>(frame_.payload.size())));
    }
    row(tr("Payload"), length + tr(", header %1").arg(byteCount(h.headerSize)));
    if (frame_.compressed) {
        row(tr("Compressed"),
            tr("%1 on the wire → %2 inflated (permessage-deflate)")
                .arg(byteCount(frame_.wireSize), byteCount(static_cast<quint64>(frame_.inflated.size()))));
    }
    if (frame_.hasCloseCode) {
        QString close = QStringLiteral("%1 %2")
                            .arg(frame_.closeCode)
                            .arg(QString::fromUtf8(closeCodeName(frame_.closeCode)));
        if (!frame_.closeReason.isEmpty())
            close += tr(", reason “%1”").arg(frame_.closeReason.toHtmlEscaped());
        row(tr("Close"), close);
    }
    if (frame_.messageIndex != kNoMessage) row(tr("Message"), QStringLiteral("#%1").arg(frame_.messageIndex));
    summary_->setText(QStringLiteral("<table cellspacing=0>%1</table>").arg(rows.join(QString())));
    violation_->setVisible(!frame_.violation.isEmpty());
    violation_->setText(QStringLiteral("<span style='color:#d03030'><b>⚠ %1</b></span>")
                            .arg(frame_.violation.toHtmlEscaped()));
}

void FrameInspector::showSiblings() {
    siblings_->clear();
    for (const SiblingFrame& sibling : frame_.siblings) {
        auto* item = new QListWidgetItem(QStringLiteral("#%1  %2  FIN %3  %4 B")
                                             .arg(sibling.index)
                                             .arg(QString::fromLatin1(opcodeName(sibling.opcode)))
                                             .arg(sibling.fin ? 1 : 0)
                                             .arg(sibling.payloadLength),
                                         siblings_);
        item->setData(Qt::UserRole, sibling.index);
        if (sibling.current) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            siblings_->setCurrentItem(item);
        }
    }
    siblings_->setVisible(frame_.siblings.size() > 1);
}

void FrameInspector::onSiblingClicked(QListWidgetItem* item) {
    emit siblingActivated(item->data(Qt::UserRole).toLongLong());
}

void FrameInspector::showPayload() {
    const QByteArray& payload = displayPayload(frame_);
    const QByteArray preview = utf8Prefix(payload, kTextPreviewLimit);
    const bool utf8 = isValidUtf8(
        {reinterpret_cast<const uint8_t*>(preview.constData()), static_cast<size_t>(preview.size())});
    showText();
    // Binary payloads open on the Hex tab; text ones go back to Text when the Hex tab was only chosen for
    // that.
    if (!utf8 && tabs_->currentIndex() == TextTab) tabs_->setCurrentIndex(HexTab);
    if (utf8 && autoHex_ && tabs_->currentIndex() == HexTab) tabs_->setCurrentIndex(TextTab);
    autoHex_ = !utf8;
    payloadHex_->setData(payload);
    showJson(preview);
}

// The Text and Base64 tabs: the first shownLimit_ bytes, long lines broken, and a line saying so.
void FrameInspector::showText() {
    const QByteArray& payload = displayPayload(frame_);
    const PayloadText shown = ui::payloadText(payload, shownLimit_);
    QStringList notes;
    if (frame_.compressed && !frame_.inflated.isEmpty()) notes << tr("Showing the inflated message.");
    if (!shown.validUtf8) notes << tr("Not valid UTF-8: invalid bytes are shown as �.");
    const bool cut = shown.shownBytes < payload.size();
    const QString part = tr("the first %1 of %2")
                             .arg(byteCount(static_cast<quint64>(shown.shownBytes)),
                                  byteCount(static_cast<quint64>(payload.size())));
    if (cut) notes << tr("Showing %1.").arg(part);
    base64Note_->setText(tr("Base64 of %1 (Show more and Save payload… are on the Text tab).").arg(part));
    base64Note_->setVisible(cut);
    if (shown.linesBroken)
        notes << tr("Lines longer than %L1 characters are broken for display.").arg(kDisplayLineChars);
    textNote_->setText(notes.join(QLatin1Char(' ')));
    showMore_->setVisible(cut && shownLimit_ < kTextPreviewLimit);
    savePayload_->setVisible(cut || shown.linesBroken);
    textBar_->setVisible(!notes.isEmpty());
    text_->setPlainText(shown.text);
    base64_->setPlainText(base64Text(payload, shown.shownBytes));
}

void FrameInspector::showMoreText() {
    shownLimit_ = qMin(shownLimit_ * 2, kTextPreviewLimit);
    showText();
}

bool FrameInspector::savePayload(const QString& path, QString* error) const {
    QSaveFile file(path);
    const QByteArray& payload = displayPayload(frame_);
    if (file.open(QIODevice::WriteOnly) && file.write(payload) == payload.size() && file.commit())
        return true;
    if (error) *error = tr("Cannot save the payload to %1: %2.").arg(path, file.errorString());
    return false;
}

void FrameInspector::onSavePayload() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save payload"), QString());
    if (path.isEmpty()) return;
    QString error;
    if (!savePayload(path, &error)) QMessageBox::warning(this, tr("Save payload"), error);
}

void FrameInspector::showJson(const QByteArray& payload) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (payload.trimmed().isEmpty()) {
        jsonMessage_->setText(tr("The payload is empty."));
    } else if (error.error != QJsonParseError::NoError || document.isNull()) {
        jsonMessage_->setText(tr("Not JSON: %1 at offset %2.").arg(error.errorString()).arg(error.offset));
    } else {
        fillJsonTree(jsonTree_, document);
        jsonStack_->setCurrentWidget(jsonTree_);
        return;
    }
    jsonTree_->clear();
    jsonStack_->setCurrentWidget(jsonMessage_);
}

void FrameInspector::selectField(FieldKind kind) {
    FieldKind rangeKind = kind;
    if (kind == FieldKind::Fin || kind == FieldKind::Rsv1 || kind == FieldKind::Rsv2 ||
        kind == FieldKind::Rsv3) {
        rangeKind = FieldKind::Opcode;
    } else if (kind == FieldKind::Mask) {
        rangeKind = FieldKind::PayloadLength;
    }
    for (const ByteRange& range : wireView_->ranges()) {
        if (range.kind == rangeKind) {
            wireView_->setSelection(range.start, range.length);
            wireView_->scrollToOffset(range.start);
            return;
        }
    }
}

}  // namespace framescope::ui
