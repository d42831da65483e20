// A capture's rows replayed, in ascending order, through one application-protocol decoder per connection,
// chosen from the connection's handshake notes the way a live connection chooses (or as the user set it).
// Shared by the window's decoded cache, its Decoded tab and the JSON Lines exports. Use it on the thread
// that reads the store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "capture/capture_store.h"
#include "decode/message_assembler.h"
#include "framescope/decoders/decoder.h"

namespace framescope::app {

// nullopt: automatic (subprotocol, URL, first messages); Protocol::None: off; else that decoder.
using DecoderChoice = std::optional<decoders::Protocol>;

// "auto", "off" or a protocol name (decoders::protocolName) to a choice; false when unknown.
bool decoderChoiceFromName(std::string_view name, DecoderChoice& out);
std::string decoderChoiceName(const DecoderChoice& choice);

// The request target of an HTTP request head ("/socket.io/?EIO=4&transport=websocket"), or "".
std::string requestTarget(std::string_view head);

class StoreDecoder {
public:
    struct Result {
        decoders::Decoded decoded;
        decoders::Sender sender = decoders::Sender::Client;
    };

    // Applies to the messages stepped after the call; restart() and a replay apply it to earlier ones.
    void setChoice(uint32_t connection, DecoderChoice choice);
    // The choice of connections that have none of their own (automatic unless set).
    void setDefaultChoice(DecoderChoice choice) { default_ = choice; }
    DecoderChoice choice(uint32_t connection) const;
    const std::unordered_map<uint32_t, decoders::Protocol>& choices() const noexcept { return choices_; }
    // The protocol a connection's decoder reads so far (None until one is chosen).
    decoders::Protocol protocol(uint32_t connection) const;

    // Steps through `row`: rows must come in ascending order, none skipped within a connection. Returns
    // the decoded message when `row` ends a data message a decoder reads.
    std::optional<Result> step(const CaptureStore& store, size_t row);
    // Forgets every connection's state (the choices stay).
    void restart() { connections_.clear(); }

private:
    struct Connection {
        decoders::ConnectionDecoder decoder;
        std::string target;
        bool weAreClient = true;
        MessageAssembler message[2];  // per direction (outgoing, incoming)
    };
    Connection& connection(uint32_t id);
    void choose(uint32_t id, Connection& connection, std::string_view subprotocol);

    std::unordered_map<uint32_t, Connection> connections_;
    std::unordered_map<uint32_t, decoders::Protocol> choices_;
    DecoderChoice default_;
};

}  // namespace framescope::app
