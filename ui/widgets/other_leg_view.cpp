#include "widgets/other_leg_view.h"

#include <QLabel>
#include <QScrollArea>
#include <QTextDocument>
#include <QVBoxLayout>

#include "widgets/frame_fields.h"
#include "widgets/frame_plan.h"
#include "widgets/hex_view.h"

namespace framescope::ui {

namespace {

constexpr int kWireViewHeight = 96;

QLabel* wrappedLabel() {
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    return label;
}

QString plain(const QString& html) {
    QTextDocument document;
    document.setHtml(html);
    return document.toPlainText();
}

}  // namespace

QString maskKeyText(const FrameHeader& header) {
    if (!header.masked) return QObject::tr("none (unmasked)");
    const QByteArray key(reinterpret_cast<const char*>(header.maskKey.data()),
                         static_cast<qsizetype>(header.maskKey.size()));
    return QString::fromLatin1(key.toHex(' '));
}

OtherLegView::OtherLegView(QWidget* parent) : QWidget(parent) {
    heading_ = wrappedLabel();
    keys_ = wrappedLabel();
    framesBox_ = new QWidget;
    framesLayout_ = new QVBoxLayout(framesBox_);
    framesLayout_->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidget(framesBox_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(heading_);
    layout->addWidget(keys_);
    layout->addWidget(scroll, 1);
}

void OtherLegView::clear() {
    heading_->clear();
    keys_->clear();
    keys_->setVisible(false);
    while (QLayoutItem* item = framesLayout_->takeAt(0)) {
        if (QWidget* widget = item->widget()) widget->deleteLater();
        delete item;
    }
    frameLines_.clear();
    wireViews_.clear();
}

void OtherLegView::setOtherLeg(const FrameData& self, const OtherLegData& other) {
    clear();
    if (other.frames.empty()) {
        heading_->setText(other.sentence.toHtmlEscaped());
        return;
    }
    heading_->setText(QStringLiteral("<b>%1:</b>").arg(other.title.toHtmlEscaped()));
    keys_->setText(tr("Masking key here: %1 · on the other leg: %2")
                       .arg(maskKeyText(self.header), maskKeyText(other.frames.front().header)));
    keys_->setVisible(true);
    for (const FrameData& frame : other.frames)
        framePanel(frame);
    if (other.moreFrames > 0) {
        auto* more = wrappedLabel();
        more->setText(tr("… and %Ln more frames (see the log).", nullptr, int(other.moreFrames)));
        frameLines_.push_back(more);
        framesLayout_->addWidget(more);
    }
    framesLayout_->addStretch();
}

// One frame: "#N · FIN 1 · RSV 100 · text · MASK 1 · key 3a 9f 01 c2 · 14 bytes", then its wire bytes.
QWidget* OtherLegView::framePanel(const FrameData& frame) {
    const FrameHeader& h = frame.header;
    auto* line = wrappedLabel();
    line->setText(tr("<a href=\"%1\">#%1</a> · FIN %2 · RSV1 %3 RSV2 %4 RSV3 %5 · %6 · MASK %7 · masking key "
                     "%8 · payload %9 bytes, header %10")
                      .arg(frame.index)
                      .arg(h.fin ? 1 : 0)
                      .arg(h.rsv1 ? 1 : 0)
                      .arg(h.rsv2 ? 1 : 0)
                      .arg(h.rsv3 ? 1 : 0)
                      .arg(opcodeLabel(h.opcode).toHtmlEscaped())
                      .arg(h.masked ? 1 : 0)
                      .arg(maskKeyText(h))
                      .arg(frame.payloadLength)
                      .arg(h.headerSize));
    connect(line, &QLabel::linkActivated, this,
            [this](const QString& link) { emit frameActivated(link.toLongLong()); });
    auto* wire = new HexView;
    wire->setData(wireBytes(frame, true), frameByteRanges(h, frame.payload.size()));
    wire->setMinimumHeight(kWireViewHeight);
    wire->setToolTip(tr("The frame as sent on the wire: header, then the payload masked with its key."));
    frameLines_.push_back(line);
    wireViews_.push_back(wire);
    framesLayout_->addWidget(line);
    framesLayout_->addWidget(wire);
    return wire;
}

QString OtherLegView::text() const {
    QStringList lines{plain(heading_->text())};
    if (!keys_->isHidden()) lines << keys_->text();
    for (const QLabel* line : frameLines_)
        lines << plain(line->text());
    return lines.join(QLatin1Char('\n'));
}

}  // namespace framescope::ui
