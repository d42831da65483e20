// Turns one CaptureStore row into the FrameData the FrameInspector shows: payload, true length, inflated
// bytes and sizes on a message's last frame, close code and reason, violation, and the other frames of the
// same message. FrameData::index and SiblingFrame::index are the log's "#" numbers (store row + 1).
#pragma once

#include <cstddef>

#include "capture/capture_store.h"
#include "widgets/frame_data.h"

namespace framescope::app {
class DecodedCache;
}

namespace framescope::ui {

// Rows scanned on each side of a frame for its message's other frames, and how many are listed.
inline constexpr size_t kSiblingScanLimit = 200000;
inline constexpr int kSiblingListLimit = 500;

// `row` must be a published frame row (not a note). `decoded`, the model's cache of decoded messages, may be
// null (the message is then decoded by replaying its connection).
FrameData frameDataFromCapture(const app::CaptureStore& store, size_t row,
                               const app::DecodedCache* decoded = nullptr);
// The store rows of the frames of `row`'s message (same connection, direction and message index),
// ascending, `row` included; empty for control frames.
QList<size_t> messageFrameRows(const app::CaptureStore& store, size_t row);

// The message `row` ends: the inflated bytes, its one frame's payload, or its frames' payloads joined.
QByteArray messageBytes(const app::CaptureStore& store, size_t row);

// The log's "#" number of a store row and back.
inline qint64 displayNumber(size_t storeRow) {
    return static_cast<qint64>(storeRow) + 1;
}
inline size_t storeRowOfNumber(qint64 number) {
    return static_cast<size_t>(number - 1);
}

}  // namespace framescope::ui
