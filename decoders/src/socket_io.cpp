// Engine.IO v4 / Socket.IO v5 over WebSocket.
//
// Theory of operation. Every text frame is one Engine.IO packet: a type digit (0 open, 1 close, 2 ping,
// 3 pong, 4 message, 5 upgrade, 6 noop) and its data. A message packet carries a Socket.IO packet: a type
// digit, for the binary types the attachment count and '-', the namespace and ',' unless it is "/", the ack
// id digits, then JSON. A binary frame is either the next attachment of the sender's pending binary packet
// (where {"_placeholder":true,"num":N} in the JSON stands for attachment N) or a plain binary message. So the
// decoder keeps, per sender, the binary packet waiting for attachments: the header frame and each attachment
// decode as `pending`, and the frame that brings the last attachment decodes as the whole packet.
#include "framescope/decoders/socket_io.h"

#include "tree.h"

namespace framescope::decoders::socketio {
namespace {

using namespace detail;

constexpr const char* kEngineTypes[] = {"open", "close", "ping", "pong", "message", "upgrade", "noop"};

bool isBinaryType(PacketType type) {
    return type == PacketType::BinaryEvent || type == PacketType::BinaryAck;
}

Value placeholder(size_t index) {
    Value v = Value::map();
    v.set("_placeholder", Value::fromBool(true));
    v.set("num", Value::fromInt(int64_t(index)));
    return v;
}

// Replaces Binary values by placeholders, collecting their bytes in order (socket.io-parser's deconstruct).
void deconstruct(Value& v, std::vector<std::string>& attachments) {
    if (v.kind == Value::Kind::Binary) {
        std::string bytes = std::move(v.bytes);
        v = placeholder(attachments.size());
        attachments.push_back(std::move(bytes));
        return;
    }
    for (size_t i = 0; i < v.items.size(); ++i) {
        if (v.kind == Value::Kind::Map && i % 2 == 0) continue;
        deconstruct(v.items[i], attachments);
    }
}

// The reverse; false when a placeholder names an attachment that does not exist.
bool reconstruct(Value& v, std::vector<std::string>& attachments) {
    if (v.kind == Value::Kind::Map && v.mapSize() == 2) {
        const Value* flag = v.find("_placeholder");
        const Value* num = v.find("num");
        if (flag && flag->kind == Value::Kind::Bool && flag->boolean && num &&
            num->kind == Value::Kind::Int) {
            if (num->integer < 0 || uint64_t(num->integer) >= attachments.size()) return false;
            const SourceSpan span = v.span;
            v = Value::fromBinary(attachments[size_t(num->integer)]);
            v.span = span;
            return true;
        }
    }
    for (size_t i = 0; i < v.items.size(); ++i) {
        if (v.kind == Value::Kind::Map && i % 2 == 0) continue;
        if (!reconstruct(v.items[i], attachments)) return false;
    }
    return true;
}

void describe(const Packet& p, Decoded& d) {
    d.type = packetTypeName(p.type);
    const std::string nsp = p.nsp == "/" ? "" : " " + p.nsp;
    const bool event = p.type == PacketType::Event || p.type == PacketType::BinaryEvent;
    const bool ack = p.type == PacketType::Ack || p.type == PacketType::BinaryAck;
    d.root.children.push_back(text("namespace", p.nsp));
    d.fields.push_back({"namespace", p.nsp});
    if (p.ackId) {
        d.root.children.push_back(number("ack id", *p.ackId));
        const std::string key = "ack:" + p.nsp + ":" + std::to_string(*p.ackId);
        d.pairs.push_back({ack ? PairKey::Role::Response : PairKey::Role::Request, key});
    }
    const Value* args = p.data && p.data->isArray() ? &*p.data : nullptr;
    if (event && args && !args->items.empty() && args->items[0].isString()) {
        const std::string& name = args->items[0].bytes;
        d.fields.push_back({"event", name});
        d.root.children.push_back(text("event", name, args->items[0].span));
        Node list = group("args");
        for (size_t i = 1; i < args->items.size(); ++i)
            list.children.push_back(valueNode(std::to_string(i - 1), args->items[i]));
        d.root.children.push_back(std::move(list));
        d.summary = "emit " + quoted(name) + " (" + plural(args->items.size() - 1, "arg") + ")";
        if (p.ackId) d.summary += " ack " + std::to_string(*p.ackId);
    } else if (ack && args) {
        Node list = group("args");
        for (size_t i = 0; i < args->items.size(); ++i)
            list.children.push_back(valueNode(std::to_string(i), args->items[i]));
        d.root.children.push_back(std::move(list));
        d.summary = "ack " + (p.ackId ? std::to_string(*p.ackId) : "?") + " (" +
                    plural(args->items.size(), "arg") + ")";
    } else {
        if (p.data) d.root.children.push_back(valueNode("data", *p.data));
        d.summary = p.type == PacketType::Connect        ? "connect"
                    : p.type == PacketType::Disconnect   ? "disconnect"
                    : p.type == PacketType::ConnectError ? "connect error"
                                                         : d.type;
        if (p.type == PacketType::ConnectError && p.data) d.summary += ": " + shortJson(*p.data);
    }
    d.summary += nsp;
}

bool readDigits(std::string_view s, size_t& pos, uint64_t& out) {
    const size_t start = pos;
    out = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 18)
        out = out * 10 + uint64_t(s[pos++] - '0');
    return pos > start;
}

}  // namespace

const char* packetTypeName(PacketType type) {
    static constexpr const char* names[] = {"CONNECT",       "DISCONNECT",   "EVENT",     "ACK",
                                            "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"};
    return names[size_t(type)];
}

std::vector<Frame> encode(const Packet& packet) {
    std::vector<std::string> attachments;
    std::optional<Value> data = packet.data;
    if (data && isBinaryType(packet.type)) deconstruct(*data, attachments);
    std::string text = "4";
    text += char('0' + int(packet.type));
    if (isBinaryType(packet.type)) text += std::to_string(attachments.size()) + "-";
    if (packet.nsp != "/") text += packet.nsp + ",";
    if (packet.ackId) text += std::to_string(*packet.ackId);
    if (data) text += toJson(*data);
    std::vector<Frame> frames{{false, std::move(text)}};
    for (std::string& a : attachments)
        frames.push_back({true, std::move(a)});
    return frames;
}

Decoded Decoder::decode(const Message& message) {
    Pending& pending = pending_[message.sender == Sender::Client ? 0 : 1];
    if (message.binary) return decodeAttachment(message, pending);
    return decodeText(asText(message.bytes), pending);
}

Decoded Decoder::decodeText(std::string_view t, Pending& pending) {
    if (t.empty()) return errorDecoded(Protocol::SocketIo, "empty Engine.IO packet");
    const int engineType = t[0] - '0';
    if (engineType < 0 || engineType > 6)
        return errorDecoded(Protocol::SocketIo,
                            "unknown Engine.IO packet type '" + std::string(1, t[0]) + "'", 0, 1);
    if (engineType == 4) return decodeSocketIo(t.substr(1), 1, pending);
    Decoded d;
    d.protocol = Protocol::SocketIo;
    d.type = std::string("engine.io ") + kEngineTypes[engineType];
    d.root = group(d.type, spanOf(0, t.size()));
    d.root.children.push_back(
        text("engine.io type",
             std::string(kEngineTypes[engineType]) + " (" + std::to_string(engineType) + ")", spanOf(0, 1)));
    d.summary = kEngineTypes[engineType];
    const std::string_view rest = t.substr(1);
    if (engineType == 0) {
        ParseError error;
        const auto handshake = parseJson(rest, &error, 1);
        if (!handshake)
            return errorDecoded(Protocol::SocketIo, "open packet: " + error.message, uint32_t(error.offset));
        d.root.children.push_back(valueNode("handshake", *handshake));
        d.summary = "open sid " + keyText(handshake->find("sid"));
    } else if (!rest.empty()) {
        d.root.children.push_back(text("data", std::string(rest), spanOf(1, rest.size())));
        d.summary += " " + std::string(rest);
    }
    return d;
}

Decoded Decoder::decodeSocketIo(std::string_view t, size_t base, Pending& pending) {
    if (t.empty()) return errorDecoded(Protocol::SocketIo, "empty Socket.IO packet", uint32_t(base));
    const int type = t[0] - '0';
    if (type < 0 || type > 6)
        return errorDecoded(Protocol::SocketIo,
                            "unknown Socket.IO packet type '" + std::string(1, t[0]) + "'", uint32_t(base),
                            1);
    Packet p;
    p.type = PacketType(type);
    size_t pos = 1;
    uint64_t attachments = 0;
    if (isBinaryType(p.type)) {
        if (!readDigits(t, pos, attachments) || pos >= t.size() || t[pos] != '-')
            return errorDecoded(Protocol::SocketIo, "binary packet without '<count>-'", uint32_t(base + pos));
        ++pos;
    }
    if (pos < t.size() && t[pos] == '/') {
        const size_t comma = t.find(',', pos);
        const size_t end = comma == std::string_view::npos ? t.size() : comma;
        p.nsp = std::string(t.substr(pos, end - pos));
        pos = comma == std::string_view::npos ? end : end + 1;
    }
    uint64_t id = 0;
    if (readDigits(t, pos, id)) p.ackId = id;
    if (pos < t.size()) {
        ParseError error;
        p.data = parseJson(t.substr(pos), &error, uint32_t(base + pos));
        if (!p.data)
            return errorDecoded(Protocol::SocketIo, "packet data: " + error.message, uint32_t(error.offset));
    }
    pending = Pending{std::move(p), size_t(attachments), {}};
    if (attachments == 0) return complete(pending);
    Decoded d;
    d.protocol = Protocol::SocketIo;
    d.pending = true;
    d.type = packetTypeName(pending.packet.type);
    d.root = group(d.type);
    describe(pending.packet, d);
    d.root.children.push_back(number("attachments", attachments));
    d.summary += " (waiting for " + plural(attachments, "attachment") + ")";
    return d;
}

Decoded Decoder::decodeAttachment(const Message& message, Pending& pending) {
    if (pending.attachments.size() >= pending.expected) {
        Decoded d;
        d.protocol = Protocol::SocketIo;
        d.type = "engine.io binary message";
        d.root = group(d.type, spanOf(0, message.bytes.size()));
        d.root.children.push_back(
            text("data", hexPreview(asText(message.bytes)), spanOf(0, message.bytes.size())));
        d.summary = "binary message (" + plural(message.bytes.size(), "byte") + ")";
        return d;
    }
    pending.attachments.emplace_back(asText(message.bytes));
    if (pending.attachments.size() == pending.expected) return complete(pending);
    Decoded d;
    d.protocol = Protocol::SocketIo;
    d.pending = true;
    d.type = "attachment";
    d.root = group(d.type, spanOf(0, message.bytes.size()));
    d.summary = "attachment " + std::to_string(pending.attachments.size()) + "/" +
                std::to_string(pending.expected) + " of " + packetTypeName(pending.packet.type);
    return d;
}

Decoded Decoder::complete(Pending& pending) {
    Packet p = std::move(pending.packet);
    if (p.data && !reconstruct(*p.data, pending.attachments))
        return pending = {}, errorDecoded(Protocol::SocketIo, "placeholder names a missing attachment");
    const size_t attachments = pending.attachments.size();
    pending = {};
    Decoded d;
    d.protocol = Protocol::SocketIo;
    d.type = packetTypeName(p.type);
    d.root = group(d.type);
    describe(p, d);
    if (attachments) {
        d.summary += " +" + plural(attachments, "attachment");
        clearSpans(d.root);  // the JSON came in an earlier frame
    }
    last_ = std::move(p);
    return d;
}

}  // namespace framescope::decoders::socketio
