// MQTT 3.1.1 (OASIS mqtt-v3.1.1) and 5.0 (OASIS mqtt-v5.0) control packets over WebSocket (subprotocol
// "mqtt"): every packet type, 5.0 properties, packets split across or packed into WebSocket messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framescope/decoders/decoder.h"

namespace framescope::decoders::mqtt {

enum class Type : uint8_t {
    Connect = 1,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
    Auth
};
const char* typeName(Type type);
const char* propertyName(uint8_t id);

struct Property {
    uint8_t id = 0;
    uint32_t number = 0;  // byte, two/four-byte integer and variable byte integer properties
    std::string text;     // UTF-8 string and binary data properties; the name of a user property
    std::string value;    // the value of a user property
    bool operator==(const Property&) const = default;
};

struct Subscription {
    std::string topic;
    uint8_t options = 0;  // 3.1.1: requested QoS; 5.0: QoS, no local, retain as published, retain handling
    bool operator==(const Subscription&) const = default;
};

// One control packet; which members matter depends on `type` (and `version` for 5.0 additions).
struct Packet {
    Type type = Type::Pingreq;
    uint8_t flags =
        0;  // fixed header low nibble: PUBLISH's DUP/QoS/RETAIN, 2 for PUBREL/SUBSCRIBE/UNSUBSCRIBE
    // CONNECT
    std::string protocolName = "MQTT";
    uint8_t protocolLevel = 4;  // 4 = 3.1.1, 5 = 5.0
    uint8_t connectFlags = 0;   // username, password, will retain, will QoS, will flag, clean start
    uint16_t keepAlive = 0;
    std::string clientId;
    std::vector<Property> willProperties;
    std::string willTopic, willPayload, username, password;
    // CONNACK: acknowledge flags (session present); CONNACK..AUTH: reason / return code
    uint8_t ackFlags = 0;
    uint8_t reasonCode = 0;
    // PUBLISH
    std::string topic;
    std::string payload;
    // PUBLISH (QoS > 0), PUBACK..PUBCOMP, SUBSCRIBE..UNSUBACK
    uint16_t packetId = 0;
    std::vector<Subscription> subscriptions;  // SUBSCRIBE; UNSUBSCRIBE uses topic names only
    std::vector<uint8_t> reasonCodes;         // SUBACK, UNSUBACK (5.0)
    std::vector<Property> properties;         // 5.0
    bool operator==(const Packet&) const = default;

    uint8_t qos() const { return (flags >> 1) & 3; }
};

// Encodes one packet for protocol level 4 (3.1.1) or 5 (5.0), in the shortest form the spec allows.
std::string encode(const Packet& packet, uint8_t level);

enum class ParseResult : uint8_t { Done, NeedMore, Error };
struct ParseOutcome {
    ParseResult result = ParseResult::Error;
    size_t consumed = 0;  // Done: the packet's size
    std::string error;    // Error: one sentence
    size_t errorAt = 0;
};
// Parses one packet from the front of `bytes` for the given level. `tree` gets the packet's fields with spans
// relative to `bytes`.
ParseOutcome parse(std::span<const uint8_t> bytes, uint8_t level, Packet& out, Node* tree = nullptr);

// Per connection: remembers the level from CONNECT and keeps each direction's unfinished packet bytes.
class Decoder : public ProtocolDecoder {
public:
    static constexpr size_t kMaxBuffered = 16u << 20;  // an unfinished packet larger than this is an error
    Protocol protocol() const override { return Protocol::Mqtt; }
    Decoded decode(const Message& message) override;
    const std::vector<Packet>& lastPackets() const { return last_; }
    uint8_t level() const { return level_; }

private:
    std::string buffer_[2];
    uint8_t level_ = 4;
    std::vector<Packet> last_;
};

}  // namespace framescope::decoders::mqtt
