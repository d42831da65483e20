// What a decoder makes of one WebSocket message: a tree of named fields (each with the bytes it came from,
// for highlighting), a one-line summary, key fields for filtering, and request/response pairing keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "framescope/decoders/value.h"

namespace framescope::decoders {

enum class Protocol : uint8_t {
    None,
    SocketIo,  // Engine.IO v4 carrying Socket.IO v5 packets (the socket.io v3/v4 libraries)
    Stomp,
    Mqtt,
    GraphqlTransportWs,        // graphql-ws, subprotocol graphql-transport-ws
    SubscriptionsTransportWs,  // Apollo's subscriptions-transport-ws, subprotocol graphql-ws
    JsonRpc,
    SignalRJson,
    SignalRMessagePack,
    Phoenix,
};

// Who sent the message: the WebSocket client or the server.
enum class Sender : uint8_t { Client, Server };

// Stable lower-case names ("socket.io", "stomp", "mqtt", "graphql-transport-ws",
// "subscriptions-transport-ws", "json-rpc", "signalr-json", "signalr-messagepack", "phoenix", "none").
std::string_view protocolName(Protocol protocol);
// Parses a name from protocolName; false when unknown.
bool protocolFromName(std::string_view name, Protocol& out);

struct Node {
    enum class Kind : uint8_t { Group, Text, Number, Bool, Null, Bytes, Error };
    std::string name;
    std::string value;  // display text; empty for groups
    Kind kind = Kind::Text;
    SourceSpan span;  // bytes of this field in the message (length 0: not in this message)
    std::vector<Node> children;
};

// A request/response pairing key. The app pairs a Request with the next Response of the same key that the
// other side sent.
struct PairKey {
    enum class Role : uint8_t { Request, Response };
    Role role = Role::Request;
    std::string key;  // e.g. "id:7", "receipt:r-1", "packet:17"
    bool operator==(const PairKey&) const = default;
};

struct Field {
    std::string name;  // event, topic, destination, method, operation, ...
    std::string value;
    bool operator==(const Field&) const = default;
};

struct Decoded {
    Protocol protocol = Protocol::None;
    std::string type;     // packet or message type, e.g. "EVENT", "PUBLISH", "SEND", "subscribe"
    std::string summary;  // one line, e.g. `emit "chat" (2 args)`
    Node root;            // name = type; children = fields
    std::vector<Field> fields;
    std::vector<PairKey> pairs;
    bool error = false;  // malformed: root is one Error node saying what is wrong and where
    bool pending =
        false;  // a part of something that later messages complete (MQTT split, Socket.IO attachments)
};

// The decoded value as one compact JSON object, for `connect --json` and exports:
// {"protocol","type","summary","error","pending","fields":[{"name","value"}],"pairs":[{"role","key"}],
//  "tree":{"name","value","offset","length","children":[...]}} ("children" only when there are some).
std::string toJson(const Decoded& decoded);

// An error result: one Error node with one clear sentence.
Decoded errorDecoded(Protocol protocol, std::string message, uint32_t offset = 0, uint32_t length = 0);

}  // namespace framescope::decoders
