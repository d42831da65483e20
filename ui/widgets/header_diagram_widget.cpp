#include "widgets/header_diagram_widget.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "widgets/frame_plan.h"

namespace framescope::ui {

namespace {

constexpr int kFullRow = 32;  // RFC 6455 §5.2 draws 32 bits a row
constexpr int kHalfRow = 16;  // when the pane is too narrow for 32 readable cells
constexpr int kMargin = 6;
constexpr int kPad = 3;

QFont smallFont(const QFont& base) {
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

// 1-bit fields carry their names as stacked letters, as in the RFC's figure.
QFont stackedFont(const QFont& base) {
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.75);
    return font;
}

QFont bitsFont(const QFont& base) {
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(base.pointSizeF() * 0.9);
    return font;
}

QString bitString(quint64 value, int width) {
    QString bits(width, QLatin1Char('0'));
    for (int i = 0; i < width; ++i) {
        if ((value >> (width - 1 - i)) & 1u) bits[i] = QLatin1Char('1');
    }
    return bits;
}

int lengthFieldValue(const FrameHeader& header) {
    switch (header.lengthEncoding) {
        case LengthEncoding::Bits16:
            return 126;
        case LengthEncoding::Bits64:
            return 127;
        case LengthEncoding::Bits7:
            break;
    }
    return static_cast<int>(header.payloadLength & 0x7F);
}

DiagramField makeField(FieldKind kind, int offset, int width, quint64 value, const QString& decoded) {
    DiagramField field;
    field.kind = kind;
    field.bitOffset = offset;
    field.bitWidth = width;
    field.name = fieldName(kind);
    field.value = decoded;
    field.bits = width <= 64 ? bitString(value, width) : QString();
    field.toolTip = fieldExplanation(kind);
    const QString shown = decoded.isEmpty() ? field.bits : decoded;
    field.toolTip += QStringLiteral("\n\nThis frame: %1").arg(shown);
    if (width > 1 && width <= 16) field.toolTip += QStringLiteral(" (bits %1)").arg(field.bits);
    return field;
}

}  // namespace

HeaderDiagramWidget::HeaderDiagramWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    relayout();
}

void HeaderDiagramWidget::setHeader(const FrameHeader& header) {
    header_ = header;
    hasHeader_ = true;
    buildFields();
    relayout();
    updateGeometry();
    update();
}

void HeaderDiagramWidget::clear() {
    hasHeader_ = false;
    fields_.clear();
    updateGeometry();
    update();
}

void HeaderDiagramWidget::buildFields() {
    const FrameHeader& h = header_;
    fields_ = {
        makeField(FieldKind::Fin, 0, 1, h.fin, {}),
        makeField(FieldKind::Rsv1, 1, 1, h.rsv1, {}),
        makeField(FieldKind::Rsv2, 2, 1, h.rsv2, {}),
        makeField(FieldKind::Rsv3, 3, 1, h.rsv3, {}),
        makeField(FieldKind::Opcode, 4, 4, h.opcode & 0x0F, opcodeLabel(h.opcode & 0x0F)),
        makeField(FieldKind::Mask, 8, 1, h.masked, {}),
    };
    const int len7 = lengthFieldValue(h);
    QString lenText = QString::number(len7);
    if (len7 == 126) lenText += QStringLiteral(" → 16-bit");
    if (len7 == 127) lenText += QStringLiteral(" → 64-bit");
    fields_.append(makeField(FieldKind::PayloadLength, 9, 7, static_cast<quint64>(len7), lenText));
    int offset = 16;
    if (h.lengthEncoding != LengthEncoding::Bits7) {
        const int width = h.lengthEncoding == LengthEncoding::Bits16 ? 16 : 64;
        const quint64 value = width == 16 ? (h.payloadLength & 0xFFFF) : h.payloadLength;
        DiagramField ext =
            makeField(FieldKind::ExtendedLength, offset, width, value, QStringLiteral("%1 bytes").arg(value));
        ext.name = QStringLiteral("extended payload length (%1-bit)").arg(width);
        fields_.append(ext);
        offset += width;
    }
    if (h.masked) {
        const quint64 key = (quint64{h.maskKey[0]} << 24) | (quint64{h.maskKey[1]} << 16) |
                            (quint64{h.maskKey[2]} << 8) | quint64{h.maskKey[3]};
        const QByteArray keyBytes(reinterpret_cast<const char*>(h.maskKey.data()), 4);
        fields_.append(
            makeField(FieldKind::MaskingKey, offset, 32, key, QString::fromLatin1(keyBytes.toHex(' '))));
    }
    markSuspiciousFields();
}

void HeaderDiagramWidget::markSuspiciousFields() {
    const FrameHeader& h = header_;
    const bool control = isControlOpcode(h.opcode);
    for (DiagramField& field : fields_) {
        QString problem;
        if (field.kind == FieldKind::Rsv2 && h.rsv2)
            problem = tr("RSV2 is set; no registered extension uses it.");
        if (field.kind == FieldKind::Rsv3 && h.rsv3)
            problem = tr("RSV3 is set; no registered extension uses it.");
        if (field.kind == FieldKind::Opcode && isReservedOpcode(h.opcode))
            problem = tr("This opcode is reserved.");
        if (field.kind == FieldKind::Fin && control && !h.fin) {
            problem = tr("A control frame must not be fragmented (§5.5).");
        }
        if (field.kind == FieldKind::PayloadLength && control && h.payloadLength > 125) {
            problem = tr("A control frame's payload must be at most 125 bytes (§5.5).");
        }
        if (field.kind == FieldKind::ExtendedLength &&
            h.lengthEncoding != minimalLengthEncoding(h.payloadLength)) {
            problem = tr("Not the minimal length encoding (§5.2).");
        }
        if (field.kind == FieldKind::ExtendedLength && h.payloadLength > kMaxPayloadLength) {
            problem = tr("The top bit of a 64-bit length must be 0 (§5.2).");
        }
        if (!problem.isEmpty()) {
            field.suspicious = true;
            field.toolTip += QStringLiteral("\n⚠ ") + problem;
        }
    }
}

int HeaderDiagramWidget::headerBits() const {
    return hasHeader_ ? static_cast<int>(frameHeaderSize(header_.lengthEncoding, header_.masked)) * 8 : 16;
}

int HeaderDiagramWidget::rowCount() const {
    return (headerBits() + bitsPerRow_ - 1) / bitsPerRow_;
}

int HeaderDiagramWidget::minimumCellWidth() const {
    const QFontMetrics stacked(stackedFont(font()));
    const QFontMetrics bits(bitsFont(font()));
    return qMax(
        qMax(stacked.horizontalAdvance(QLatin1Char('M')), bits.horizontalAdvance(QStringLiteral("00"))) + 8,
        20);
}

void HeaderDiagramWidget::relayout() {
    const QFontMetrics small(smallFont(font()));
    const QFontMetrics normal(font());
    const QFontMetrics bits(bitsFont(font()));
    const int left = labelWidth();
    const int minCell = minimumCellWidth();
    const int before = bitsPerRow_;
    bitsPerRow_ = width() - left - kMargin >= kFullRow * minCell ? kFullRow : kHalfRow;
    const int available = (width() - left - kMargin) / bitsPerRow_;
    cellWidth_ = qBound(minCell, available, minCell * 3 / 2);
    rulerHeight_ = small.height() + 4;
    const int stackedLetters = 4 * QFontMetrics(stackedFont(font())).height();
    rowHeight_ = qMax(small.height() + normal.height(), stackedLetters) + bits.height() + 3 * kPad + 2;
    origin_ = QPoint(left, kMargin + rulerHeight_);
    for (DiagramField& field : fields_) {
        field.rects.clear();
        int bit = field.bitOffset;
        const int end = field.bitOffset + field.bitWidth;
        while (bit < end) {
            const int row = bit / bitsPerRow_;
            const int first = bit % bitsPerRow_;
            const int count = qMin(end - bit, bitsPerRow_ - first);
            field.rects.append(bitRect(row, first, count));
            bit += count;
        }
    }
    if (bitsPerRow_ != before) {
        updateGeometry();
        emit rowsChanged();
    }
}

int HeaderDiagramWidget::labelWidth() const {
    return kMargin + QFontMetrics(smallFont(font())).horizontalAdvance(QStringLiteral("+12")) + 8;
}

QRect HeaderDiagramWidget::bitRect(int row, int firstBit, int bitCount) const {
    return QRect(origin_.x() + firstBit * cellWidth_, origin_.y() + row * rowHeight_, bitCount * cellWidth_,
                 rowHeight_);
}

QSize HeaderDiagramWidget::sizeHint() const {
    return QSize(labelWidth() + kFullRow * minimumCellWidth() + kMargin,
                 origin_.y() + rowCount() * rowHeight_ + kMargin);
}

// Narrower than 32 readable cells, the drawing folds into rows of 16 bits.
QSize HeaderDiagramWidget::minimumSizeHint() const {
    return QSize(labelWidth() + kHalfRow * minimumCellWidth() + kMargin, sizeHint().height());
}

const DiagramField* HeaderDiagramWidget::fieldAt(const QPoint& pos) const {
    for (const DiagramField& field : fields_) {
        for (const QRect& rect : field.rects) {
            if (rect.contains(pos)) return &field;
        }
    }
    return nullptr;
}

bool HeaderDiagramWidget::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (const DiagramField* field = fieldAt(help->pos())) {
            QToolTip::showText(help->globalPos(), field->toolTip, this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

void HeaderDiagramWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayout();
}

void HeaderDiagramWidget::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        relayout();
        updateGeometry();
    }
}

void HeaderDiagramWidget::mousePressEvent(QMouseEvent* event) {
    if (const DiagramField* field = fieldAt(event->position().toPoint())) emit fieldClicked(field->kind);
    QWidget::mousePressEvent(event);
}

void HeaderDiagramWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    paintRuler(painter);
    if (!hasHeader_) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(bitRect(0, 0, bitsPerRow_), Qt::AlignCenter, tr("No frame selected"));
        return;
    }
    const bool dark = isDarkPalette(palette());
    for (const DiagramField& field : fields_)
        paintField(painter, field, dark);
    paintPayloadPlaceholder(painter, dark);
}

void HeaderDiagramWidget::paintRuler(QPainter& painter) const {
    const QFont small = smallFont(font());
    painter.setFont(small);
    const QColor text = palette().color(QPalette::WindowText);
    const QColor faint = palette().color(QPalette::PlaceholderText);
    for (int bit = 0; bit < bitsPerRow_; ++bit) {
        const QRect cell(origin_.x() + bit * cellWidth_, kMargin, cellWidth_, rulerHeight_ - 2);
        painter.setPen(bit % 8 == 0 ? text : faint);
        painter.drawText(cell, Qt::AlignCenter, QString::number(bit));
    }
    painter.setPen(faint);
    for (int row = 0; row < rowCount(); ++row) {
        const QRect label(kMargin, origin_.y() + row * rowHeight_, origin_.x() - kMargin - 6, rowHeight_);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                         QStringLiteral("+%1").arg(row * bitsPerRow_ / 8));
    }
}

void HeaderDiagramWidget::paintField(QPainter& painter, const DiagramField& field, bool dark) const {
    const QColor text = palette().color(QPalette::Text);
    const QFont small = smallFont(font());
    const QFont mono = bitsFont(font());
    const QFontMetrics smallMetrics(small);
    const QFontMetrics normalMetrics(font());
    int bitIndex = 0;
    for (qsizetype i = 0; i < field.rects.size(); ++i) {
        const QRect box = field.rects[i].adjusted(0, 0, -1, -1);
        painter.fillRect(box, fieldFill(field.kind, dark));
        painter.setPen(QPen(fieldStroke(field.kind, dark), 1));
        painter.drawRect(box);
        if (field.suspicious) {
            painter.setPen(QPen(QColor(220, 50, 50), 2));
            painter.drawRect(box.adjusted(1, 1, -1, -1));
        }
        const QRect inner = box.adjusted(kPad, kPad, -kPad, -kPad);
        painter.setPen(text);
        if (field.bitWidth == 1) {
            paintStackedName(painter, field.name, box);
        } else {
            const QString name = i == 0 ? field.name : field.name + tr(" (cont.)");
            painter.setFont(small);
            painter.drawText(QRect(inner.left(), inner.top(), inner.width(), smallMetrics.height()),
                             Qt::AlignCenter, smallMetrics.elidedText(name, Qt::ElideRight, inner.width()));
        }
        if (i == 0 && !field.value.isEmpty()) {
            QFont bold = font();
            bold.setBold(true);
            // Shrink a long value ("0x0 continuation" in 4 bits) before eliding it.
            for (qreal scale = 0.95;
                 scale > 0.7 && QFontMetrics(bold).horizontalAdvance(field.value) > inner.width();
                 scale -= 0.05)
                bold.setPointSizeF(font().pointSizeF() * scale);
            painter.setFont(bold);
            const QRect valueRect(inner.left(), inner.top() + smallMetrics.height() + 1, inner.width(),
                                  normalMetrics.height());
            painter.drawText(valueRect, Qt::AlignCenter,
                             QFontMetrics(bold).elidedText(field.value, Qt::ElideRight, inner.width()));
        }
        painter.setFont(mono);
        const int cells = field.rects[i].width() / cellWidth_;
        const int bitsTop = box.bottom() - QFontMetrics(mono).height() - kPad + 1;
        for (int c = 0; c < cells && bitIndex < field.bits.size(); ++c, ++bitIndex) {
            const QRect cell(field.rects[i].left() + c * cellWidth_, bitsTop, cellWidth_,
                             QFontMetrics(mono).height());
            painter.drawText(cell, Qt::AlignCenter, QString(field.bits[bitIndex]));
        }
    }
}

void HeaderDiagramWidget::paintStackedName(QPainter& painter, const QString& name, const QRect& box) const {
    const QFont stacked = stackedFont(font());
    const QFontMetrics metrics(stacked);
    painter.setFont(stacked);
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QRect line(box.left(), box.top() + kPad + static_cast<int>(i) * metrics.height(), box.width(),
                         metrics.height());
        painter.drawText(line, Qt::AlignCenter, QString(name[i]));
    }
}

void HeaderDiagramWidget::paintPayloadPlaceholder(QPainter& painter, bool dark) const {
    const int bits = headerBits();
    if (bits % bitsPerRow_ == 0) return;
    const QRect box = bitRect(bits / bitsPerRow_, bits % bitsPerRow_, bitsPerRow_ - bits % bitsPerRow_)
                          .adjusted(0, 0, -1, -1);
    painter.setPen(QPen(fieldStroke(FieldKind::Payload, dark), 1, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(box);
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.setFont(smallFont(font()));
    painter.drawText(box, Qt::AlignCenter, tr("payload data …"));
}

}  // namespace framescope::ui
