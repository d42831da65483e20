// Decoded application-protocol messages in JSON Lines output.
#include "decode/decoding_sink.h"

#include <algorithm>
#include <cctype>

#include "framescope/frame.h"

namespace framescope::app {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

void appendDecodedJson(QByteArray& frameJson, const decoders::Decoded& decoded) {
    frameJson.chop(1);  // the closing brace
    frameJson += ",\"decoded\":";
    frameJson += QByteArray::fromStdString(decoders::toJson(decoded));
    frameJson += '}';
}

DecodingSink::DecodingSink(JsonLinesSink& out, const QString& url, std::optional<decoders::Protocol> forced)
    : out_(out), url_(url.toStdString()), forced_(forced), decoder_({}, url_) {
    if (forced_) decoder_.force(*forced_);
}

std::string DecodingSink::subprotocolFrom(std::string_view head) {
    size_t pos = 0;
    while (pos < head.size()) {
        const size_t end = std::min(head.find('\n', pos), head.size());
        std::string_view line = head.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos &&
            equalsIgnoringCase(line.substr(0, colon), "sec-websocket-protocol")) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            while (!value.empty() && value.back() == ' ')
                value.remove_suffix(1);
            return std::string(value);
        }
        pos = end + 1;
    }
    return {};
}

void DecodingSink::addNote(const CapturedNote& note) {
    if (note.kind == NoteKind::HandshakeResponse && !forced_)
        decoder_ = decoders::ConnectionDecoder(subprotocolFrom(note.text), url_);
    out_.addNote(note);
}

void DecodingSink::addFrame(const CapturedFrame& frame) {
    QByteArray line = frameToJson(frame);
    const uint8_t op = frame.header.opcode;
    if (frame.messageIndex != kNoMessage && !isControlOpcode(op)) {
        const size_t d = frame.direction == Direction::Outgoing ? 0 : 1;
        MessageAssembler& assembler = assembler_[d];
        const auto bytes = assembler.add(
            {op, frame.header.rsv1, frame.payload, frame.endsMessage, frame.compressed, frame.inflated});
        if (bytes) {
            const decoders::Message message{d == 0 ? decoders::Sender::Client : decoders::Sender::Server,
                                            assembler.binary(), *bytes};
            const decoders::Decoded decoded = decoder_.decode(message);
            if (decoded.protocol != decoders::Protocol::None) appendDecodedJson(line, decoded);
        }
    }
    out_.writeLine(line);
}

}  // namespace framescope::app
