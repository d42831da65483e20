// The header fields of RFC 6455 §5.2 as the widgets show them: their names, one colour per field shared by
// the header diagram and the hex views (light and dark variants), and the byte ranges they cover.
#pragma once

#include <QColor>
#include <QList>
#include <QPalette>
#include <QString>

#include "framescope/frame.h"

namespace framescope::ui {

enum class FieldKind : uint8_t {
    Fin,
    Rsv1,
    Rsv2,
    Rsv3,
    Opcode,
    Mask,
    PayloadLength,
    ExtendedLength,
    MaskingKey,
    Payload,
};

QString fieldName(FieldKind kind);
// One or two sentences on what the field means, ending with its RFC section.
QString fieldExplanation(FieldKind kind);

// True when the palette's window colour is dark (the widgets pick their field colours from it).
bool isDarkPalette(const QPalette& palette);
// Background of a field's box or byte; text on it stays readable in the palette's text colour.
QColor fieldFill(FieldKind kind, bool dark);
// A stronger shade of the same hue for borders and legends.
QColor fieldStroke(FieldKind kind, bool dark);

// A run of bytes highlighted in one field's colour.
struct ByteRange {
    qint64 start = 0;
    qint64 length = 0;
    FieldKind kind = FieldKind::Payload;
    friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// The ranges of a whole frame on the wire: byte 0 (FIN, RSV1-3, opcode) in the opcode's colour, byte 1
// (MASK, payload len) in the payload length's colour, then the extended length, the masking key and
// `payloadBytes` bytes of payload (omitted when 0).
QList<ByteRange> frameByteRanges(const FrameHeader& header, qint64 payloadBytes);

}  // namespace framescope::ui
