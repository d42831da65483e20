#include "widgets/frame_data.h"

#include <span>

#include "framescope/close_code.h"
#include "framescope/mask.h"

namespace framescope::ui {

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

}  // namespace

QByteArray headerBytes(const FrameData& frame) {
    if (!frame.rawHeader.isEmpty()) return frame.rawHeader;
    uint8_t buffer[kMaxFrameHeaderSize];
    const size_t size = encodeFrameHeader(frame.header, buffer);
    return QByteArray(reinterpret_cast<const char*>(buffer), static_cast<qsizetype>(size));
}

QByteArray wireBytes(const FrameData& frame, bool masked) {
    QByteArray bytes = headerBytes(frame);
    const qsizetype headerSize = bytes.size();
    bytes.append(frame.payload);
    if (masked && frame.header.masked && bytes.size() > headerSize) {
        applyMask(reinterpret_cast<uint8_t*>(bytes.data()) + headerSize,
                  static_cast<size_t>(bytes.size() - headerSize), frame.header.maskKey);
    }
    return bytes;
}

const QByteArray& displayPayload(const FrameData& frame) {
    return frame.compressed && !frame.inflated.isEmpty() ? frame.inflated : frame.payload;
}

bool frameDataFromWire(const QByteArray& wire, FrameDirection direction, qint64 timestampUs, FrameData& out) {
    FrameHeader header;
    HeaderParseOptions options;
    options.tolerateNonMinimalLength = true;
    const HeaderParseResult result = parseFrameHeader(bytesOf(wire), header, options);
    if (result.status == ParseStatus::NeedMore) return false;
    out = FrameData{};
    out.header = header;
    out.direction = direction;
    out.timestampUs = timestampUs;
    out.rawHeader = wire.left(static_cast<qsizetype>(result.consumed));
    out.payloadLength = header.payloadLength;
    const qsizetype available = wire.size() - static_cast<qsizetype>(result.consumed);
    const qsizetype take = header.payloadLength < static_cast<quint64>(available)
                               ? static_cast<qsizetype>(header.payloadLength)
                               : available;
    out.payload = wire.mid(static_cast<qsizetype>(result.consumed), take);
    if (header.masked && !out.payload.isEmpty()) {
        applyMask(reinterpret_cast<uint8_t*>(out.payload.data()), static_cast<size_t>(out.payload.size()),
                  header.maskKey);
    }
    if (result.status == ParseStatus::Error) out.violation = QString::fromUtf8(headerErrorText(result.error));
    if (header.opcode == opcode::kClose) {
        out.hasCloseCode = true;
        out.closeCode = close_code::kNoStatus;
        if (out.payload.size() >= 2) {
            out.closeCode = static_cast<quint16>((static_cast<uint8_t>(out.payload[0]) << 8) |
                                                 static_cast<uint8_t>(out.payload[1]));
            out.closeReason = QString::fromUtf8(out.payload.mid(2));
        }
    }
    return true;
}

}  // namespace framescope::ui
