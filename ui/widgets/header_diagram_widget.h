// Paints a frame header laid out like the figure in RFC 6455 §5.2: 32-bit rows under a bit ruler (16-bit
// rows when narrower than 32 readable cells, so every bit stays in view), one box
// per field (FIN, RSV1-3, opcode, MASK, payload len, extended length and masking key when present) with
// its name, decoded value and bits, in the field colours shared with the hex views. Tooltips explain each
// field; fields() exposes the layout for tests and for linking the diagram to a hex view.
#pragma once

#include <QList>
#include <QRect>
#include <QString>
#include <QWidget>

#include "framescope/frame.h"
#include "widgets/frame_fields.h"

namespace framescope::ui {

struct DiagramField {
    FieldKind kind = FieldKind::Fin;
    int bitOffset = 0;  // from the first bit of the header
    int bitWidth = 1;
    QString name;
    QString value;  // decoded: "0x1 text", "126 → 16-bit", "70000", "37 fa 21 3d"; empty for 1-bit fields
    QString bits;   // one '0' or '1' per bit, most significant first
    QString toolTip;
    bool suspicious = false;  // the value breaks RFC 6455 §5.2 (reserved opcode, RSV set, length encoding)
    QList<QRect> rects;       // one per 32-bit row the field spans, in widget coordinates
};

class HeaderDiagramWidget : public QWidget {
    Q_OBJECT

public:
    explicit HeaderDiagramWidget(QWidget* parent = nullptr);

    void setHeader(const FrameHeader& header);
    void clear();
    bool hasHeader() const { return hasHeader_; }
    const FrameHeader& header() const { return header_; }

    // The fields present in the header, in wire order, laid out for the current size.
    const QList<DiagramField>& fields() const { return fields_; }
    const DiagramField* fieldAt(const QPoint& pos) const;
    int rowCount() const;                           // rows the header occupies
    int bitsPerRow() const { return bitsPerRow_; }  // 32, or 16 in a narrow pane
    int cellWidth() const { return cellWidth_; }    // pixels per bit
    int rowHeight() const { return rowHeight_; }
    QPoint gridOrigin() const { return origin_; }  // top-left corner of bit 0 of row 0

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void fieldClicked(framescope::ui::FieldKind kind);
    void rowsChanged();  // 32 or 16 bits a row now (the height changes with it)

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    void buildFields();
    void relayout();
    int minimumCellWidth() const;
    QRect bitRect(int row, int firstBit, int bitCount) const;
    void paintRuler(QPainter& painter) const;
    void paintField(QPainter& painter, const DiagramField& field, bool dark) const;
    void paintStackedName(QPainter& painter, const QString& name, const QRect& box) const;
    void paintPayloadPlaceholder(QPainter& painter, bool dark) const;
    void markSuspiciousFields();
    int headerBits() const;

    FrameHeader header_{};
    bool hasHeader_ = false;
    QList<DiagramField> fields_;
    int labelWidth() const;  // the "+4" offsets left of the rows
    int bitsPerRow_ = 32;
    int cellWidth_ = 24;
    int rowHeight_ = 54;
    int rulerHeight_ = 16;
    QPoint origin_;
};

}  // namespace framescope::ui
