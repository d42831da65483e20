// A CaptureSink in front of JSON Lines output that decodes application protocols: it reassembles each data
// message from its frames (or takes the inflated message), feeds it to the connection's decoder, and adds a
// "decoded" object to the JSON of the message's last frame when a decoder applies. One connection, client
// role (outgoing frames are the client's); called from the connection's worker thread only.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include "capture/capture_sink.h"
#include "decode/message_assembler.h"
#include "framescope/decoders/decoder.h"
#include "net/json_lines.h"

namespace framescope::app {

// Adds `"decoded":{...}` (decoders::toJson) as the last member of `frameJson`, one frame's JSON object.
void appendDecodedJson(QByteArray& frameJson, const decoders::Decoded& decoded);

class DecodingSink : public CaptureSink {
public:
    // `forced`: nullopt chooses automatically (subprotocol, URL, first messages); Protocol::None turns off.
    DecodingSink(JsonLinesSink& out, const QString& url, std::optional<decoders::Protocol> forced);
    void addFrame(const CapturedFrame& frame) override;
    void addNote(const CapturedNote& note) override;

    // The subprotocol a handshake response head agreed on, or an empty string.
    static std::string subprotocolFrom(std::string_view responseHead);

private:
    JsonLinesSink& out_;
    std::string url_;
    std::optional<decoders::Protocol> forced_;
    decoders::ConnectionDecoder decoder_;
    MessageAssembler assembler_[2];  // per direction (outgoing, incoming)
};

}  // namespace framescope::app
