// Application-protocol decoders over WebSocket messages, and the automatic choice of one per connection.
// Decoders are stateful per connection (MQTT packets split across messages, Socket.IO attachments in later
// frames), so each connection owns its decoder and feeds it every message, in order, both directions.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "framescope/decoders/decoded.h"

namespace framescope::decoders {

struct Message {
    Sender sender = Sender::Client;
    bool binary = false;  // opcode 2 (binary) rather than 1 (text)
    std::span<const uint8_t> bytes;
};

class ProtocolDecoder {
public:
    virtual ~ProtocolDecoder() = default;
    virtual Protocol protocol() const = 0;
    // Never throws and never crashes on any input; malformed input gives an error Decoded.
    virtual Decoded decode(const Message& message) = 0;
};

// nullptr for Protocol::None.
std::unique_ptr<ProtocolDecoder> makeDecoder(Protocol protocol);

// From the negotiated subprotocol and the URL alone; None when they do not say.
Protocol detectFromHandshake(std::string_view subprotocol, std::string_view url);
// From one message's bytes (typically the first few of a connection); None when unsure.
Protocol detectFromMessage(const Message& message);

// One connection's decoding: chooses a protocol from the handshake, else from the first messages (up to
// kDetectMessages of them; a sender's binary messages are also tried joined, for an MQTT CONNECT written a
// few bytes per message), unless the user forced one or turned decoding off. When a protocol is chosen from
// a later message, the earlier ones are fed to its decoder first, so stateful decoders see the whole stream.
class ConnectionDecoder {
public:
    static constexpr int kDetectMessages = 4;
    ConnectionDecoder(std::string_view subprotocol = {}, std::string_view url = {});

    void force(Protocol protocol);  // Protocol::None turns decoding off for this connection
    void automatic();               // back to automatic choice (restarts detection)
    Protocol protocol() const;
    // Decoded.protocol is None when no decoder applies (yet).
    Decoded decode(const Message& message);

private:
    struct Seen {
        Sender sender;
        bool binary;
        std::string bytes;
    };
    Protocol detect(const Message& message) const;

    std::unique_ptr<ProtocolDecoder> decoder_;
    Protocol handshakeChoice_ = Protocol::None;
    bool forced_ = false;
    std::vector<Seen> seen_;  // the messages tried so far while no protocol is chosen
    int tried_ = 0;
};

}  // namespace framescope::decoders
