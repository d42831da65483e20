// Exporting the capture: store rows rebuilt as the connection captured them, then JSON Lines, CSV or text.
#include "capture/capture_export.h"

#include <QIODevice>
#include <QSaveFile>
#include <QStringList>

#include "decode/decoding_sink.h"
#include "net/json_lines.h"

namespace framescope::app {

namespace {

NoteKind noteKindOf(RecordKind kind) {
    switch (kind) {
        case RecordKind::HandshakeRequest:
            return NoteKind::HandshakeRequest;
        case RecordKind::HandshakeResponse:
            return NoteKind::HandshakeResponse;
        case RecordKind::Frame:
        case RecordKind::Status:
            break;
    }
    return NoteKind::Status;
}

// RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes inside.
QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r'))) {
        return text;
    }
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QByteArray lineOf(const QStringList& columns, ExportFormat format) {
    if (format == ExportFormat::Text) return columns.join(QLatin1Char('\t')).toUtf8();
    QStringList fields;
    fields.reserve(columns.size());
    for (const QString& column : columns)
        fields << csvField(column);
    return fields.join(QLatin1Char(',')).toUtf8();
}

QString bit(bool value) {
    return value ? QStringLiteral("1") : QStringLiteral("0");
}

}  // namespace

CapturedFrame capturedFrameOf(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    CapturedFrame frame;
    frame.timestampUs = r.timestampUs;
    frame.connectionId = r.connectionId;
    frame.direction = r.direction;
    frame.leg = r.leg;
    frame.header = r.header();
    frame.rawHeader = std::span<const uint8_t>(r.rawHeader.data(), r.rawHeaderSize);
    frame.payload = store.payload(row);
    frame.messageIndex = r.messageIndex;
    frame.endsMessage = r.endsMessage();
    frame.compressed = r.compressed();
    frame.messageWireSize = r.endsMessage() ? store.messageSizes(row).wireSize : 0;
    frame.inflated = store.inflated(row);
    frame.closeCode = r.closeCode;
    frame.violation = r.violation;
    frame.crafted = r.crafted();
    frame.capturedLength = r.payloadLength;
    frame.inflatedLength = r.compressed() ? store.messageSizes(row).inflatedSize : 0;
    return frame;
}

CapturedNote capturedNoteOf(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    CapturedNote note;
    note.timestampUs = r.timestampUs;
    note.connectionId = r.connectionId;
    note.direction = r.direction;
    note.leg = r.leg;
    note.kind = noteKindOf(r.kind);
    note.text = store.noteText(row);
    return note;
}

QByteArray rowToJson(const CaptureStore& store, size_t row) {
    if (store.record(row).isNote()) return noteToJson(capturedNoteOf(store, row));
    return frameToJson(capturedFrameOf(store, row));
}

QStringList logColumnTitles() {
    return {QStringLiteral("#"),    QStringLiteral("Time"),   QStringLiteral("Conn"),   QStringLiteral("Leg"),
            QStringLiteral("Dir"),  QStringLiteral("Opcode"), QStringLiteral("FIN"),    QStringLiteral("RSV"),
            QStringLiteral("MASK"), QStringLiteral("Length"), QStringLiteral("Preview")};
}

QStringList logColumns(const CaptureStore& store, size_t row, TimeFormat timeFormat, qsizetype previewChars) {
    const CaptureRecord& r = store.record(row);
    const bool note = r.isNote();
    return {QString::number(row + 1),
            formatTime(r.timestampUs, store.record(0).timestampUs, timeFormat),
            QString::number(r.connectionId),
            r.leg == Leg::None ? QString() : QString::fromLatin1(legName(r.leg)),
            formatDirection(r.direction),
            formatOpcode(r),
            note ? QString() : bit(r.fin()),
            note ? QString() : formatRsv(r),
            note ? QString() : bit(r.masked()),
            formatLength(r),
            formatPreview(store, row, previewChars)};
}

qint64 exportCapture(const CaptureStore& store, QIODevice& out, const ExportOptions& options, QString* error,
                     const RowSet& rowSet) {
    const size_t rows = rowSet.count(store);
    qint64 written = 0;
    QByteArray buffer;
    auto flush = [&]() {
        if (out.write(buffer) != buffer.size()) return false;
        buffer.clear();
        return true;
    };
    if (options.format != ExportFormat::JsonLines) buffer += lineOf(logColumnTitles(), options.format) + '\n';
    StoreDecoder decoder;
    decoder.setDefaultChoice(options.decoder);
    for (const auto& [connection, protocol] : options.choices)
        decoder.setChoice(connection, protocol);
    size_t decodedUpTo = 0;  // rows [0, decodedUpTo) went through the decoder, in order
    for (size_t i = 0; i < rows; ++i) {
        const size_t row = rowSet.at(i);
        std::optional<StoreDecoder::Result> decoded;
        if (options.decoded && options.format == ExportFormat::JsonLines) {
            for (; decodedUpTo <= row; ++decodedUpTo)
                decoded = decoder.step(store, decodedUpTo);
        }
        if (store.record(row).isNote() && !options.withNotes) continue;
        if (options.format == ExportFormat::JsonLines) {
            buffer += rowToJson(store, row);
            if (decoded) appendDecodedJson(buffer, decoded->decoded);
        } else {
            buffer +=
                lineOf(logColumns(store, row, options.timeFormat, options.previewChars), options.format);
        }
        buffer += '\n';
        ++written;
        if (buffer.size() >= (1 << 20) && !flush()) break;
        if (i % 1024 == 0 && rowSet.cancelled()) break;
    }
    if (rowSet.cancelled()) {
        if (error) *error = QStringLiteral("The export was cancelled.");
        return -1;
    }
    if (!flush()) {
        if (error) *error = QStringLiteral("Cannot write the export: %1.").arg(out.errorString());
        return -1;
    }
    return written;
}

qint64 exportCaptureToFile(const CaptureStore& store, const QString& path, const ExportOptions& options,
                           QString* error, const RowSet& rows) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = QStringLiteral("Cannot open %1 for writing: %2.").arg(path, file.errorString());
        return -1;
    }
    const qint64 written = exportCapture(store, file, options, error, rows);
    if (written < 0) {
        file.cancelWriting();
        return -1;
    }
    if (!file.commit()) {
        if (error) *error = QStringLiteral("Cannot save %1: %2.").arg(path, file.errorString());
        return -1;
    }
    return written;
}

}  // namespace framescope::app
