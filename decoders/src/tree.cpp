// Tree-building helpers shared by the protocol decoders.
#include "tree.h"

namespace framescope::decoders {

std::string_view protocolName(Protocol protocol) {
    switch (protocol) {
        case Protocol::None:
            return "none";
        case Protocol::SocketIo:
            return "socket.io";
        case Protocol::Stomp:
            return "stomp";
        case Protocol::Mqtt:
            return "mqtt";
        case Protocol::GraphqlTransportWs:
            return "graphql-transport-ws";
        case Protocol::SubscriptionsTransportWs:
            return "subscriptions-transport-ws";
        case Protocol::JsonRpc:
            return "json-rpc";
        case Protocol::SignalRJson:
            return "signalr-json";
        case Protocol::SignalRMessagePack:
            return "signalr-messagepack";
        case Protocol::Phoenix:
            return "phoenix";
    }
    return "none";
}

bool protocolFromName(std::string_view name, Protocol& out) {
    for (uint8_t i = 0; i <= uint8_t(Protocol::Phoenix); ++i) {
        if (protocolName(Protocol(i)) == name) return out = Protocol(i), true;
    }
    return false;
}

Decoded errorDecoded(Protocol protocol, std::string message, uint32_t offset, uint32_t length) {
    Decoded d;
    d.protocol = protocol;
    d.type = "error";
    d.error = true;
    d.summary = std::string(protocolName(protocol)) + " error: " + message;
    d.root.name = "error";
    d.root.kind = Node::Kind::Error;
    d.root.value = std::move(message) + " (at byte " + std::to_string(offset) + ")";
    d.root.span = {offset, length};
    return d;
}

namespace detail {

Node group(std::string name, SourceSpan span) {
    Node n;
    n.name = std::move(name);
    n.kind = Node::Kind::Group;
    n.span = span;
    return n;
}

Node text(std::string name, std::string value, SourceSpan span) {
    Node n;
    n.name = std::move(name);
    n.value = std::move(value);
    n.span = span;
    return n;
}

Node number(std::string name, uint64_t value, SourceSpan span) {
    Node n = text(std::move(name), std::to_string(value), span);
    n.kind = Node::Kind::Number;
    return n;
}

Node valueNode(std::string name, const Value& value) {
    Node n;
    n.name = std::move(name);
    n.span = value.span;
    switch (value.kind) {
        case Value::Kind::Null:
            n.kind = Node::Kind::Null, n.value = "null";
            break;
        case Value::Kind::Bool:
            n.kind = Node::Kind::Bool, n.value = value.boolean ? "true" : "false";
            break;
        case Value::Kind::Int:
        case Value::Kind::UInt:
        case Value::Kind::Float:
            n.kind = Node::Kind::Number, n.value = toJson(value);
            break;
        case Value::Kind::String:
            n.kind = Node::Kind::Text, n.value = value.bytes;
            break;
        case Value::Kind::Binary:
        case Value::Kind::Ext:
            n.kind = Node::Kind::Bytes;
            n.value = plural(value.bytes.size(), "byte") + ": " + hexPreview(value.bytes);
            break;
        case Value::Kind::Array:
            n.kind = Node::Kind::Group;
            n.value = "[" + plural(value.items.size(), "item") + "]";
            for (size_t i = 0; i < value.items.size(); ++i)
                n.children.push_back(valueNode(std::to_string(i), value.items[i]));
            break;
        case Value::Kind::Map:
            n.kind = Node::Kind::Group;
            n.value = "{" + plural(value.mapSize(), "field") + "}";
            for (size_t i = 0; i + 1 < value.items.size(); i += 2) {
                const Value& key = value.items[i];
                n.children.push_back(valueNode(
                    key.kind == Value::Kind::String ? key.bytes : shortJson(key, 40), value.items[i + 1]));
            }
            break;
    }
    return n;
}

std::string shortJson(const Value& value, size_t limit) {
    std::string s = value.kind == Value::Kind::String ? value.bytes : toJson(value);
    if (s.size() > limit) {
        s.resize(limit);
        while (!s.empty() && (uint8_t(s.back()) & 0xC0) == 0x80)
            s.pop_back();  // whole code points only
        if (!s.empty() && uint8_t(s.back()) >= 0xC0) s.pop_back();
        s += "…";
    }
    return s;
}

std::string quoted(std::string_view text, size_t limit) {
    return "\"" + shortJson(Value::fromString(std::string(text)), limit) + "\"";
}

SourceSpan spanOf(size_t offset, size_t length) {
    return {uint32_t(offset), uint32_t(length)};
}

std::string keyText(const Value* value) {
    if (!value) return {};
    if (value->kind == Value::Kind::String) return value->bytes;
    if (value->isNumber()) return toJson(*value);
    return {};
}

std::string hexPreview(std::string_view bytes, size_t limit) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
        if (i) out += ' ';
        out += digits[uint8_t(bytes[i]) >> 4];
        out += digits[uint8_t(bytes[i]) & 15];
    }
    if (bytes.size() > limit) out += " …";
    return out;
}

std::string plural(size_t n, std::string_view word) {
    std::string s = std::to_string(n) + " " + std::string(word);
    if (n != 1) s += 's';
    return s;
}

void clearSpans(Node& node) {
    node.span = {};
    for (Node& child : node.children)
        clearSpans(child);
}

}  // namespace detail
}  // namespace framescope::decoders
