// A read-only hex + ASCII dump that scales to megabytes: custom-painted over a QAbstractScrollArea, it paints
// only the visible lines. Byte ranges are highlighted in the header-field colours (frame_fields.h); a byte
// selection (mouse, Shift+click, Ctrl+A) is copied as hex with Ctrl+C or the context menu.
#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QList>

#include "widgets/frame_fields.h"

namespace framescope::ui {

class HexView : public QAbstractScrollArea {
    Q_OBJECT

public:
    explicit HexView(QWidget* parent = nullptr);

    void setData(const QByteArray& bytes, const QList<ByteRange>& ranges = {});
    const QByteArray& data() const { return data_; }
    // Ranges are kept sorted by start; they must not overlap.
    void setRanges(const QList<ByteRange>& ranges);
    const QList<ByteRange>& ranges() const { return ranges_; }
    // The range containing `offset`, or nullptr.
    const ByteRange* rangeAt(qint64 offset) const;
    // Shown when there are no bytes.
    void setPlaceholderText(const QString& text);

    int bytesPerLine() const { return bytesPerLine_; }
    qint64 lineCount() const;

    void setSelection(qint64 start, qint64 length);
    void clearSelection() { setSelection(0, 0); }
    qint64 selectionStart() const { return selectionStart_; }
    qint64 selectionLength() const { return selectionLength_; }
    QByteArray selectedBytes() const;
    // The selection (or everything when nothing is selected) as "81 85 37 fa ...".
    QString selectedHex() const;
    void copy() const;
    void selectAll() { setSelection(0, data_.size()); }
    void scrollToOffset(qint64 offset);
    // The byte under a point of the viewport (hex or ASCII column), or -1.
    qint64 offsetAt(const QPoint& viewportPos) const;

    QSize sizeHint() const override;

signals:
    void selectionChanged();

protected:
    bool event(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void updateMetrics();
    void updateScrollBars();
    int offsetDigits() const;
    int hexX(int column) const;
    int asciiX(int column) const;
    int contentWidth() const;
    void paintLine(QPainter& painter, qint64 line, int y, bool dark);

    QByteArray data_;
    QList<ByteRange> ranges_;
    QString placeholder_;
    int bytesPerLine_ = 16;
    int charWidth_ = 8;
    int lineHeight_ = 16;
    qint64 selectionStart_ = 0;
    qint64 selectionLength_ = 0;
    qint64 dragAnchor_ = -1;  // the byte a mouse selection started on
};

}  // namespace framescope::ui
