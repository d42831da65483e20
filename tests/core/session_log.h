// Turns session events and written frames into one-line strings, so tests and golden transcripts
// (tests/data/transcripts) compare readable event logs.
#pragma once

#include <QString>
#include <QStringList>

#include "framescope/session.h"
#include "test_util.h"

namespace framescope::test {

inline QString payloadText(std::span<const uint8_t> bytes, bool text) {
    if (bytes.empty() && !text) return "(empty)";
    if (text && bytes.size() <= 64) {
        return "\"" +
               QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())) + "\"";
    }
    if (bytes.size() <= 32) return toHex(bytes).remove(' ');
    return QString("<%1 bytes>").arg(bytes.size());
}

inline QString describeFrameHeader(const FrameHeader& h) {
    return QString("fin=%1 rsv=%2%3%4 op=%5 mask=%6 len=%7")
        .arg(int(h.fin))
        .arg(int(h.rsv1))
        .arg(int(h.rsv2))
        .arg(int(h.rsv3))
        .arg(opcodeName(h.opcode))
        .arg(int(h.masked))
        .arg(h.payloadLength);
}

inline QString describeEvent(const Event& e) {
    switch (e.kind) {
        case EventKind::Frame:
            // Whether a refused frame's payload had arrived depends on how bytes were split; not logged.
            return "frame " + describeFrameHeader(e.header);
        case EventKind::Message:
            return QString("message %1 len=%2 wire=%3 fragments=%4 compressed=%5 data=%6")
                .arg(opcodeName(e.messageOpcode))
                .arg(e.payload.size())
                .arg(e.wireSize)
                .arg(e.fragments)
                .arg(int(e.compressed))
                .arg(payloadText(e.payload, e.messageOpcode == opcode::kText));
        case EventKind::Ping:
            return "ping " + payloadText(e.payload, false);
        case EventKind::Pong:
            return "pong " + payloadText(e.payload, false);
        case EventKind::Close:
            return QString("close code=%1 reason=%2").arg(e.closeCode).arg(payloadText(e.payload, true));
        case EventKind::ProtocolError:
            return QString("error code=%1").arg(e.closeCode);
    }
    return "?";
}

inline void drainEvents(Session& session, QStringList& log) {
    Event event;
    while (session.nextEvent(event))
        log << describeEvent(event);
}

// Feeds `wire` to `session` the chosen way and returns the event log.
inline QStringList feedSession(Session& session, const Bytes& wire, Feed feed) {
    QStringList log;
    if (feed == Feed::ByteByByte) {
        for (uint8_t byte : wire) {
            session.receive({&byte, 1});
            drainEvents(session, log);
        }
    } else {
        Bytes input = wire;
        // A trailing byte is the start of a next frame that never completes: it must change nothing.
        if (feed == Feed::WithTrailing) input.push_back(0x82);
        session.receive(input);
        drainEvents(session, log);
    }
    return log;
}

// Describes frames written by a session (unmasking them), e.g. its automatic replies.
inline QStringList describeWrittenFrames(std::span<const uint8_t> bytes) {
    QStringList log;
    while (!bytes.empty()) {
        FrameHeader header;
        const HeaderParseResult parsed = parseFrameHeader(bytes, header);
        if (parsed.status != ParseStatus::Done || bytes.size() < parsed.consumed + header.payloadLength) {
            log << "unparsable " + toHex(bytes);
            break;
        }
        Bytes payload(bytes.begin() + long(parsed.consumed),
                      bytes.begin() + long(parsed.consumed + header.payloadLength));
        if (header.masked) applyMask(payload.data(), payload.size(), header.maskKey);
        if (header.opcode == opcode::kClose && payload.size() >= 2) {
            log << "sent " + describeFrameHeader(header) +
                       QString(" code=%1").arg(payload[0] << 8 | payload[1]);
        } else {
            log << "sent " + describeFrameHeader(header) + " payload=" + payloadText(payload, false);
        }
        bytes = bytes.subspan(parsed.consumed + header.payloadLength);
    }
    return log;
}

}  // namespace framescope::test
