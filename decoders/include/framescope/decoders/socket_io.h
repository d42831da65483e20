// Engine.IO v4 (socket.io/docs/v4/engine-io-protocol) carrying Socket.IO v5 packets
// (socket.io/docs/v4/socket-io-protocol), as the socket.io v3/v4 libraries speak over WebSocket.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framescope/decoders/decoder.h"

namespace framescope::decoders::socketio {

enum class PacketType : uint8_t { Connect, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

// One Socket.IO packet. `data` may hold Binary values anywhere; for BinaryEvent/BinaryAck they travel as
// attachments in the binary frames that follow the text frame.
struct Packet {
    PacketType type = PacketType::Event;
    std::string nsp = "/";
    std::optional<uint64_t> ackId;
    std::optional<Value> data;
    bool operator==(const Packet&) const = default;
};

struct Frame {
    bool binary = false;
    std::string bytes;
    bool operator==(const Frame&) const = default;
};

// The WebSocket messages that carry `packet` inside an Engine.IO message packet: one text frame, then one
// binary frame per attachment (binary types only).
std::vector<Frame> encode(const Packet& packet);
const char* packetTypeName(PacketType type);

// The last complete Socket.IO packet a decoder produced (for tests and callers that want typed access).
class Decoder : public ProtocolDecoder {
public:
    Protocol protocol() const override { return Protocol::SocketIo; }
    Decoded decode(const Message& message) override;
    const std::optional<Packet>& lastPacket() const { return last_; }

private:
    struct Pending {
        Packet packet;
        size_t expected = 0;
        std::vector<std::string> attachments;
    };
    Decoded decodeText(std::string_view text, Pending& pending);
    Decoded decodeSocketIo(std::string_view text, size_t base, Pending& pending);
    Decoded decodeAttachment(const Message& message, Pending& pending);
    Decoded complete(Pending& pending);

    Pending pending_[2];  // per sender
    std::optional<Packet> last_;
};

}  // namespace framescope::decoders::socketio
