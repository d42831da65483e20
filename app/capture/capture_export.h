// The whole capture written out: JSON Lines with exactly the fields of `framescope-cli connect --json`
// (net/json_lines.h formats a store row rebuilt as a CapturedFrame or CapturedNote), and the log's columns
// as CSV or tab-separated text. Call on the thread that reads the store.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstddef>

#include "capture/capture_format.h"
#include "capture/capture_sink.h"
#include "capture/capture_store.h"
#include "capture/format_common.h"
#include "decode/store_decoder.h"

class QIODevice;

namespace framescope::app {

// Views into the store (valid until the store is cleared): a frame row as the connection captured it,
// payloads capped at the store's payloadCap.
CapturedFrame capturedFrameOf(const CaptureStore& store, size_t row);
CapturedNote capturedNoteOf(const CaptureStore& store, size_t row);
// One JSON object (no newline): frameToJson() for frames, noteToJson() for notes.
QByteArray rowToJson(const CaptureStore& store, size_t row);

enum class ExportFormat : uint8_t {
    JsonLines,  // one object per row; notes included when asked
    Csv,        // RFC 4180: the log's columns (with Conn and the proxy's Leg) and a header line
    Text,       // the log's columns separated by tabs, one row per line
};

struct ExportOptions {
    ExportFormat format = ExportFormat::JsonLines;
    bool withNotes = true;
    TimeFormat timeFormat = TimeFormat::Relative;  // Csv and Text
    qsizetype previewChars = 1000;                 // Csv and Text: the Preview column's length
    // JsonLines: the last frame of each message an application protocol reads gets a "decoded" object,
    // as in `connect --json`; `decoder` chooses for every connection, `choices` for some (the window's).
    bool decoded = false;
    DecoderChoice decoder;
    std::unordered_map<uint32_t, decoders::Protocol> choices;
};

// Writes the rows of `rows` (by default [0, store.size()) as published when called). Returns the rows
// written, or -1 with `error` set to one sentence when the device fails.
qint64 exportCapture(const CaptureStore& store, QIODevice& out, const ExportOptions& options,
                     QString* error = nullptr, const RowSet& rows = {});
// Writes `rows` to `path` (replaced atomically: a failed or cancelled export leaves no file behind and an
// older file as it was). The format is options.format. When rows carry a WriteProgress, the export stops
// within 1,024 rows of `cancelled` and returns -1 with "The export was cancelled."
qint64 exportCaptureToFile(const CaptureStore& store, const QString& path, const ExportOptions& options,
                           QString* error = nullptr, const RowSet& rows = {});

// The log's columns for one row, as the model shows them (# is row + 1), with the connection id (Conn)
// and, for a proxy's rows, the leg ("client" or "upstream"; empty otherwise) after Time.
QStringList logColumns(const CaptureStore& store, size_t row, TimeFormat timeFormat, qsizetype previewChars);
QStringList logColumnTitles();

}  // namespace framescope::app
