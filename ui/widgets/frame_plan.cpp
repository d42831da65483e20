#include "widgets/frame_plan.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

#include "framescope/byte_buffer.h"
#include "framescope/close_code.h"
#include "framescope/utf8.h"
#include "widgets/frame_data.h"

namespace framescope::ui {

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

LengthEncoding encodingFor(LengthMode mode) {
    switch (mode) {
        case LengthMode::Bits16:
            return LengthEncoding::Bits16;
        case LengthMode::Bits64:
            return LengthEncoding::Bits64;
        default:
            return LengthEncoding::Bits7;
    }
}

RawFramePlanItem pingItem(const CrafterState& state) {
    RawFramePlanItem ping;
    ping.opcode = opcode::kPing;
    ping.masked = state.masked;
    ping.maskKey = state.maskKey;
    ping.randomMaskKey = state.masked && state.randomKey;
    ping.payload = state.pingPayload.toUtf8();
    return ping;
}

}  // namespace

RawFrameSpec RawFramePlanItem::spec() const {
    RawFrameSpec spec;
    spec.fin = fin;
    spec.rsv1 = rsv1;
    spec.rsv2 = rsv2;
    spec.rsv3 = rsv3;
    spec.opcode = opcode;
    spec.masked = masked;
    spec.maskKey = maskKey;
    spec.payload = bytesOf(payload);
    spec.overrideLength = overrideLength;
    spec.declaredLength = declaredLength;
    spec.forceEncoding = forceEncoding;
    spec.encoding = encoding;
    return spec;
}

bool parseHexBytes(const QString& text, QByteArray& out) {
    QString digits = text;
    digits.remove(QRegularExpression(QStringLiteral("0[xX](?=[0-9a-fA-F])")));
    digits.remove(QRegularExpression(QStringLiteral("[\\s:,]")));
    if (digits.size() % 2 != 0) return false;
    static const QRegularExpression hexOnly(QStringLiteral("^[0-9a-fA-F]*$"));
    if (!hexOnly.match(digits).hasMatch()) return false;
    out = QByteArray::fromHex(digits.toLatin1());
    return true;
}

QString toHexString(const QByteArray& bytes, char separator) {
    return QString::fromLatin1(separator ? bytes.toHex(separator) : bytes.toHex());
}

QByteArray decodePayload(const CrafterState& state, QString* error) {
    auto fail = [error](const QString& message) {
        if (error) *error = message;
        return QByteArray();
    };
    switch (state.payloadFormat) {
        case PayloadFormat::Text:
            return state.payloadText.toUtf8();
        case PayloadFormat::Hex: {
            QByteArray bytes;
            if (!parseHexBytes(state.payloadText, bytes)) {
                return fail(
                    QStringLiteral("The hex payload has an odd number of digits or a non-hex "
                                   "character."));
            }
            return bytes;
        }
        case PayloadFormat::Base64: {
            QString compact = state.payloadText;
            compact.remove(QRegularExpression(QStringLiteral("\\s")));
            const auto result =
                QByteArray::fromBase64Encoding(compact.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!result) return fail(QStringLiteral("The payload is not valid Base64."));
            return *result;
        }
        case PayloadFormat::File: {
            QFile file(state.payloadFile);
            if (!file.open(QIODevice::ReadOnly)) {
                return fail(QStringLiteral("Cannot read %1: %2").arg(state.payloadFile, file.errorString()));
            }
            return file.readAll();
        }
    }
    return {};
}

QList<qint64> fragmentSizes(const CrafterState& state, qint64 payloadSize, QString* error) {
    QList<qint64> sizes;
    if (state.splitMode == SplitMode::Equal) {
        const qint64 count = qMax(1, state.fragments);
        for (qint64 i = 0; i < count; ++i)
            sizes.append(payloadSize / count + (i < payloadSize % count ? 1 : 0));
        return sizes;
    }
    qint64 remaining = payloadSize;
    const QStringList tokens =
        state.fragmentSizes.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& token : tokens) {
        bool ok = false;
        const qint64 size = token.toLongLong(&ok);
        if (!ok || size < 0) {
            if (error) *error = QStringLiteral("\"%1\" is not a fragment size.").arg(token);
            continue;
        }
        if (size > remaining && error) {
            *error = QStringLiteral(
                         "The sizes add up to more than the payload's %1 bytes; the last "
                         "fragments are shorter.")
                         .arg(payloadSize);
        }
        sizes.append(qMin(size, remaining));
        remaining -= sizes.last();
    }
    if (remaining > 0 || sizes.isEmpty()) sizes.append(remaining);
    return sizes;
}

FramePlan buildFramePlan(const CrafterState& state, const QByteArray& payload) {
    const QList<qint64> sizes = fragmentSizes(state, payload.size());
    FramePlan plan;
    qint64 offset = 0;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const bool first = i == 0;
        const bool last = i == sizes.size() - 1;
        RawFramePlanItem item;
        item.fin = last && state.fin;
        item.rsv1 = first && state.rsv1;
        item.rsv2 = first && state.rsv2;
        item.rsv3 = first && state.rsv3;
        item.opcode = first ? state.opcode : opcode::kContinuation;
        item.masked = state.masked;
        item.maskKey = state.maskKey;
        item.randomMaskKey = state.masked && state.randomKey;
        item.overrideLength = state.overrideLength;
        item.declaredLength = state.declaredLength;
        item.forceEncoding = state.lengthMode != LengthMode::Minimal;
        item.encoding = encodingFor(state.lengthMode);
        item.payload = payload.mid(static_cast<qsizetype>(offset), static_cast<qsizetype>(sizes[i]));
        offset += sizes[i];
        plan.append(item);
        if (!last && state.pingBetween) plan.append(pingItem(state));
    }
    return plan;
}

QByteArray encodePlan(const FramePlan& plan, QString* error) {
    ByteBuffer buffer;
    for (qsizetype i = 0; i < plan.size(); ++i) {
        const RawFrameError result = encodeRawFrame(plan[i].spec(), buffer);
        if (result != RawFrameError::None) {
            if (error) {
                *error = QStringLiteral("Frame %1: %2")
                             .arg(i + 1)
                             .arg(QString::fromUtf8(rawFrameErrorText(result)));
            }
            return {};
        }
    }
    return QByteArray(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size()));
}

QByteArray craftBytes(const CrafterState& state, QString* error) {
    QString decodeError;
    const QByteArray payload = decodePayload(state, &decodeError);
    if (!decodeError.isEmpty()) {
        if (error) *error = decodeError;
        return {};
    }
    return encodePlan(buildFramePlan(state, payload), error);
}

QList<PlanFrameExtent> planExtents(const FramePlan& plan) {
    QList<PlanFrameExtent> extents;
    qint64 offset = 0;
    for (const RawFramePlanItem& item : plan) {
        const FrameHeader header = item.header();
        extents.append({offset, header, item.payload.size()});
        offset += header.headerSize + item.payload.size();
    }
    return extents;
}

QString CraftWarning::display() const {
    const QString where = frameIndex < 0 ? QString() : QStringLiteral("Frame %1: ").arg(frameIndex + 1);
    return QStringLiteral("%1%2 (%3)").arg(where, text, section);
}

QString opcodeLabel(uint8_t op) {
    const QString hex =
        QStringLiteral("0x%1").arg(op, 0, 16).toUpper().replace(QStringLiteral("0X"), QStringLiteral("0x"));
    if (isReservedOpcode(op)) return hex + QStringLiteral(" (reserved)");
    return hex + QLatin1Char(' ') + QString::fromLatin1(opcodeName(op));
}

namespace {

const char* const kLengthModes[] = {"minimal", "7", "16", "64"};
const char* const kPayloadFormats[] = {"text", "hex", "base64", "file"};

template <typename Enum, size_t N>
Enum enumFromName(const QString& name, const char* const (&names)[N], Enum fallback) {
    for (size_t i = 0; i < N; ++i) {
        if (name == QLatin1String(names[i])) return static_cast<Enum>(i);
    }
    return fallback;
}

}  // namespace

QJsonObject crafterStateToJson(const CrafterState& state) {
    const QByteArray key(reinterpret_cast<const char*>(state.maskKey.data()), 4);
    return QJsonObject{
        {QStringLiteral("fin"), state.fin},
        {QStringLiteral("rsv1"), state.rsv1},
        {QStringLiteral("rsv2"), state.rsv2},
        {QStringLiteral("rsv3"), state.rsv3},
        {QStringLiteral("opcode"), state.opcode},
        {QStringLiteral("masked"), state.masked},
        {QStringLiteral("randomKey"), state.randomKey},
        {QStringLiteral("maskKey"), QString::fromLatin1(key.toHex())},
        {QStringLiteral("overrideLength"), state.overrideLength},
        // A string: JSON numbers lose precision above 2^53.
        {QStringLiteral("declaredLength"), QString::number(state.declaredLength)},
        {QStringLiteral("lengthMode"), QLatin1String(kLengthModes[static_cast<int>(state.lengthMode)])},
        {QStringLiteral("payloadFormat"),
         QLatin1String(kPayloadFormats[static_cast<int>(state.payloadFormat)])},
        {QStringLiteral("payloadText"), state.payloadText},
        {QStringLiteral("payloadFile"), state.payloadFile},
        {QStringLiteral("fragments"), state.fragments},
        {QStringLiteral("splitMode"), state.splitMode == SplitMode::Equal ? "equal" : "sizes"},
        {QStringLiteral("fragmentSizes"), state.fragmentSizes},
        {QStringLiteral("pingBetween"), state.pingBetween},
        {QStringLiteral("pingPayload"), state.pingPayload},
    };
}

CrafterState crafterStateFromJson(const QJsonObject& json) {
    CrafterState state;
    state.fin = json.value(QStringLiteral("fin")).toBool(state.fin);
    state.rsv1 = json.value(QStringLiteral("rsv1")).toBool();
    state.rsv2 = json.value(QStringLiteral("rsv2")).toBool();
    state.rsv3 = json.value(QStringLiteral("rsv3")).toBool();
    state.opcode = static_cast<uint8_t>(json.value(QStringLiteral("opcode")).toInt(state.opcode) & 0x0F);
    state.masked = json.value(QStringLiteral("masked")).toBool(state.masked);
    state.randomKey = json.value(QStringLiteral("randomKey")).toBool(state.randomKey);
    const QByteArray key = QByteArray::fromHex(json.value(QStringLiteral("maskKey")).toString().toLatin1());
    for (qsizetype i = 0; i < 4 && i < key.size(); ++i)
        state.maskKey[static_cast<size_t>(i)] = static_cast<uint8_t>(key[i]);
    state.overrideLength = json.value(QStringLiteral("overrideLength")).toBool();
    state.declaredLength = json.value(QStringLiteral("declaredLength")).toString().toULongLong();
    state.lengthMode =
        enumFromName(json.value(QStringLiteral("lengthMode")).toString(), kLengthModes, LengthMode::Minimal);
    state.payloadFormat = enumFromName(json.value(QStringLiteral("payloadFormat")).toString(),
                                       kPayloadFormats, PayloadFormat::Text);
    state.payloadText = json.value(QStringLiteral("payloadText")).toString();
    state.payloadFile = json.value(QStringLiteral("payloadFile")).toString();
    state.fragments = qMax(1, json.value(QStringLiteral("fragments")).toInt(1));
    state.splitMode = json.value(QStringLiteral("splitMode")).toString() == QLatin1String("sizes")
                          ? SplitMode::Sizes
                          : SplitMode::Equal;
    state.fragmentSizes = json.value(QStringLiteral("fragmentSizes")).toString();
    state.pingBetween = json.value(QStringLiteral("pingBetween")).toBool();
    state.pingPayload = json.value(QStringLiteral("pingPayload")).toString();
    return state;
}

CrafterState crafterStateFromFrame(const FrameData& frame, bool keepMaskKey) {
    const FrameHeader& header = frame.header;
    CrafterState state;
    state.fin = header.fin;
    state.rsv1 = header.rsv1;
    state.rsv2 = header.rsv2;
    state.rsv3 = header.rsv3;
    state.opcode = header.opcode;
    state.masked = header.masked;
    state.randomKey = !(keepMaskKey && header.masked);
    state.maskKey = header.maskKey;
    const auto payloadSize = static_cast<quint64>(frame.payload.size());
    // A payload cut short by the capture's cap is sent as captured, with its true length only if it lied.
    state.overrideLength = header.payloadLength != payloadSize && header.payloadLength != frame.payloadLength;
    state.declaredLength = header.payloadLength;
    if (minimalLengthEncoding(header.payloadLength) != header.lengthEncoding) {
        state.lengthMode = header.lengthEncoding == LengthEncoding::Bits7    ? LengthMode::Bits7
                           : header.lengthEncoding == LengthEncoding::Bits16 ? LengthMode::Bits16
                                                                             : LengthMode::Bits64;
    }
    const auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(frame.payload.constData()),
                                                static_cast<size_t>(frame.payload.size()));
    if (header.opcode == opcode::kText && isValidUtf8(bytes)) {
        state.payloadFormat = PayloadFormat::Text;
        state.payloadText = QString::fromUtf8(frame.payload);
    } else {
        state.payloadFormat = PayloadFormat::Hex;
        state.payloadText = QString::fromLatin1(frame.payload.toHex(' '));
    }
    return state;
}

}  // namespace framescope::ui
