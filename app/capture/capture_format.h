// Text for one capture row's cells and details, built on demand (the model, exporters and the inspector share
// it). Pure functions of the store's published rows; call them on the thread that reads the store.
#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>
#include <span>

#include "capture/capture_store.h"

namespace framescope::app {

enum class TimeFormat : uint8_t {
    Relative,  // seconds since the first row, e.g. "12.000345"
    Absolute,  // local wall-clock time, e.g. "14:03:22.000345"
};

QString formatTime(int64_t timestampUs, int64_t originUs, TimeFormat format);
QString formatDirection(Direction direction);  // "→" outgoing, "←" incoming
// "text", "continuation", "close", ..., "reserved-data 0x3"; notes: "handshake request", "status", ...
QString formatOpcode(const CaptureRecord& record);
QString formatRsv(const CaptureRecord& record);     // "1--": one character per RSV bit
QString formatLength(const CaptureRecord& record);  // declared, and what was kept when less
// Space-separated hex of at most `maxBytes` bytes, with "…" when there are more.
QString formatHex(std::span<const uint8_t> bytes, size_t maxBytes);
// A one-line summary of about `maxChars` characters: text, hex for binary, "code 1000 Normal closure: bye"
// for close frames, the first line of a note; a violation's sentence comes first.
QString formatPreview(const CaptureStore& store, size_t row, qsizetype maxChars = 100);
// Several lines naming every header field, sizes, message, close code, violation (a tooltip).
QString formatDetails(const CaptureStore& store, size_t row);

}  // namespace framescope::app
