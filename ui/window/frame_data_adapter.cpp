#include "window/frame_data_adapter.h"

#include <QObject>

#include <algorithm>
#include <optional>

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

// Frames drawn in the Other leg tab (each with its own hex view); the rest are counted.
constexpr int kOtherLegFrameLimit = 16;

bool isDataFrame(const app::CaptureRecord& r) {
    return !r.isNote() &&
           (r.opcode == opcode::kText || r.opcode == opcode::kBinary || r.opcode == opcode::kContinuation);
}

// One frame as on the wire (header, key, bytes, direction, time): the Other leg tab draws these, and
// frameDataFromCapture() starts from one.
FrameData legFrame(const app::CaptureStore& store, size_t row) {
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
    frame.messageIndex = r.messageIndex;
    return frame;
}

// The last captured frame of message `messageIndex` that arrived on `connectionId`, before `row`.
std::optional<size_t> arrivedFrame(const app::CaptureStore& store, size_t row, uint32_t connectionId,
                                   uint64_t messageIndex) {
    const size_t lowest = row > kSiblingScanLimit ? row - kSiblingScanLimit : 0;
    for (size_t r = row; r-- > lowest;) {
        const app::CaptureRecord& other = store.record(r);
        if (!other.isNote() && other.connectionId == connectionId &&
            other.direction == app::Direction::Incoming && other.messageIndex == messageIndex)
            return r;
    }
    return std::nullopt;
}

QString notRelayedSentence(app::RelayFate fate, const QString& leg) {
    switch (fate) {
        case app::RelayFate::Held:
            return QObject::tr("Held at the intercept breakpoint: nothing has been sent on the %1 leg yet.")
                .arg(leg);
        case app::RelayFate::Queued:
            return QObject::tr("Waiting behind a held message: nothing has been sent on the %1 leg yet.")
                .arg(leg);
        case app::RelayFate::Dropped:
            return QObject::tr("Dropped at the intercept breakpoint: it was never sent on the %1 leg.")
                .arg(leg);
        case app::RelayFate::Replaced:
            return QObject::tr(
                       "Edited at the intercept breakpoint: what was sent on the %1 leg instead shows "
                       "as its own rows.")
                .arg(leg);
        case app::RelayFate::Discarded:
            return QObject::tr("Not relayed: the connection ended while it was held or queued.");
        case app::RelayFate::NotSent:
            return QObject::tr("Not relayed: the %1 leg had closed or could not take it (a note says why).")
                .arg(leg);
        case app::RelayFate::None:
            break;
    }
    return QObject::tr(
               "Not relayed as it arrived: it was dropped, edited or still held when captured, or the "
               "%1 leg had closed.")
        .arg(leg);
}

void addLegFrames(const app::CaptureStore& store, const QList<size_t>& rows, OtherLegData& other) {
    for (const size_t r : rows) {
        if (other.frames.size() >= size_t(kOtherLegFrameLimit)) {
            ++other.moreFrames;
            continue;
        }
        other.frames.push_back(legFrame(store, r));
    }
}

// A proxy leg's data frame: the same message on the other leg (pair ids: the app leg N, the upstream N+1).
void fillOtherLeg(const app::CaptureStore& store, size_t row, FrameData& frame) {
    const app::CaptureRecord& r = store.record(row);
    if (r.leg == app::Leg::None || !isDataFrame(r) || r.messageIndex == kNoMessage) return;
    const bool appLeg = r.leg == app::Leg::Client;
    const QString otherName = appLeg ? QObject::tr("upstream") : QObject::tr("app");
    const uint32_t otherId = appLeg ? r.connectionId + 1 : r.connectionId - 1;
    OtherLegData other;
    if (r.direction == app::Direction::Incoming) {
        QList<size_t> rows;
        for (const size_t relay : store.relayRows(row))
            rows.append(relay);
        if (rows.isEmpty()) {
            other.sentence = notRelayedSentence(store.relayFate(r.connectionId, r.messageIndex), otherName);
        } else {
            other.title = QObject::tr("As sent on the %1 leg (#%2), relayed as it arrived here")
                              .arg(otherName)
                              .arg(store.record(rows.front()).connectionId);
            addLegFrames(store, rows, other);
        }
    } else if (const auto source = r.relayed() ? store.relaySource(row) : std::nullopt) {
        const std::optional<size_t> last =
            arrivedFrame(store, row, source->connectionId, source->messageIndex);
        other.title = QObject::tr("As it arrived on the %1 leg (#%2); this frame relays it")
                          .arg(otherName)
                          .arg(otherId);
        if (last) {
            addLegFrames(store, messageFrameRows(store, *last), other);
        } else {
            other.sentence = QObject::tr("The message it relays is no longer in the capture.");
        }
    } else {
        other.sentence = QObject::tr(
                             "Sent by the proxy itself (edited, crafted or injected): it relays no "
                             "message of the %1 leg.")
                             .arg(otherName);
    }
    frame.otherLeg = std::move(other);
}

}  // namespace

FrameData frameDataFromCapture(const app::CaptureStore& store, size_t row, const app::DecodedCache* decoded) {
    const app::CaptureRecord& r = store.record(row);
    FrameData frame = legFrame(store, row);
    if (r.violation != nullptr) frame.violation = QString::fromUtf8(r.violation);
    fillClose(r, frame);
    fillMessage(store, row, frame);
    fillDecoded(store, row, frame, decoded);
    fillOtherLeg(store, row, frame);
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
