// Choosing a decoder for a connection.
//
// Theory of operation. The handshake speaks first: a registered subprotocol name (mqtt, v12.stomp,
// graphql-transport-ws, ...) or a telling URL (/socket.io/?EIO=4, Phoenix's /websocket?vsn=2.0.0) decides.
// Otherwise each of the first kDetectMessages messages is tried against every protocol's opening shapes
// (MQTT CONNECT, a STOMP CONNECT line, an Engine.IO open packet, a SignalR handshake, a JSON-RPC version
// field, a GraphQL connection_init, a Phoenix join), and the first match wins; the messages seen before it
// are replayed into the new decoder (their results dropped) and that message is decoded.
// A forced choice overrides both, and Protocol::None turns decoding off.
#include "framescope/decoders/json_protocols.h"
#include "framescope/decoders/mqtt.h"
#include "framescope/decoders/socket_io.h"
#include "framescope/decoders/stomp.h"

namespace framescope::decoders {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// MQTT CONNECT: type 1 with no flags, the remaining length, then the protocol name "MQTT" or "MQIsdp"
// (MQTT 5.0 §3.1.2.1, 3.1.1 §3.1.2.1, 3.1's "MQIsdp").
bool isMqttConnect(std::string_view t) {
    if (t.empty() || uint8_t(t[0]) != 0x10) return false;
    size_t pos = 1;
    while (pos < t.size() && pos < 4 && (uint8_t(t[pos]) & 0x80))
        ++pos;
    const std::string_view name = t.substr(std::min(pos + 1, t.size()));
    return startsWith(name, std::string_view("\x00\x04MQTT", 6)) ||
           startsWith(name, std::string_view("\x00\x06MQIsdp", 8));
}

Protocol detectJson(const Value& v) {
    if (v.isArray()) {
        if (v.items.size() == 5 && v.items[2].isString() && v.items[3].isString()) return Protocol::Phoenix;
        if (!v.items.empty() && v.items[0].find("jsonrpc")) return Protocol::JsonRpc;
        return Protocol::None;
    }
    if (v.find("jsonrpc")) return Protocol::JsonRpc;
    if (v.find("topic") && v.find("event") && v.find("payload")) return Protocol::Phoenix;
    const Value* type = v.find("type");
    if (type && type->isString()) {
        const std::string& t = type->bytes;
        if (t == "subscribe" || t == "next" || t == "ping" || t == "pong")
            return Protocol::GraphqlTransportWs;
        if (t == "start" || t == "data" || t == "ka" || t == "stop" || t == "connection_terminate")
            return Protocol::SubscriptionsTransportWs;
        if (t == "connection_init" || t == "connection_ack") return Protocol::GraphqlTransportWs;
    }
    return Protocol::None;
}

}  // namespace

std::unique_ptr<ProtocolDecoder> makeDecoder(Protocol protocol) {
    switch (protocol) {
        case Protocol::None:
            return nullptr;
        case Protocol::SocketIo:
            return std::make_unique<socketio::Decoder>();
        case Protocol::Stomp:
            return std::make_unique<stomp::Decoder>();
        case Protocol::Mqtt:
            return std::make_unique<mqtt::Decoder>();
        case Protocol::GraphqlTransportWs:
        case Protocol::SubscriptionsTransportWs:
            return graphql::makeDecoder(protocol);
        case Protocol::JsonRpc:
            return jsonrpc::makeDecoder();
        case Protocol::SignalRJson:
        case Protocol::SignalRMessagePack:
            return signalr::makeDecoder(protocol);
        case Protocol::Phoenix:
            return phoenix::makeDecoder();
    }
    return nullptr;
}

Protocol detectFromHandshake(std::string_view subprotocol, std::string_view url) {
    const std::string_view s = subprotocol;
    if (s == "mqtt" || s == "mqttv3.1") return Protocol::Mqtt;
    if (s == "v12.stomp" || s == "v11.stomp" || s == "v10.stomp" || s == "stomp") return Protocol::Stomp;
    if (s == "graphql-transport-ws") return Protocol::GraphqlTransportWs;
    if (s == "graphql-ws") return Protocol::SubscriptionsTransportWs;  // Apollo's legacy protocol's name
    if (s == "jsonrpc" || s == "json-rpc" || s == "jsonrpc2.0") return Protocol::JsonRpc;
    if (contains(url, "/socket.io/") || contains(url, "EIO=4")) return Protocol::SocketIo;
    if (contains(url, "vsn=2.0.0") || contains(url, "vsn=1.0.0")) return Protocol::Phoenix;
    return Protocol::None;
}

Protocol detectFromMessage(const Message& m) {
    const std::string_view t = asText(m.bytes);
    if (m.binary) {
        if (isMqttConnect(t)) return Protocol::Mqtt;
        if (!t.empty() && t[0] == '{' && contains(t, "\"protocol\"") && contains(t, "messagepack"))
            return Protocol::SignalRMessagePack;
        return Protocol::None;
    }
    for (std::string_view command : {"CONNECT\n", "CONNECT\r\n", "STOMP\n", "STOMP\r\n", "CONNECTED\n"})
        if (startsWith(t, command)) return Protocol::Stomp;
    if (startsWith(t, "0{\"sid\"")) return Protocol::SocketIo;
    if (!t.empty() && t.back() == signalr::kRecordSeparator && contains(t, "\"protocol\""))
        return contains(t, "messagepack") ? Protocol::SignalRMessagePack : Protocol::SignalRJson;
    if (auto v = parseJson(t)) return detectJson(*v);
    return Protocol::None;
}

ConnectionDecoder::ConnectionDecoder(std::string_view subprotocol, std::string_view url)
    : handshakeChoice_(detectFromHandshake(subprotocol, url)) {
    decoder_ = makeDecoder(handshakeChoice_);
}

void ConnectionDecoder::force(Protocol protocol) {
    forced_ = true;
    decoder_ = makeDecoder(protocol);
}

void ConnectionDecoder::automatic() {
    forced_ = false;
    tried_ = 0;
    seen_.clear();
    decoder_ = makeDecoder(handshakeChoice_);
}

Protocol ConnectionDecoder::protocol() const {
    return decoder_ ? decoder_->protocol() : Protocol::None;
}

Protocol ConnectionDecoder::detect(const Message& message) const {
    const Protocol alone = detectFromMessage(message);
    if (alone != Protocol::None || !message.binary) return alone;
    std::string joined;
    for (const Seen& seen : seen_)
        if (seen.binary && seen.sender == message.sender) joined += seen.bytes;
    joined += asText(message.bytes);
    return detectFromMessage({message.sender, true, asBytes(joined)});
}

Decoded ConnectionDecoder::decode(const Message& message) {
    if (!decoder_ && !forced_ && tried_ < kDetectMessages) {
        ++tried_;
        decoder_ = makeDecoder(detect(message));
        if (decoder_) {
            for (const Seen& seen : seen_)
                decoder_->decode({seen.sender, seen.binary, asBytes(seen.bytes)});
            seen_.clear();
        } else if (tried_ < kDetectMessages) {
            seen_.push_back({message.sender, message.binary, std::string(asText(message.bytes))});
        } else {
            seen_.clear();
        }
    }
    if (!decoder_) return Decoded{};
    return decoder_->decode(message);
}

}  // namespace framescope::decoders
