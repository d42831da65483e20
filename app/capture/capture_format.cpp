#include "capture/capture_format.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>

#include "framescope/close_code.h"

namespace framescope::app {

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr qsizetype kMaxDetailsNoteChars = 4000;

QString micros6(int64_t micros) {
    return QStringLiteral("%1").arg(micros, 6, 10, QLatin1Char('0'));
}

// Newlines, tabs and other control characters would break a one-line cell.
QString oneLine(QString text) {
    for (QChar& c : text) {
        if (c == QLatin1Char('\n')) {
            c = QChar(0x21B5);  // ↵
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7F) {
            c = QLatin1Char(' ');
        }
    }
    return text;
}

QString elide(QString text, qsizetype maxChars) {
    if (text.size() <= maxChars) return text;
    text.truncate(maxChars);
    return text + QChar(0x2026);  // …
}

// UTF-8 text of the first bytes of `bytes`, enough for `maxChars` characters.
QString textPreview(std::span<const uint8_t> bytes, qsizetype maxChars, bool more) {
    const size_t take = std::min(bytes.size(), static_cast<size_t>(maxChars) * 4);
    QString text =
        QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(take));
    const bool cut = take < bytes.size() || more;
    text = oneLine(elide(std::move(text), maxChars));
    if (cut && !text.endsWith(QChar(0x2026))) text += QChar(0x2026);
    return text;
}

bool isPrintableUtf8(std::span<const uint8_t> bytes) {
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
    return std::none_of(text.begin(), text.end(), [](QChar c) {
        return c == QChar::ReplacementCharacter || (c.unicode() < 0x20 && c != QLatin1Char('\t'));
    });
}

QString bytesPreview(std::span<const uint8_t> bytes, uint8_t messageOpcode, qsizetype maxChars, bool more) {
    if (bytes.empty()) return more ? QStringLiteral("…") : QStringLiteral("(empty)");
    if (messageOpcode == opcode::kText) return textPreview(bytes, maxChars, more);
    QString hex = formatHex(bytes, static_cast<size_t>(std::max<qsizetype>(1, maxChars / 3)));
    if (more && !hex.endsWith(QChar(0x2026))) hex += QStringLiteral(" …");
    return hex;
}

QString closePreview(const CaptureStore& store, size_t row, qsizetype maxChars) {
    const CaptureRecord& r = store.record(row);
    const std::span<const uint8_t> body = store.payload(row);
    QString text =
        QStringLiteral("code %1 %2").arg(r.closeCode).arg(QLatin1String(closeCodeName(r.closeCode)));
    // RFC 6455 §5.5.1: the reason follows the 2-byte status code.
    if (body.size() > 2)
        text += QStringLiteral(": ") + textPreview(body.subspan(2), maxChars, r.payloadTruncated());
    return text;
}

QString notePreview(const CaptureStore& store, size_t row, qsizetype maxChars) {
    const std::string_view note = store.noteText(row);
    QString text = QString::fromUtf8(note.data(), static_cast<qsizetype>(note.size()));
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
    if (lineEnd >= 0) text.truncate(lineEnd);
    if (text.endsWith(QLatin1Char('\r'))) text.chop(1);
    return oneLine(elide(std::move(text), maxChars));
}

QString framePreview(const CaptureStore& store, size_t row, qsizetype maxChars) {
    const CaptureRecord& r = store.record(row);
    const std::span<const uint8_t> payload = store.payload(row);
    if (r.opcode == opcode::kClose) return closePreview(store, row, maxChars);
    if (r.has(record_flag::kInCompressedMessage)) {
        const std::span<const uint8_t> inflated = store.inflated(row);
        const MessageSizes sizes = store.messageSizes(row);
        if (!inflated.empty() || (r.compressed() && sizes.inflatedSize == 0)) {
            return bytesPreview(inflated, r.messageOpcode, maxChars, inflated.size() < sizes.inflatedSize);
        }
        return QStringLiteral("deflate data, %1 bytes").arg(r.payloadLength);
    }
    if (r.opcode == opcode::kPing || r.opcode == opcode::kPong) {
        const bool text = !payload.empty() && isPrintableUtf8(payload);
        return bytesPreview(payload, text ? opcode::kText : opcode::kBinary, maxChars, r.payloadTruncated());
    }
    return bytesPreview(payload, r.messageOpcode, maxChars, r.payloadTruncated());
}

QString directionWord(Direction direction) {
    return direction == Direction::Outgoing ? QStringLiteral("outgoing") : QStringLiteral("incoming");
}

QStringList frameDetails(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    QStringList lines;
    lines << QStringLiteral("#%1 %2 %3 frame, connection %4")
                 .arg(row + 1)
                 .arg(directionWord(r.direction), formatOpcode(r))
                 .arg(r.connectionId);
    QString mask = r.masked() ? QStringLiteral("1 (key %1)").arg(formatHex(r.maskKey, r.maskKey.size()))
                              : QStringLiteral("0");
    lines << QStringLiteral("FIN %1  RSV %2  MASK %3").arg(r.fin() ? 1 : 0).arg(formatRsv(r), mask);
    lines << QStringLiteral("Declared length %1 (%2), header %3 bytes: %4")
                 .arg(r.declaredLength)
                 .arg(QLatin1String(lengthEncodingName(r.lengthEncoding)))
                 .arg(r.headerSize)
                 .arg(formatHex({r.rawHeader.data(), r.rawHeaderSize}, r.rawHeaderSize));
    lines << QStringLiteral("Payload: %1 bytes captured, %2 kept").arg(r.payloadLength).arg(r.storedLength);
    if (r.messageIndex != kNoMessage) {
        QString message = QStringLiteral("Message %1").arg(r.messageIndex);
        if (r.endsMessage()) {
            const MessageSizes sizes = store.messageSizes(row);
            message += QStringLiteral(", last frame: %1 bytes on the wire").arg(sizes.wireSize);
            if (r.compressed()) message += QStringLiteral(", %1 inflated").arg(sizes.inflatedSize);
        }
        lines << message;
    }
    if (r.opcode == opcode::kClose) {
        lines << QStringLiteral("Close code %1 (%2)")
                     .arg(r.closeCode)
                     .arg(QLatin1String(closeCodeName(r.closeCode)));
    }
    if (r.crafted()) lines << QStringLiteral("Crafted frame");
    if (r.violation != nullptr) lines << QStringLiteral("Violation: %1").arg(QString::fromUtf8(r.violation));
    return lines;
}

}  // namespace

QString formatTime(int64_t timestampUs, int64_t originUs, TimeFormat format) {
    if (format == TimeFormat::Relative) {
        const int64_t delta = timestampUs - originUs;
        const int64_t magnitude = delta < 0 ? -delta : delta;
        return QStringLiteral("%1%2.%3")
            .arg(delta < 0 ? QStringLiteral("-") : QString())
            .arg(magnitude / kMicrosPerSecond)
            .arg(micros6(magnitude % kMicrosPerSecond));
    }
    int64_t micros = timestampUs % kMicrosPerSecond;
    if (micros < 0) micros += kMicrosPerSecond;
    const int64_t seconds = (timestampUs - micros) / kMicrosPerSecond;
    return QDateTime::fromSecsSinceEpoch(seconds).toString(QStringLiteral("HH:mm:ss.")) + micros6(micros);
}

QString formatDirection(Direction direction) {
    return direction == Direction::Outgoing ? QStringLiteral("→") : QStringLiteral("←");
}

QString formatOpcode(const CaptureRecord& record) {
    switch (record.kind) {
        case RecordKind::HandshakeRequest:
            return QStringLiteral("handshake request");
        case RecordKind::HandshakeResponse:
            return QStringLiteral("handshake response");
        case RecordKind::Status:
            return QStringLiteral("status");
        case RecordKind::Frame:
            break;
    }
    QString name = QLatin1String(opcodeName(record.opcode));
    if (isReservedOpcode(record.opcode))
        name += QStringLiteral(" 0x%1").arg(QString::number(record.opcode, 16).toUpper());
    return name;
}

QString formatRsv(const CaptureRecord& record) {
    QString rsv(3, QLatin1Char('-'));
    if (record.rsv1()) rsv[0] = QLatin1Char('1');
    if (record.rsv2()) rsv[1] = QLatin1Char('1');
    if (record.rsv3()) rsv[2] = QLatin1Char('1');
    return rsv;
}

QString formatLength(const CaptureRecord& record) {
    if (record.isNote()) return QString::number(record.payloadLength);
    QString text = QString::number(record.declaredLength);
    if (record.storedLength < record.declaredLength)
        text += QStringLiteral(" (%1 kept)").arg(record.storedLength);
    return text;
}

QString formatHex(std::span<const uint8_t> bytes, size_t maxBytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const size_t shown = std::min(bytes.size(), maxBytes);
    QString hex;
    hex.reserve(static_cast<qsizetype>(shown * 3 + 2));
    for (size_t i = 0; i < shown; ++i) {
        if (i != 0) hex += QLatin1Char(' ');
        hex += QLatin1Char(kDigits[bytes[i] >> 4]);
        hex += QLatin1Char(kDigits[bytes[i] & 0xF]);
    }
    if (shown < bytes.size()) hex += QStringLiteral(" …");
    return hex;
}

QString formatPreview(const CaptureStore& store, size_t row, qsizetype maxChars) {
    const CaptureRecord& r = store.record(row);
    if (r.isNote()) return notePreview(store, row, maxChars);
    QString preview = framePreview(store, row, maxChars);
    if (r.violation == nullptr) return preview;
    return QString::fromUtf8(r.violation) + QStringLiteral(" — ") + preview;
}

QString formatDetails(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    if (!r.isNote()) return frameDetails(store, row).join(QLatin1Char('\n'));
    const std::string_view note = store.noteText(row);
    QString text = QString::fromUtf8(note.data(), static_cast<qsizetype>(note.size()));
    QString head = QStringLiteral("#%1 %2 %3, connection %4\n")
                       .arg(row + 1)
                       .arg(directionWord(r.direction), formatOpcode(r))
                       .arg(r.connectionId);
    return head + elide(text.trimmed(), kMaxDetailsNoteChars);
}

}  // namespace framescope::app
