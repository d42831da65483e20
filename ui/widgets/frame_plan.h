// The frame crafter's model, free of widgets: its state, the plan of frames that state describes (data
// fragments with optional pings between them), the exact bytes of that plan (core's encodeRawFrame, frame
// by frame), the RFC 6455 rules the plan breaks, and the JSON form of templates. The preview, the Send
// button and the tests all go through these functions.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "framescope/frame.h"

namespace framescope::ui {

enum class PayloadFormat : uint8_t { Text, Hex, Base64, File };
enum class LengthMode : uint8_t { Minimal, Bits7, Bits16, Bits64 };
enum class SplitMode : uint8_t { Equal, Sizes };
enum class SenderRole : uint8_t { Client, Server };

struct CrafterState {
    bool fin = true;    // FIN of the last fragment (earlier fragments always have FIN 0)
    bool rsv1 = false;  // RSV bits go on the first fragment only (as permessage-deflate does)
    bool rsv2 = false;
    bool rsv3 = false;
    uint8_t opcode = opcode::kText;  // of the first fragment; later ones are continuations
    bool masked = true;
    bool randomKey = true;  // a fresh key per frame at send time; `maskKey` is the preview's
    MaskKey maskKey{};
    bool overrideLength = false;  // every data fragment declares `declaredLength`
    quint64 declaredLength = 0;
    LengthMode lengthMode = LengthMode::Minimal;  // applies to every data fragment
    PayloadFormat payloadFormat = PayloadFormat::Text;
    QString payloadText;  // text, hex digits or Base64, as typed
    QString payloadFile;  // PayloadFormat::File
    int fragments = 1;
    SplitMode splitMode = SplitMode::Equal;
    QString fragmentSizes;  // SplitMode::Sizes: "3, 5, 2"; any remainder becomes one more fragment
    bool pingBetween = false;
    QString pingPayload;
    friend bool operator==(const CrafterState&, const CrafterState&) = default;
};

// One frame to send: every RawFrameSpec field, the payload it owns, and whether the app should replace
// the masking key with a fresh random one (RFC 6455 §5.3) when it sends the frame.
struct RawFramePlanItem {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    uint8_t opcode = opcode::kText;
    bool masked = false;
    MaskKey maskKey{};
    bool randomMaskKey = false;
    bool overrideLength = false;
    quint64 declaredLength = 0;
    bool forceEncoding = false;
    LengthEncoding encoding = LengthEncoding::Bits7;
    QByteArray payload;  // unmasked

    // The core spec; its payload span points into `payload`, so keep this item alive while using it.
    RawFrameSpec spec() const;
    FrameHeader header() const { return rawFrameHeader(spec()); }
};
using FramePlan = QList<RawFramePlanItem>;

// The payload bytes the state describes: UTF-8 text, hex digits (whitespace, ':' and "0x" allowed),
// Base64, or the file's contents. On a decoding error returns an empty array and sets `error`.
QByteArray decodePayload(const CrafterState& state, QString* error = nullptr);
// Hex digits to bytes, tolerating whitespace, ':', ',' and "0x" prefixes; false on odd or bad digits.
bool parseHexBytes(const QString& text, QByteArray& out);
QString toHexString(const QByteArray& bytes, char separator = ' ');

// The sizes of the data fragments for `payloadSize` bytes. `error` tells why a size list is unusable.
QList<qint64> fragmentSizes(const CrafterState& state, qint64 payloadSize, QString* error = nullptr);
// The frames the state describes for `payload`: the data fragments in order, a ping after each but the
// last when pingBetween is set.
FramePlan buildFramePlan(const CrafterState& state, const QByteArray& payload);
// The exact bytes of the plan, frame after frame, as core's encodeRawFrame writes them. If a frame cannot
// be encoded (its declared length does not fit the forced encoding) returns an empty array, sets `error`.
QByteArray encodePlan(const FramePlan& plan, QString* error = nullptr);
// The whole pipeline: the exact bytes a crafter state produces (decodePayload, buildFramePlan, encodePlan).
QByteArray craftBytes(const CrafterState& state, QString* error = nullptr);
// Where each frame of encodePlan()'s output starts, and its header size, for highlighting the preview.
struct PlanFrameExtent {
    qint64 offset = 0;
    FrameHeader header{};
    qint64 payloadSize = 0;
};
QList<PlanFrameExtent> planExtents(const FramePlan& plan);

// An RFC rule a planned frame breaks. frameIndex is the frame in the plan, or -1 for the whole plan.
struct CraftWarning {
    int frameIndex = -1;
    QString text;     // one sentence
    QString section;  // "RFC 6455 §5.2"
    QString display() const;
};
struct PlanContext {
    SenderRole role = SenderRole::Client;
    bool rsv1Negotiated = false;  // permessage-deflate is on (RSV1 allowed on a message's first frame)
    bool fixedKey = false;        // the masking key is not fresh per frame
};
QList<CraftWarning> checkPlan(const FramePlan& plan, const PlanContext& context);

// Templates: a state to JSON and back (every field; the key as hex).
QJsonObject crafterStateToJson(const CrafterState& state);
CrafterState crafterStateFromJson(const QJsonObject& json);

// "0x1 text", "0x3 (reserved)", "0xB (reserved)": the labels of the opcode combo and the diagram.
QString opcodeLabel(uint8_t op);

struct FrameData;
// The crafter's state that sends `frame` again: its header bits, opcode, mask bit, length encoding (and a
// declared length that differs from the payload), the payload as text when it is valid UTF-8 text, else hex.
// With `keepMaskKey` the captured key is kept (the exact bytes again); otherwise a fresh key per send.
CrafterState crafterStateFromFrame(const FrameData& frame, bool keepMaskKey = false);

}  // namespace framescope::ui
