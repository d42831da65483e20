// Capture files: the Qt side (QSaveFile, mapped reading) around the Qt-free format readers and writers.
#include "capture/capture_files.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "capture/capture_export.h"
#include "capture/format_har.h"
#include "capture/format_pcap_import.h"
#include "capture/format_pcapng.h"
#include "capture/format_session.h"

namespace framescope::app {

namespace {

// A chunk written after a cancellation fails, which stops every writer within one chunk of it.
ChunkWriter writerTo(QSaveFile& file, const RowSet& rows) {
    return [&file, &rows](std::span<const uint8_t> bytes) {
        if (rows.cancelled()) return false;
        const auto size = static_cast<qint64>(bytes.size());
        return size == 0 || file.write(reinterpret_cast<const char*>(bytes.data()), size) == size;
    };
}

FormatResult writeFormat(const CaptureStore& store, CaptureFileFormat format, QSaveFile& file,
                         const SaveOptions& options) {
    const ChunkWriter write = writerTo(file, options.rows);
    switch (format) {
        case CaptureFileFormat::Session:
            return writeSessionFile(store, options.rows, write);
        case CaptureFileFormat::Pcapng:
            return writePcapng(store, options.rows, write);
        case CaptureFileFormat::Har:
            return writeHar(store, options.rows, write);
        case CaptureFileFormat::JsonLines:
        case CaptureFileFormat::Csv: {
            ExportOptions exportOptions;
            exportOptions.format =
                format == CaptureFileFormat::Csv ? ExportFormat::Csv : ExportFormat::JsonLines;
            exportOptions.withNotes = options.withNotes || format == CaptureFileFormat::Csv;
            exportOptions.decoded = options.decoded;
            exportOptions.decoder = options.decoder;
            exportOptions.choices = options.choices;
            QString error;
            const qint64 rows = exportCapture(store, file, exportOptions, &error, options.rows);
            if (rows < 0) return FormatResult::failure(error.toStdString());
            return {true, {}, static_cast<uint64_t>(rows)};
        }
        default:
            break;
    }
    return FormatResult::failure("FrameScope cannot write this format.");
}

}  // namespace

CaptureFileFormat captureFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "fscap") return CaptureFileFormat::Session;
    if (suffix == "pcapng") return CaptureFileFormat::Pcapng;
    if (suffix == "pcap" || suffix == "cap") return CaptureFileFormat::Pcap;
    if (suffix == "har") return CaptureFileFormat::Har;
    if (suffix == "jsonl" || suffix == "json" || suffix == "ndjson") return CaptureFileFormat::JsonLines;
    if (suffix == "csv") return CaptureFileFormat::Csv;
    return CaptureFileFormat::Unknown;
}

bool canSaveFormat(CaptureFileFormat format) {
    return format == CaptureFileFormat::Session || format == CaptureFileFormat::Pcapng ||
           format == CaptureFileFormat::Har || format == CaptureFileFormat::JsonLines ||
           format == CaptureFileFormat::Csv;
}

QString savableFormatsText() {
    return QStringLiteral("session (.fscap), pcapng (.pcapng), HAR (.har), JSON Lines (.jsonl), CSV (.csv)");
}

qint64 saveCaptureFile(const CaptureStore& store, const QString& path, const SaveOptions& options,
                       QString* error) {
    const CaptureFileFormat format = captureFormatForPath(path);
    if (!canSaveFormat(format)) {
        if (error) {
            *error = QStringLiteral("Cannot tell the format of %1 from its extension; use %2.")
                         .arg(path, savableFormatsText());
        }
        return -1;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = QStringLiteral("Cannot open %1 for writing: %2.").arg(path, file.errorString());
        return -1;
    }
    const FormatResult result = writeFormat(store, format, file, options);
    if (!result.ok) {
        file.cancelWriting();
        if (options.rows.cancelled()) {
            if (error) *error = QStringLiteral("Saving %1 was cancelled; nothing was written.").arg(path);
        } else if (error)
            *error = QStringLiteral("Cannot save %1: %2").arg(path, QString::fromStdString(result.error));
        return -1;
    }
    if (!file.commit()) {
        if (error) *error = QStringLiteral("Cannot save %1: %2.").arg(path, file.errorString());
        return -1;
    }
    return static_cast<qint64>(result.rows);
}

qint64 openCaptureFile(const QString& path, CaptureStore& store, QString* error, QString* warning) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QStringLiteral("Cannot open %1: %2.").arg(path, file.errorString());
        return -1;
    }
    const qint64 size = file.size();
    const uchar* mapped = size > 0 ? file.map(0, size) : nullptr;
    QByteArray contents;
    if (mapped == nullptr && size > 0) {
        contents = file.readAll();
        mapped = reinterpret_cast<const uchar*>(contents.constData());
    }
    const std::span<const uint8_t> bytes(mapped, static_cast<size_t>(size));
    FormatResult result;
    const size_t before = store.size();
    if (looksLikeSessionFile(bytes)) {
        result = readSessionFile(bytes, store);
    } else if (looksLikePcap(bytes)) {
        result = readPcap(bytes, store);
    } else if (looksLikeHar(bytes)) {
        result = readHar(bytes, store);
    } else {
        result = FormatResult::failure("it is not a session file (.fscap), a pcap, pcapng or HAR file.");
    }
    if (!result.ok && store.size() == before) {
        if (error)
            *error = QStringLiteral("Cannot read %1: %2").arg(path, QString::fromStdString(result.error));
        return -1;
    }
    if (warning) *warning = QString::fromStdString(result.error);
    return static_cast<qint64>(store.size() - before);
}

void CaptureTee::addFrame(const CapturedFrame& frame) {
    if (first_) first_->addFrame(frame);
    if (second_) second_->addFrame(frame);
}

void CaptureTee::addNote(const CapturedNote& note) {
    if (first_) first_->addNote(note);
    if (second_) second_->addNote(note);
}

void CaptureTee::addConnection(const CapturedConnection& connection) {
    if (first_) first_->addConnection(connection);
    if (second_) second_->addConnection(connection);
}

void CaptureTee::addRelayFate(const CapturedRelayFate& fate) {
    if (first_) first_->addRelayFate(fate);
    if (second_) second_->addRelayFate(fate);
}

}  // namespace framescope::app
