// checkPlan(): every RFC 6455 (and RFC 7692) rule a crafted plan breaks, one sentence each.
#include <QByteArray>

#include "framescope/close_code.h"
#include "framescope/utf8.h"
#include "widgets/frame_plan.h"

namespace framescope::ui {

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

class PlanChecker {
public:
    PlanChecker(const PlanContext& context, QList<CraftWarning>& out) : context_(context), out_(out) {}

    void check(int index, const RawFramePlanItem& item) {
        index_ = index;
        const FrameHeader header = item.header();
        checkOpcodeAndRsv(item);
        checkMasking(item);
        checkLength(item, header);
        if (isControlOpcode(item.opcode)) {
            checkControl(item, header);
        } else if (!isReservedOpcode(item.opcode)) {
            checkSequence(item);
        }
    }

    void finish() {
        index_ = -1;
        if (inMessage_) {
            warn(QStringLiteral("The last data frame has FIN 0: the message is left unfinished and the peer "
                                "waits for a continuation frame"),
                 QStringLiteral("RFC 6455 §5.4"));
            if (textMessage_ && utf8_.result() == Utf8Validator::Result::Invalid) warnInvalidText();
        }
        if (context_.role == SenderRole::Client && context_.fixedKey && anyMasked_) {
            warn(QStringLiteral("A fixed masking key is predictable; each frame needs a fresh key from a "
                                "strong source of randomness"),
                 QStringLiteral("RFC 6455 §5.3"));
        }
    }

private:
    void warn(const QString& text, const QString& section) { out_.append({index_, text, section}); }

    void warnInvalidText() {
        const QString where = utf8_.result() == Utf8Validator::Result::Invalid
                                  ? QStringLiteral("first bad byte at offset %1").arg(utf8_.invalidOffset())
                                  : QStringLiteral("it ends inside a character");
        warn(QStringLiteral("The text message is not valid UTF-8 (%1); the peer must fail the connection "
                            "with 1007")
                 .arg(where),
             QStringLiteral("RFC 6455 §8.1"));
    }

    void checkOpcodeAndRsv(const RawFramePlanItem& item) {
        if (isReservedOpcode(item.opcode)) {
            warn(QStringLiteral("Opcode %1 is reserved; the receiver must fail the connection")
                     .arg(opcodeLabel(item.opcode).section(QLatin1Char(' '), 0, 0)),
                 QStringLiteral("RFC 6455 §5.2"));
        }
        const bool firstOfDataMessage = item.opcode == opcode::kText || item.opcode == opcode::kBinary;
        if (item.rsv1 && context_.rsv1Negotiated && !firstOfDataMessage) {
            warn(QStringLiteral("RSV1 (compressed) may only be set on the first frame of a data message"),
                 QStringLiteral("RFC 7692 §6"));
        } else if (item.rsv1 && !context_.rsv1Negotiated) {
            warn(QStringLiteral("RSV1 is set but no negotiated extension defines it"),
                 QStringLiteral("RFC 6455 §5.2"));
        }
        if (item.rsv2)
            warn(QStringLiteral("RSV2 is set but no negotiated extension defines it"),
                 QStringLiteral("RFC 6455 §5.2"));
        if (item.rsv3)
            warn(QStringLiteral("RSV3 is set but no negotiated extension defines it"),
                 QStringLiteral("RFC 6455 §5.2"));
    }

    void checkMasking(const RawFramePlanItem& item) {
        anyMasked_ = anyMasked_ || item.masked;
        if (context_.role == SenderRole::Client && !item.masked) {
            warn(QStringLiteral(
                     "A client must mask every frame it sends; the server must close the connection"),
                 QStringLiteral("RFC 6455 §5.1"));
        } else if (context_.role == SenderRole::Server && item.masked) {
            warn(QStringLiteral("A server must not mask the frames it sends; the client must close the "
                                "connection"),
                 QStringLiteral("RFC 6455 §5.1"));
        }
    }

    void checkLength(const RawFramePlanItem& item, const FrameHeader& header) {
        const quint64 actual = static_cast<quint64>(item.payload.size());
        if (!lengthFitsEncoding(header.payloadLength, header.lengthEncoding)) {
            warn(QStringLiteral(
                     "The length %1 does not fit the forced %2 encoding: this frame cannot be built")
                     .arg(header.payloadLength)
                     .arg(QLatin1String(lengthEncodingName(header.lengthEncoding))),
                 QStringLiteral("RFC 6455 §5.2"));
            return;
        }
        if (header.payloadLength != actual) {
            warn(QStringLiteral("The header declares %1 payload bytes but %2 follow; the peer will read the "
                                "wrong bytes as payload or as the next header")
                     .arg(header.payloadLength)
                     .arg(actual),
                 QStringLiteral("RFC 6455 §5.2"));
        }
        if (header.payloadLength > kMaxPayloadLength) {
            warn(QStringLiteral("The most significant bit of a 64-bit payload length must be 0"),
                 QStringLiteral("RFC 6455 §5.2"));
        }
        if (header.lengthEncoding != minimalLengthEncoding(header.payloadLength)) {
            warn(QStringLiteral(
                     "The length %1 is sent in the %2 encoding; the minimal number of bytes must be "
                     "used")
                     .arg(header.payloadLength)
                     .arg(QLatin1String(lengthEncodingName(header.lengthEncoding))),
                 QStringLiteral("RFC 6455 §5.2"));
        }
    }

    void checkControl(const RawFramePlanItem& item, const FrameHeader& header) {
        if (header.payloadLength > 125 || item.payload.size() > 125) {
            warn(QStringLiteral("A control frame's payload must be 125 bytes or fewer"),
                 QStringLiteral("RFC 6455 §5.5"));
        }
        if (!item.fin)
            warn(QStringLiteral("A control frame must not be fragmented (FIN must be 1)"),
                 QStringLiteral("RFC 6455 §5.5"));
        if (item.opcode == opcode::kClose) checkClose(item.payload);
    }

    void checkClose(const QByteArray& body) {
        if (body.size() == 1) {
            warn(QStringLiteral("A close frame's body must be empty or start with a 2-byte status code"),
                 QStringLiteral("RFC 6455 §5.5.1"));
            return;
        }
        if (body.size() < 2) return;
        const auto code =
            static_cast<uint16_t>((static_cast<uint8_t>(body[0]) << 8) | static_cast<uint8_t>(body[1]));
        if (!isValidWireCloseCode(code)) {
            warn(QStringLiteral("Close code %1 (%2) may not be sent in a close frame")
                     .arg(code)
                     .arg(QString::fromUtf8(closeCodeName(code))),
                 QStringLiteral("RFC 6455 §7.4"));
        }
        if (!isValidUtf8(bytesOf(body).subspan(2))) {
            warn(QStringLiteral("The close reason is not valid UTF-8"), QStringLiteral("RFC 6455 §5.5.1"));
        }
    }

    void checkSequence(const RawFramePlanItem& item) {
        if (item.opcode == opcode::kContinuation && !inMessage_) {
            warn(QStringLiteral("A continuation frame with no message to continue"),
                 QStringLiteral("RFC 6455 §5.4"));
        } else if (item.opcode != opcode::kContinuation) {
            if (inMessage_) {
                warn(QStringLiteral("A new data message starts before the previous one ended (FIN 0 frame "
                                    "pending); continuation frames were expected"),
                     QStringLiteral("RFC 6455 §5.4"));
            }
            textMessage_ = item.opcode == opcode::kText && !(item.rsv1 && context_.rsv1Negotiated);
            utf8_.reset();
        }
        if (textMessage_) utf8_.feed(bytesOf(item.payload));
        inMessage_ = !item.fin;
        if (item.fin && textMessage_) {
            if (utf8_.result() != Utf8Validator::Result::Complete) warnInvalidText();
            textMessage_ = false;
        }
    }

    const PlanContext& context_;
    QList<CraftWarning>& out_;
    int index_ = -1;
    bool inMessage_ = false;
    bool textMessage_ = false;
    bool anyMasked_ = false;
    Utf8Validator utf8_;
};

}  // namespace

QList<CraftWarning> checkPlan(const FramePlan& plan, const PlanContext& context) {
    QList<CraftWarning> warnings;
    PlanChecker checker(context, warnings);
    for (qsizetype i = 0; i < plan.size(); ++i)
        checker.check(static_cast<int>(i), plan[i]);
    checker.finish();
    return warnings;
}

}  // namespace framescope::ui
