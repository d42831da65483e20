// MQTT over WebSocket, per connection.
//
// Theory of operation. MQTT is a byte stream: a WebSocket message may hold several packets, part of one, or
// the end of one and the start of the next (MQTT 5.0 §6: "a single WebSocket data frame can contain multiple
// or partial MQTT Control Packets"). Each direction keeps the bytes of its unfinished packet; a message is
// appended and every complete packet decoded. The protocol level comes from CONNECT (4 = 3.1.1, 5 = 5.0) and
// applies to both directions from then on. Spans are moved into the message's coordinates; a packet that
// began in an earlier message has no spans.
#include "framescope/decoders/mqtt.h"

#include "tree.h"

namespace framescope::decoders::mqtt {
namespace {

using namespace detail;

void shiftSpans(Node& node, size_t delta) {
    if (node.span.length) node.span.offset += uint32_t(delta);
    for (Node& child : node.children)
        shiftSpans(child, delta);
}

std::string reasonText(uint8_t code) {
    return code == 0 ? "success" : "reason " + std::to_string(code);
}

std::string idText(const Packet& p) {
    return "#" + std::to_string(p.packetId);
}

void describePublish(const Packet& p, std::string& s, Decoded& d) {
    s += " " + p.topic + " qos" + std::to_string(p.qos());
    if (p.qos() > 0) {
        s += " " + idText(p);
        d.pairs.push_back({PairKey::Role::Request, "packet:" + std::to_string(p.packetId)});
    }
    if (p.flags & 1) s += " retain";
    if (p.flags & 8) s += " dup";
    s += " (" + plural(p.payload.size(), "byte") + ")";
    d.fields.push_back({"topic", p.topic});
}

void describeTopics(const Packet& p, std::string& s, Decoded& d) {
    for (size_t i = 0; i < p.subscriptions.size(); ++i) {
        s += (i ? ", " : " ") + p.subscriptions[i].topic;
        if (p.type == Type::Subscribe) s += " qos" + std::to_string(p.subscriptions[i].options & 3);
        d.fields.push_back({"topic", p.subscriptions[i].topic});
    }
    s += " " + idText(p);
    d.pairs.push_back({PairKey::Role::Request, "packet:" + std::to_string(p.packetId)});
}

std::string describe(const Packet& p, Decoded& d) {
    std::string s = typeName(p.type);
    const std::string id = std::to_string(p.packetId);
    switch (p.type) {
        case Type::Connect:
            s += " " + (p.clientId.empty() ? std::string("(no client id)") : p.clientId) +
                 (p.protocolLevel == 5 ? " v5" : " v3.1.1");
            if (p.connectFlags & 0x02) s += " clean";
            d.fields.push_back({"client id", p.clientId});
            d.pairs.push_back({PairKey::Role::Request, "connect"});
            break;
        case Type::Connack:
            s += p.reasonCode == 0 ? " accepted" : " refused (" + reasonText(p.reasonCode) + ")";
            if (p.ackFlags & 1) s += " session present";
            d.pairs.push_back({PairKey::Role::Response, "connect"});
            break;
        case Type::Publish:
            describePublish(p, s, d);
            break;
        case Type::Puback:
        case Type::Pubrec:
            s += " #" + id;
            d.pairs.push_back({PairKey::Role::Response, "packet:" + id});
            break;
        case Type::Pubrel:
        case Type::Pubcomp:
            s += " #" + id;
            d.pairs.push_back(
                {p.type == Type::Pubrel ? PairKey::Role::Request : PairKey::Role::Response, "pubrel:" + id});
            break;
        case Type::Subscribe:
        case Type::Unsubscribe:
            describeTopics(p, s, d);
            break;
        case Type::Suback:
        case Type::Unsuback:
            s += " #" + id;
            for (const uint8_t code : p.reasonCodes)
                s += code < 3 ? " granted qos" + std::to_string(code) : " failure";
            d.pairs.push_back({PairKey::Role::Response, "packet:" + id});
            break;
        case Type::Pingreq:
            d.pairs.push_back({PairKey::Role::Request, "ping"});
            break;
        case Type::Pingresp:
            d.pairs.push_back({PairKey::Role::Response, "ping"});
            break;
        case Type::Disconnect:
        case Type::Auth:
            if (p.reasonCode) s += " (" + reasonText(p.reasonCode) + ")";
            break;
    }
    if (!p.properties.empty()) s += " +" + std::to_string(p.properties.size()) + " props";
    return s;
}

}  // namespace

const char* typeName(Type type) {
    static constexpr const char* names[] = {
        "RESERVED",  "CONNECT", "CONNACK",     "PUBLISH",  "PUBACK",  "PUBREC",   "PUBREL",     "PUBCOMP",
        "SUBSCRIBE", "SUBACK",  "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};
    return names[size_t(type) & 15];
}

const char* propertyName(uint8_t id) {
    switch (id) {
        case 1:
            return "payload format indicator";
        case 2:
            return "message expiry interval";
        case 3:
            return "content type";
        case 8:
            return "response topic";
        case 9:
            return "correlation data";
        case 11:
            return "subscription identifier";
        case 17:
            return "session expiry interval";
        case 18:
            return "assigned client identifier";
        case 19:
            return "server keep alive";
        case 21:
            return "authentication method";
        case 22:
            return "authentication data";
        case 23:
            return "request problem information";
        case 24:
            return "will delay interval";
        case 25:
            return "request response information";
        case 26:
            return "response information";
        case 28:
            return "server reference";
        case 31:
            return "reason string";
        case 33:
            return "receive maximum";
        case 34:
            return "topic alias maximum";
        case 35:
            return "topic alias";
        case 36:
            return "maximum qos";
        case 37:
            return "retain available";
        case 38:
            return "user property";
        case 39:
            return "maximum packet size";
        case 40:
            return "wildcard subscription available";
        case 41:
            return "subscription identifier available";
        case 42:
            return "shared subscription available";
        default:
            return "unknown property";
    }
}

Decoded Decoder::decode(const Message& message) {
    std::string& buffer = buffer_[message.sender == Sender::Client ? 0 : 1];
    const size_t carried = buffer.size();
    buffer.append(asText(message.bytes));
    Decoded d;
    d.protocol = Protocol::Mqtt;
    std::vector<Node> trees;
    last_.clear();
    size_t offset = 0;
    while (offset < buffer.size()) {
        Packet packet;
        Node tree;
        const auto rest = asBytes(std::string_view(buffer).substr(offset));
        const ParseOutcome o = parse(rest, level_, packet, &tree);
        if (o.result == ParseResult::NeedMore) break;
        if (o.result == ParseResult::Error) {
            const size_t at = offset + o.errorAt;
            buffer.clear();
            return errorDecoded(Protocol::Mqtt, o.error, uint32_t(at >= carried ? at - carried : 0));
        }
        if (packet.type == Type::Connect) level_ = packet.protocolLevel == 5 ? 5 : 4;
        tree.name = typeName(packet.type);
        tree.kind = Node::Kind::Group;
        tree.span = spanOf(0, o.consumed);
        if (offset >= carried)
            shiftSpans(tree, offset - carried);
        else
            clearSpans(tree);
        const std::string summary = describe(packet, d);
        tree.value = summary;
        d.summary += (d.summary.empty() ? "" : "; ") + summary;
        if (d.type.empty()) d.type = typeName(packet.type);
        trees.push_back(std::move(tree));
        last_.push_back(std::move(packet));
        offset += o.consumed;
    }
    buffer.erase(0, offset);
    if (buffer.size() > kMaxBuffered) {
        buffer.clear();
        return errorDecoded(Protocol::Mqtt, "unfinished packet larger than 16 MiB");
    }
    if (!buffer.empty()) {
        d.pending = true;
        const std::string part = "partial " + std::string(typeName(Type(uint8_t(buffer[0]) >> 4))) + " (" +
                                 plural(buffer.size(), "byte") + " so far)";
        d.summary += (d.summary.empty() ? "" : "; ") + part;
        if (d.type.empty()) d.type = "partial";
        trees.push_back(text("partial packet", part));
    }
    if (trees.size() == 1)
        d.root = std::move(trees.front());
    else
        d.root = group(plural(trees.size(), "packet")), d.root.children = std::move(trees);
    if (message.bytes.empty()) return errorDecoded(Protocol::Mqtt, "empty message");
    return d;
}

}  // namespace framescope::decoders::mqtt
