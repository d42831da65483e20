// The JSON-based application protocols: the two GraphQL-over-WebSocket protocols, JSON-RPC 2.0, Phoenix
// channels and SignalR (JSON and MessagePack hub protocols). Their messages are Values: encoding is toJson
// (or writeMsgPack for SignalR's binary form); each decoder keeps the last message it read as a Value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "framescope/decoders/decoder.h"

namespace framescope::decoders {

// Decoders whose messages are one Value each (per WebSocket message); lastValues() holds what the last
// message carried (several for a JSON-RPC batch's elements or SignalR records).
class ValueDecoder : public ProtocolDecoder {
public:
    const std::vector<Value>& lastValues() const { return last_; }

protected:
    std::vector<Value> last_;
};

namespace graphql {
// GraphQL query text re-indented: one selection per line, two spaces per level (comments dropped).
std::string formatQuery(std::string_view query);
// Protocol::GraphqlTransportWs or Protocol::SubscriptionsTransportWs.
std::unique_ptr<ValueDecoder> makeDecoder(Protocol which);
}  // namespace graphql

namespace jsonrpc {
std::unique_ptr<ValueDecoder> makeDecoder();
}

namespace phoenix {
// Phoenix.Socket.V2.JSONSerializer: [join_ref, ref, topic, event, payload] arrays, its binary push/reply/
// broadcast frames, and V1's {topic, event, payload, ref} objects. Values are the JSON forms; binary frames
// decode to the array form with a Binary payload.
std::unique_ptr<ValueDecoder> makeDecoder();
// The binary frame phoenix.js sends for a push whose payload is an ArrayBuffer (kind 0 push).
std::string encodeBinaryPush(std::string_view joinRef, std::string_view ref, std::string_view topic,
                             std::string_view event, std::string_view payload);
}  // namespace phoenix

namespace signalr {
constexpr char kRecordSeparator = '\x1e';
// Hub messages are Values in the JSON protocol's object form, keys in this order when present: type, headers,
// invocationId, target, arguments, streamIds, item, result, error, allowReconnect, sequenceId.
std::string encodeJson(const Value& message);  // JSON text + 0x1E
// MessagePack hub protocol: the message as a MessagePack array, prefixed by its length as a varint.
std::string encodeMessagePack(const Value& message);
std::unique_ptr<ValueDecoder> makeDecoder(Protocol which);  // SignalRJson or SignalRMessagePack
}  // namespace signalr

}  // namespace framescope::decoders
