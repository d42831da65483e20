#include "widgets/frame_fields.h"

namespace framescope::ui {

QString fieldName(FieldKind kind) {
    switch (kind) {
        case FieldKind::Fin:
            return QStringLiteral("FIN");
        case FieldKind::Rsv1:
            return QStringLiteral("RSV1");
        case FieldKind::Rsv2:
            return QStringLiteral("RSV2");
        case FieldKind::Rsv3:
            return QStringLiteral("RSV3");
        case FieldKind::Opcode:
            return QStringLiteral("opcode");
        case FieldKind::Mask:
            return QStringLiteral("MASK");
        case FieldKind::PayloadLength:
            return QStringLiteral("payload len");
        case FieldKind::ExtendedLength:
            return QStringLiteral("extended payload length");
        case FieldKind::MaskingKey:
            return QStringLiteral("masking key");
        case FieldKind::Payload:
            return QStringLiteral("payload data");
    }
    return {};
}

QString fieldExplanation(FieldKind kind) {
    switch (kind) {
        case FieldKind::Fin:
            return QStringLiteral(
                "FIN: 1 if this is the final fragment of a message; control frames always "
                "have it set (RFC 6455 §5.2, §5.4).");
        case FieldKind::Rsv1:
            return QStringLiteral(
                "RSV1: must be 0 unless an extension defines it; permessage-deflate sets "
                "it on the first frame of a compressed message (RFC 6455 §5.2, RFC 7692 §6).");
        case FieldKind::Rsv2:
        case FieldKind::Rsv3:
            return QStringLiteral(
                       "%1: must be 0 unless a negotiated extension defines it; otherwise the "
                       "receiver must fail the connection (RFC 6455 §5.2).")
                .arg(fieldName(kind));
        case FieldKind::Opcode:
            return QStringLiteral(
                "Opcode: how to interpret the payload. 0x0 continuation, 0x1 text, 0x2 "
                "binary, 0x8 close, 0x9 ping, 0xA pong; 0x3-0x7 and 0xB-0xF are reserved "
                "(RFC 6455 §5.2).");
        case FieldKind::Mask:
            return QStringLiteral(
                "MASK: 1 if the payload is masked with the masking key. Clients must mask "
                "every frame; servers must not (RFC 6455 §5.1, §5.3).");
        case FieldKind::PayloadLength:
            return QStringLiteral(
                "Payload len: 0-125 is the length itself; 126 means a 16-bit extended "
                "length follows, 127 a 64-bit one (RFC 6455 §5.2).");
        case FieldKind::ExtendedLength:
            return QStringLiteral(
                "Extended payload length: the payload length in network byte order. The "
                "minimal encoding must be used and a 64-bit length has its top bit 0 "
                "(RFC 6455 §5.2).");
        case FieldKind::MaskingKey:
            return QStringLiteral(
                "Masking key: 32 bits XORed over the payload, byte i with key byte i mod "
                "4; chosen fresh and unpredictably for every frame (RFC 6455 §5.3).");
        case FieldKind::Payload:
            return QStringLiteral(
                "Payload data: extension data followed by application data, masked if "
                "MASK is set (RFC 6455 §5.2).");
    }
    return {};
}

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

namespace {

// Hues spread around the wheel so neighbouring fields differ; FIN/RSV share warm tones next to the opcode.
int fieldHue(FieldKind kind) {
    switch (kind) {
        case FieldKind::Fin:
            return 0;  // red
        case FieldKind::Rsv1:
            return 28;
        case FieldKind::Rsv2:
            return 45;
        case FieldKind::Rsv3:
            return 62;
        case FieldKind::Opcode:
            return 210;  // blue
        case FieldKind::Mask:
            return 300;  // magenta
        case FieldKind::PayloadLength:
            return 120;  // green
        case FieldKind::ExtendedLength:
            return 170;  // teal
        case FieldKind::MaskingKey:
            return 265;  // violet
        case FieldKind::Payload:
            return 0;
    }
    return 0;
}

}  // namespace

QColor fieldFill(FieldKind kind, bool dark) {
    if (kind == FieldKind::Payload) return dark ? QColor(58, 58, 62) : QColor(236, 236, 236);
    return dark ? QColor::fromHsl(fieldHue(kind), 110, 62) : QColor::fromHsl(fieldHue(kind), 190, 212);
}

QColor fieldStroke(FieldKind kind, bool dark) {
    if (kind == FieldKind::Payload) return dark ? QColor(120, 120, 128) : QColor(150, 150, 150);
    return dark ? QColor::fromHsl(fieldHue(kind), 170, 140) : QColor::fromHsl(fieldHue(kind), 150, 110);
}

QList<ByteRange> frameByteRanges(const FrameHeader& header, qint64 payloadBytes) {
    QList<ByteRange> ranges{{0, 1, FieldKind::Opcode}, {1, 1, FieldKind::PayloadLength}};
    qint64 offset = 2;
    if (header.lengthEncoding != LengthEncoding::Bits7) {
        const qint64 size = header.lengthEncoding == LengthEncoding::Bits16 ? 2 : 8;
        ranges.append({offset, size, FieldKind::ExtendedLength});
        offset += size;
    }
    if (header.masked) {
        ranges.append({offset, 4, FieldKind::MaskingKey});
        offset += 4;
    }
    if (payloadBytes > 0) ranges.append({offset, payloadBytes, FieldKind::Payload});
    return ranges;
}

}  // namespace framescope::ui
