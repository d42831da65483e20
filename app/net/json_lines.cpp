// JSON Lines encoding of captured frames and notes.
#include "net/json_lines.h"

#include <QString>

#include "framescope/utf8.h"

namespace framescope::app {

namespace {

void key(QByteArray& out, const char* name) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
}

void field(QByteArray& out, const char* name, bool value) {
    key(out, name);
    out += value ? "true" : "false";
}

void field(QByteArray& out, const char* name, uint64_t value) {
    key(out, name);
    out += QByteArray::number(static_cast<qulonglong>(value));
}

void field(QByteArray& out, const char* name, int64_t value) {
    key(out, name);
    out += QByteArray::number(static_cast<qlonglong>(value));
}

void fieldString(QByteArray& out, const char* name, std::string_view value) {
    key(out, name);
    appendJsonString(out, value);
}

void fieldNull(QByteArray& out, const char* name) {
    key(out, name);
    out += "null";
}

// `name` as text when it is valid UTF-8, else base64; `name`_encoding says which.
void bytesField(QByteArray& out, const char* name, const char* encodingName, std::span<const uint8_t> bytes) {
    const bool text = isValidUtf8(bytes);
    key(out, name);
    if (text) {
        appendJsonString(out, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
    } else {
        out += '"';
        out += QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()),
                                       static_cast<qsizetype>(bytes.size()))
                   .toBase64();
        out += '"';
    }
    fieldString(out, encodingName, text ? "text" : "base64");
}

int encodingBits(LengthEncoding encoding) {
    switch (encoding) {
        case LengthEncoding::Bits7:
            return 7;
        case LengthEncoding::Bits16:
            return 16;
        case LengthEncoding::Bits64:
            return 64;
    }
    return 0;
}

const char* noteKindName(NoteKind kind) {
    switch (kind) {
        case NoteKind::HandshakeRequest:
            return "handshake_request";
        case NoteKind::HandshakeResponse:
            return "handshake_response";
        case NoteKind::Status:
            return "status";
    }
    return "status";
}

void closeFields(QByteArray& out, const CapturedFrame& frame) {
    if (frame.header.opcode != opcode::kClose) {
        fieldNull(out, "close_code");
        fieldNull(out, "close_reason");
        return;
    }
    field(out, "close_code", uint64_t{frame.closeCode});
    const auto reason = frame.payload.size() > 2 ? frame.payload.subspan(2) : std::span<const uint8_t>{};
    key(out, "close_reason");
    if (isValidUtf8(reason)) {
        appendJsonString(out, {reinterpret_cast<const char*>(reason.data()), reason.size()});
    } else {
        out += "null";
    }
}

}  // namespace

void appendJsonString(QByteArray& out, std::string_view text) {
    static const char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    out += '"';
}

QByteArray frameToJson(const CapturedFrame& frame) {
    const FrameHeader& h = frame.header;
    QByteArray out = "{";
    fieldString(out, "type", "frame");
    fieldString(out, "dir", frame.direction == Direction::Incoming ? "in" : "out");
    field(out, "conn", uint64_t{frame.connectionId});
    if (frame.leg != Leg::None) fieldString(out, "leg", legName(frame.leg));
    field(out, "time_us", int64_t{frame.timestampUs});
    field(out, "fin", h.fin);
    field(out, "rsv1", h.rsv1);
    field(out, "rsv2", h.rsv2);
    field(out, "rsv3", h.rsv3);
    field(out, "opcode", uint64_t{h.opcode});
    fieldString(out, "opcode_name", opcodeName(h.opcode));
    field(out, "mask", h.masked);
    if (h.masked) {
        fieldString(out, "key",
                    QByteArray(reinterpret_cast<const char*>(h.maskKey.data()), 4).toHex().toStdString());
    } else {
        fieldNull(out, "key");
    }
    field(out, "length", uint64_t{h.payloadLength});
    field(out, "length_encoding", uint64_t(encodingBits(h.lengthEncoding)));
    field(out, "header_size", uint64_t{h.headerSize});
    fieldString(out, "header_hex",
                QByteArray(reinterpret_cast<const char*>(frame.rawHeader.data()),
                           static_cast<qsizetype>(frame.rawHeader.size()))
                    .toHex()
                    .toStdString());
    bytesField(out, "payload", "payload_encoding", frame.payload);
    field(out, "payload_size", uint64_t{frame.payload.size()});
    if (frame.messageIndex == kNoMessage) {
        fieldNull(out, "message_index");
    } else {
        field(out, "message_index", frame.messageIndex);
    }
    field(out, "ends_message", frame.endsMessage);
    field(out, "compressed", frame.compressed);
    if (frame.endsMessage) {
        field(out, "wire_size", frame.messageWireSize);
    } else {
        fieldNull(out, "wire_size");
    }
    if (frame.compressed) {
        bytesField(out, "inflated", "inflated_encoding", frame.inflated);
    } else {
        fieldNull(out, "inflated");
        fieldNull(out, "inflated_encoding");
    }
    closeFields(out, frame);
    if (frame.violation) {
        fieldString(out, "violation", frame.violation);
    } else {
        fieldNull(out, "violation");
    }
    field(out, "crafted", frame.crafted);
    if (frame.isRelay()) {  // a proxy's relay of a message that arrived on the other leg
        field(out, "relay_of_conn", uint64_t{frame.relayOfConnection});
        field(out, "relay_of_message", frame.relayOfMessage);
    }
    out += '}';
    return out;
}

QByteArray noteToJson(const CapturedNote& note) {
    QByteArray out = "{";
    fieldString(out, "type", "note");
    fieldString(out, "dir", note.direction == Direction::Incoming ? "in" : "out");
    field(out, "conn", uint64_t{note.connectionId});
    if (note.leg != Leg::None) fieldString(out, "leg", legName(note.leg));
    field(out, "time_us", int64_t{note.timestampUs});
    fieldString(out, "kind", noteKindName(note.kind));
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(note.text.data()),
                                         note.text.size());
    if (isValidUtf8(bytes)) {
        fieldString(out, "text", note.text);
    } else {  // e.g. the body of a refused handshake: replacement characters for the bad bytes
        const QByteArray fixed =
            QString::fromUtf8(note.text.data(), static_cast<qsizetype>(note.text.size())).toUtf8();
        fieldString(out, "text", std::string_view(fixed.constData(), static_cast<size_t>(fixed.size())));
    }
    out += '}';
    return out;
}

void JsonLinesSink::writeLine(const QByteArray& line) {
    std::lock_guard lock(mutex_);
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
}

void JsonLinesSink::addFrame(const CapturedFrame& frame) {
    writeLine(frameToJson(frame));
}

void JsonLinesSink::addNote(const CapturedNote& note) {
    if (withNotes_) writeLine(noteToJson(note));
}

}  // namespace framescope::app
