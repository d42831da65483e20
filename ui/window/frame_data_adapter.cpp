#include "window/frame_data_adapter.h"

#include <algorithm>

#include "window/decoded_adapter.h"

namespace framescope::ui {

namespace {

QByteArray bytesOf(std::span<const uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

bool sameStream(const app::CaptureRecord& a, const app::CaptureRecord& b) {
    return !b.isNote() && a.connectionId == b.connectionId && a.direction == b.direction;
}

}  // namespace

QList<size_t> messageFrameRows(const app::CaptureStore& store, size_t row) {
    const app::CaptureRecord& self = store.record(row);
    if (self.isNote() || self.messageIndex == kNoMessage) return {};
    QList<size_t> rows;
    // Message indexes grow per connection and direction: stop at the first frame of an earlier message.
    const size_t lowest = row > kSiblingScanLimit ? row - kSiblingScanLimit : 0;
    for (size_t r = row; r-- > lowest;) {
        const app::CaptureRecord& other = store.record(r);
        if (!sameStream(self, other) || other.messageIndex == kNoMessage) continue;
        if (other.messageIndex != self.messageIndex) break;
        rows.prepend(r);
    }
    rows.append(row);
    if (self.endsMessage()) return rows;
    const size_t end = std::min(store.size(), row + 1 + kSiblingScanLimit);
    for (size_t r = row + 1; r < end; ++r) {
        const app::CaptureRecord& other = store.record(r);
        if (!sameStream(self, other) || other.messageIndex == kNoMessage) continue;
        if (other.messageIndex != self.messageIndex) break;
        rows.append(r);
        if (other.endsMessage()) break;
    }
    return rows;
}

namespace {

void fillMessage(const app::CaptureStore& store, size_t row, FrameData& frame) {
    const app::CaptureRecord& r = store.record(row);
    frame.messageIndex = r.messageIndex;
    if (r.compressed()) {
        frame.compressed = true;
        frame.wireSize = store.messageSizes(row).wireSize;
        frame.inflated = bytesOf(store.inflated(row));
    }
    const QList<size_t> rows = messageFrameRows(store, row);
    if (rows.size() < 2) return;
    const qsizetype at = rows.indexOf(row);
    // Keep the list short around the inspected frame for messages of thousands of fragments.
    const qsizetype first = std::clamp<qsizetype>(at - kSiblingListLimit / 2, 0,
                                                  std::max<qsizetype>(0, rows.size() - kSiblingListLimit));
    const qsizetype last = std::min<qsizetype>(rows.size(), first + kSiblingListLimit);
    for (qsizetype i = first; i < last; ++i) {
        const app::CaptureRecord& other = store.record(rows[i]);
        SiblingFrame sibling;
        sibling.index = displayNumber(rows[i]);
        sibling.opcode = other.opcode;
        sibling.fin = other.fin();
        sibling.payloadLength = other.declaredLength;
        sibling.current = rows[i] == row;
        frame.siblings.append(sibling);
    }
}

void fillClose(const app::CaptureRecord& r, FrameData& frame) {
    if (r.opcode != opcode::kClose) return;
    frame.hasCloseCode = true;
    frame.closeCode = r.closeCode;
    // RFC 6455 §5.5.1: the reason follows the 2-byte status code.
    if (frame.payload.size() > 2) frame.closeReason = QString::fromUtf8(frame.payload.mid(2));
}

}  // namespace

FrameData frameDataFromCapture(const app::CaptureStore& store, size_t row, const app::DecodedCache* decoded) {
    const app::CaptureRecord& r = store.record(row);
    FrameData frame;
    frame.index = displayNumber(row);
    frame.header = r.header();
    frame.rawHeader = bytesOf(std::span<const uint8_t>(r.rawHeader.data(), r.rawHeaderSize));
    frame.payload = bytesOf(store.payload(row));
    frame.payloadLength = r.payloadLength;
    frame.direction =
        r.direction == app::Direction::Incoming ? FrameDirection::Incoming : FrameDirection::Outgoing;
    frame.timestampUs = r.timestampUs;
    if (r.violation != nullptr) frame.violation = QString::fromUtf8(r.violation);
    fillClose(r, frame);
    fillMessage(store, row, frame);
    fillDecoded(store, row, frame, decoded);
    return frame;
}

// The message `row` ends: the inflated bytes, its one frame's payload, or its frames' payloads joined.
QByteArray messageBytes(const app::CaptureStore& store, size_t row) {
    const app::CaptureRecord& r = store.record(row);
    if (r.compressed()) return bytesOf(store.inflated(row));
    if (r.opcode != opcode::kContinuation) return bytesOf(store.payload(row));
    QByteArray out;
    for (const size_t part : messageFrameRows(store, row))
        out += bytesOf(store.payload(part));
    return out;
}

}  // namespace framescope::ui
