// What the inspector shows for one captured frame: a plain struct the app layer fills from its capture
// store (see app/capture/capture_sink.h), plus helpers that rebuild the wire bytes and parse sample frames.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

#include "framescope/decoders/decoded.h"
#include "framescope/frame.h"
#include "framescope/session.h"

namespace framescope::ui {

enum class FrameDirection : uint8_t { Incoming, Outgoing };

// Another frame of the same message, for the inspector's list.
struct SiblingFrame {
    qint64 index = -1;  // the frame's row in the capture; emitted when clicked
    uint8_t opcode = opcode::kContinuation;
    bool fin = false;
    quint64 payloadLength = 0;
    bool current = false;  // the frame being inspected
};

struct FrameData;

// A proxied data frame's other leg: the frames that relayed its message there, as sent (for a frame as it
// arrived), or the frames of the message it relays, as they arrived (for a relayed frame). No frames: a
// sentence says why (dropped, edited, still held, ...).
struct OtherLegData {
    QString title;     // what the frames are, e.g. "As sent on the upstream leg (#2000002)"
    QString sentence;  // when there are no frames
    std::vector<FrameData> frames;
    qsizetype moreFrames = 0;  // frames left out of `frames` (a message of very many fragments)
};

struct FrameData {
    qint64 index = -1;  // row in the capture, -1 when not from one
    FrameHeader header{};
    QByteArray rawHeader;       // header bytes as on the wire (rebuilt from `header` when empty)
    QByteArray payload;         // unmasked; may be shorter than payloadLength (capture cap or a cut frame)
    quint64 payloadLength = 0;  // the true length of the payload on the wire
    FrameDirection direction = FrameDirection::Incoming;
    qint64 timestampUs = 0;   // microseconds since the Unix epoch
    bool compressed = false;  // the message was sent with permessage-deflate
    quint64 wireSize = 0;     // compressed: the message's payload bytes on the wire
    QByteArray inflated;      // compressed: the message after inflation
    bool hasCloseCode = false;
    quint16 closeCode = 0;
    QString closeReason;
    QString violation;  // one sentence naming the RFC rule broken, with its section; empty if none
    quint64 messageIndex = kNoMessage;
    QList<SiblingFrame> siblings;  // the frames of the same message, this one included (current = true)
    // The last frame of a message: the message read in its application protocol, when one applies, and the
    // message bytes its spans refer to.
    std::optional<decoders::Decoded> decoded;
    QByteArray decodedBytes;
    // Its request/response partner (the log's "#" number, -1 when none was found) and the time between them.
    qint64 pairedIndex = -1;
    bool pairedIsResponse = false;  // the partner answers this message (this one is the request)
    qint64 pairLatencyUs = 0;
    std::optional<OtherLegData> otherLeg;  // a proxy leg's data frames only
};

// The header bytes of `frame`: rawHeader, or the encoding of `header` when rawHeader is empty.
QByteArray headerBytes(const FrameData& frame);
// The frame as on the wire (header + payload), with the payload masked by the key when `masked` and the
// header's MASK bit is set, or unmasked otherwise.
QByteArray wireBytes(const FrameData& frame, bool masked);
// The payload to show as a message: the inflated message for compressed ones, the payload otherwise.
const QByteArray& displayPayload(const FrameData& frame);

// Parses one complete frame from `wire` (header and payload, masked as sent) into a FrameData, decoding
// the close code and reason. Returns false if the header is incomplete. Used by the demo and the tests.
bool frameDataFromWire(const QByteArray& wire, FrameDirection direction, qint64 timestampUs, FrameData& out);

}  // namespace framescope::ui
