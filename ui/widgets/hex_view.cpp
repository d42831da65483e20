#include "widgets/hex_view.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>

namespace framescope::ui {

namespace {

constexpr int kLeftPad = 6;
constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setCursor(Qt::IBeamCursor);
    updateMetrics();
}

void HexView::setData(const QByteArray& bytes, const QList<ByteRange>& ranges) {
    data_ = bytes;
    selectionStart_ = selectionLength_ = 0;
    dragAnchor_ = -1;
    setRanges(ranges);
    updateScrollBars();
    verticalScrollBar()->setValue(0);
    emit selectionChanged();
}

void HexView::setRanges(const QList<ByteRange>& ranges) {
    ranges_ = ranges;
    std::sort(ranges_.begin(), ranges_.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.start < b.start; });
    viewport()->update();
}

const ByteRange* HexView::rangeAt(qint64 offset) const {
    auto it = std::upper_bound(ranges_.cbegin(), ranges_.cend(), offset,
                               [](qint64 value, const ByteRange& range) { return value < range.start; });
    if (it == ranges_.cbegin()) return nullptr;
    --it;
    return offset < it->start + it->length ? &*it : nullptr;
}

void HexView::setPlaceholderText(const QString& text) {
    placeholder_ = text;
    viewport()->update();
}

qint64 HexView::lineCount() const {
    return (data_.size() + bytesPerLine_ - 1) / bytesPerLine_;
}

void HexView::setSelection(qint64 start, qint64 length) {
    start = qBound<qint64>(0, start, data_.size());
    selectionStart_ = start;
    selectionLength_ = qBound<qint64>(0, length, data_.size() - start);
    viewport()->update();
    emit selectionChanged();
}

QByteArray HexView::selectedBytes() const {
    return data_.mid(static_cast<qsizetype>(selectionStart_), static_cast<qsizetype>(selectionLength_));
}

QString HexView::selectedHex() const {
    const QByteArray bytes = selectionLength_ > 0 ? selectedBytes() : data_;
    return QString::fromLatin1(bytes.toHex(' '));
}

void HexView::copy() const {
    QApplication::clipboard()->setText(selectedHex());
}

void HexView::scrollToOffset(qint64 offset) {
    const qint64 line = offset / bytesPerLine_;
    QScrollBar* bar = verticalScrollBar();
    if (line < bar->value() || line >= bar->value() + bar->pageStep()) {
        bar->setValue(static_cast<int>(qMin<qint64>(line, bar->maximum())));
    }
}

int HexView::offsetDigits() const {
    return data_.size() > 0xFFFFFFFFLL ? 12 : 8;
}

int HexView::hexX(int column) const {
    const int base = kLeftPad + (offsetDigits() + 2) * charWidth_;
    return base + column * 3 * charWidth_ + (column >= bytesPerLine_ / 2 ? charWidth_ : 0);
}

int HexView::asciiX(int column) const {
    return hexX(bytesPerLine_) + 2 * charWidth_ + column * charWidth_;
}

int HexView::contentWidth() const {
    return asciiX(bytesPerLine_) + kLeftPad;
}

void HexView::updateMetrics() {
    const QFontMetrics metrics(font());
    charWidth_ = qMax(1, metrics.horizontalAdvance(QLatin1Char('0')));
    lineHeight_ = metrics.height() + 2;
    updateScrollBars();
}

void HexView::updateScrollBars() {
    const int visible = qMax(1, viewport()->height() / lineHeight_);
    const qint64 maxLine = qMax<qint64>(0, lineCount() - visible);
    verticalScrollBar()->setRange(0, static_cast<int>(qMin<qint64>(maxLine, INT_MAX)));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
    horizontalScrollBar()->setRange(0, qMax(0, contentWidth() - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    viewport()->update();
}

QSize HexView::sizeHint() const {
    return QSize(contentWidth() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(),
                 lineHeight_ * 12 + 2 * frameWidth());
}

qint64 HexView::offsetAt(const QPoint& pos) const {
    const int x = pos.x() + horizontalScrollBar()->value();
    const qint64 line = verticalScrollBar()->value() + pos.y() / lineHeight_;
    int column = -1;
    if (x >= asciiX(0) && x < asciiX(bytesPerLine_)) {
        column = (x - asciiX(0)) / charWidth_;
    } else {
        for (int c = 0; c < bytesPerLine_ && column < 0; ++c) {
            if (x >= hexX(c) - charWidth_ / 2 && x < hexX(c) + 2 * charWidth_ + charWidth_ / 2) column = c;
        }
    }
    if (column < 0 || pos.y() < 0) return -1;
    const qint64 offset = line * bytesPerLine_ + column;
    return offset < data_.size() ? offset : -1;
}

bool HexView::event(QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key == QKeySequence::Copy || key == QKeySequence::SelectAll) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

bool HexView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const qint64 offset = offsetAt(help->pos());
        if (offset >= 0) {
            const ByteRange* range = rangeAt(offset);
            QString tip = tr("Offset %1 (0x%2): 0x%3")
                              .arg(offset)
                              .arg(offset, 0, 16)
                              .arg(static_cast<uint8_t>(data_[offset]), 2, 16, QLatin1Char('0'));
            if (range) tip += QStringLiteral("\n") + fieldName(range->kind);
            QToolTip::showText(help->globalPos(), tip, viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void HexView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) updateMetrics();
}

void HexView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const qint64 offset = offsetAt(event->position().toPoint());
    if (offset < 0) {
        clearSelection();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier && selectionLength_ > 0) {
        dragAnchor_ = selectionStart_;
    } else {
        dragAnchor_ = offset;
    }
    mouseMoveEvent(event);
}

void HexView::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & Qt::LeftButton) || dragAnchor_ < 0) return;
    QPoint pos = event->position().toPoint();
    if (pos.y() < 0) verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    if (pos.y() > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    pos.setY(qBound(0, pos.y(), viewport()->height() - 1));
    const qint64 offset = offsetAt(pos);
    if (offset < 0) return;
    const qint64 start = qMin(dragAnchor_, offset);
    setSelection(start, qMax(dragAnchor_, offset) - start + 1);
}

void HexView::mouseReleaseEvent(QMouseEvent* event) {
    dragAnchor_ = -1;
    event->accept();
}

void HexView::keyPressEvent(QKeyEvent* event) {
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void HexView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    QAction* copyHex =
        menu.addAction(selectionLength_ > 0 ? tr("Copy Selection as Hex") : tr("Copy All as Hex"));
    copyHex->setShortcut(QKeySequence::Copy);
    connect(copyHex, &QAction::triggered, this, &HexView::copy);
    QAction* copyText = menu.addAction(tr("Copy Selection as Text"));
    copyText->setEnabled(selectionLength_ > 0);
    connect(copyText, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(QString::fromUtf8(selectedBytes())); });
    QAction* all = menu.addAction(tr("Select All"));
    all->setShortcut(QKeySequence::SelectAll);
    connect(all, &QAction::triggered, this, &HexView::selectAll);
    menu.exec(event->globalPos());
}

void HexView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    painter.setFont(font());
    if (data_.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect(), Qt::AlignCenter, placeholder_);
        return;
    }
    painter.translate(-horizontalScrollBar()->value(), 0);
    const bool dark = isDarkPalette(palette());
    const qint64 first = verticalScrollBar()->value();
    const int visible = viewport()->height() / lineHeight_ + 1;
    for (int i = 0; i < visible && first + i < lineCount(); ++i)
        paintLine(painter, first + i, i * lineHeight_, dark);
}

void HexView::paintLine(QPainter& painter, qint64 line, int y, bool dark) {
    const QFontMetrics metrics(font());
    const int baseline = y + 1 + metrics.ascent();
    const QColor text = palette().color(QPalette::Text);
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const qint64 lineStart = line * bytesPerLine_;
    painter.drawText(kLeftPad, baseline,
                     QStringLiteral("%1").arg(lineStart, offsetDigits(), 16, QLatin1Char('0')));
    const int count = static_cast<int>(qMin<qint64>(bytesPerLine_, data_.size() - lineStart));
    for (int c = 0; c < count; ++c) {
        const qint64 offset = lineStart + c;
        const auto byte = static_cast<uint8_t>(data_[offset]);
        const bool selected = offset >= selectionStart_ && offset < selectionStart_ + selectionLength_;
        const ByteRange* range = rangeAt(offset);
        QColor background;
        if (selected) {
            background = palette().color(QPalette::Highlight);
        } else if (range) {
            background = fieldFill(range->kind, dark);
        }
        const bool joinNext =
            c + 1 < count && c + 1 != bytesPerLine_ / 2 &&
            (selected ? offset + 1 < selectionStart_ + selectionLength_ : rangeAt(offset + 1) == range);
        if (background.isValid()) {
            const int width = (joinNext ? 3 : 2) * charWidth_;
            painter.fillRect(QRect(hexX(c), y, width, lineHeight_), background);
            painter.fillRect(QRect(asciiX(c), y, charWidth_, lineHeight_), background);
        }
        painter.setPen(selected ? palette().color(QPalette::HighlightedText) : text);
        const char hex[3] = {kHexDigits[byte >> 4], kHexDigits[byte & 0xF], 0};
        painter.drawText(hexX(c), baseline, QLatin1String(hex));
        const QChar ascii = byte >= 0x20 && byte < 0x7F ? QChar(byte) : QChar(u'.');
        if (!selected && ascii == u'.' && byte != '.')
            painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(asciiX(c), baseline, QString(ascii));
    }
}

}  // namespace framescope::ui
