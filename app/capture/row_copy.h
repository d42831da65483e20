// Several log rows as one piece of text for the clipboard: their payloads as hex (one line per row, bytes
// as captured and unmasked), as text (one line per row, compressed messages inflated, UTF-8), or as JSON
// Lines (the objects `framescope-cli connect --json` prints). Notes give their text. Call on the thread
// that reads the store.
#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <span>

#include "capture/capture_store.h"

namespace framescope::app {

enum class RowCopyFormat : uint8_t { Hex, Text, JsonLines };

// `rows` are store rows, in the order wanted; each line ends with '\n'.
QByteArray copyRows(const CaptureStore& store, std::span<const size_t> rows, RowCopyFormat format);

}  // namespace framescope::app
