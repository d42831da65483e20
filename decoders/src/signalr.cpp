// ASP.NET Core SignalR hub protocols (dotnet/aspnetcore docs/specs/HubProtocol.md) over WebSocket.
//
// Theory of operation. The JSON protocol sends records, each a JSON object followed by the record
// separator 0x1E, several per message allowed. The MessagePack protocol sends, after the JSON handshake,
// messages each prefixed by its length as a varint (7 bits a byte, at most 5 bytes) and holding a MessagePack
// array whose first element is the message type. Both become the JSON protocol's object form, so one
// describe() serves both; toArray/fromArray convert between the forms (HubProtocol.md "MessagePack
// Encoding").
#include "framescope/decoders/json_protocols.h"
#include "tree.h"

namespace framescope::decoders::signalr {
namespace {

using namespace detail;

constexpr const char* kTypeNames[] = {
    "?",    "Invocation", "StreamItem", "Completion", "StreamInvocation", "CancelInvocation",
    "Ping", "Close",      "Ack",        "Sequence"};

const Value* member(const Value& v, std::string_view key) {
    return v.find(key);
}
Value orNull(const Value* v) {
    return v ? *v : Value::null();
}

Value toArray(const Value& m, int64_t type) {
    std::vector<Value> a{Value::fromInt(type)};
    auto headers = [&] {
        return orNull(member(m, "headers")).isNull() ? Value::map() : *member(m, "headers");
    };
    switch (type) {
        case 1:
        case 4:
            a.insert(a.end(), {headers(), orNull(member(m, "invocationId")), orNull(member(m, "target")),
                               member(m, "arguments") ? *member(m, "arguments") : Value::array()});
            if (const Value* ids = member(m, "streamIds")) a.push_back(*ids);
            break;
        case 2:
            a.insert(a.end(), {headers(), orNull(member(m, "invocationId")), orNull(member(m, "item"))});
            break;
        case 3:
            a.insert(a.end(), {headers(), orNull(member(m, "invocationId"))});
            if (const Value* error = member(m, "error"))
                a.insert(a.end(), {Value::fromInt(1), *error});
            else if (const Value* result = member(m, "result"))
                a.insert(a.end(), {Value::fromInt(3), *result});
            else
                a.push_back(Value::fromInt(2));
            break;
        case 5:
            a.insert(a.end(), {headers(), orNull(member(m, "invocationId"))});
            break;
        case 7:
            a.push_back(orNull(member(m, "error")));
            if (const Value* again = member(m, "allowReconnect")) a.push_back(*again);
            break;
        case 8:
        case 9:
            a.push_back(orNull(member(m, "sequenceId")));
            break;
        default:
            break;
    }
    return Value::array(std::move(a));
}

// The object form of a MessagePack hub message; false with `why` when the array is not one.
bool fromArray(const Value& a, Value& m, std::string& why) {
    if (!a.isArray() || a.items.empty() || a.items[0].kind != Value::Kind::Int)
        return why = "message is not an array starting with its type", false;
    const int64_t type = a.items[0].integer;
    const size_t need = type == 1 || type == 4   ? 5
                        : type == 2 || type == 3 ? 4
                        : type == 5              ? 3
                        : type == 6              ? 1
                                                 : 2;
    if (type < 1 || type > 9) return why = "unknown hub message type " + std::to_string(type), false;
    if (a.items.size() < need)
        return why = std::string(kTypeNames[type]) + " array has too few elements", false;
    m = Value::map();
    m.set("type", a.items[0]);
    if (type >= 1 && type <= 5) {
        if (a.items[1].isMap() && !a.items[1].items.empty()) m.set("headers", a.items[1]);
        if (!a.items[2].isNull()) m.set("invocationId", a.items[2]);
    }
    if (type == 1 || type == 4) {
        m.set("target", a.items[3]);
        m.set("arguments", a.items[4]);
        if (a.items.size() > 5) m.set("streamIds", a.items[5]);
    } else if (type == 2) {
        m.set("item", a.items[3]);
    } else if (type == 3) {
        const Value& kind = a.items[3];
        const int64_t k = kind.kind == Value::Kind::Int ? kind.integer : 0;
        if ((k == 1 || k == 3) && a.items.size() < 5) return why = "Completion without its result", false;
        if (k == 1)
            m.set("error", a.items[4]);
        else if (k == 3)
            m.set("result", a.items[4]);
        else if (k != 2)
            return why = "unknown Completion result kind", false;
    } else if (type == 7) {
        if (!a.items[1].isNull()) m.set("error", a.items[1]);
        if (a.items.size() > 2) m.set("allowReconnect", a.items[2]);
    } else if (type == 8 || type == 9) {
        m.set("sequenceId", a.items[1]);
    }
    return true;
}

// Summary, fields and pairs of one record; false when it is not a hub message nor a handshake.
bool describe(const Value& m, Decoded& d, Node& node, std::string& summary, std::string& why) {
    if (!m.isMap()) return why = "record is not an object", false;
    const Value* type = m.find("type");
    for (size_t i = 0; i + 1 < m.items.size(); i += 2)
        node.children.push_back(valueNode(m.items[i].bytes, m.items[i + 1]));
    if (!type) {  // handshake request {"protocol","version"} or response {} / {"error"}
        if (const Value* protocol = m.find("protocol")) {
            summary = "handshake " + keyText(protocol) + " v" + keyText(m.find("version"));
            node.name = "handshake request";
            d.pairs.push_back({PairKey::Role::Request, "handshake"});
        } else {
            const Value* error = m.find("error");
            summary = error ? "handshake error: " + shortJson(*error) : "handshake ok";
            node.name = "handshake response";
            d.pairs.push_back({PairKey::Role::Response, "handshake"});
        }
        return true;
    }
    const int64_t t = type->kind == Value::Kind::Int ? type->integer : 0;
    if (t < 1 || t > 9) return why = "unknown hub message type " + toJson(*type), false;
    node.name = kTypeNames[t];
    const std::string id = keyText(m.find("invocationId"));
    const std::string target = keyText(m.find("target"));
    const Value* args = m.find("arguments");
    const std::string count = args && args->isArray() ? " (" + plural(args->items.size(), "arg") + ")" : "";
    switch (t) {
        case 1:
            summary = "invoke " + target + (id.empty() ? "" : " #" + id) + count;
            break;
        case 4:
            summary = "stream " + target + " #" + id + count;
            break;
        case 2:
            summary = "stream item #" + id + " " + shortJson(orNull(m.find("item")), 40);
            break;
        case 3:
            summary = "completion #" + id;
            if (const Value* error = m.find("error"))
                summary += " error: " + shortJson(*error);
            else if (const Value* result = m.find("result"))
                summary += ": " + shortJson(*result, 40);
            break;
        case 5:
            summary = "cancel #" + id;
            break;
        case 6:
            summary = "ping";
            break;
        case 7:
            summary = "close" + (m.find("error") ? ": " + shortJson(*m.find("error")) : std::string());
            break;
        default:
            summary = std::string(t == 8 ? "ack " : "sequence ") + keyText(m.find("sequenceId"));
            break;
    }
    if (!target.empty()) d.fields.push_back({"target", target});
    if (!id.empty() && t != 5)
        d.pairs.push_back({t == 1 || t == 4 ? PairKey::Role::Request : PairKey::Role::Response, "inv:" + id});
    return true;
}

void putVarInt(std::string& out, size_t n) {
    do {
        uint8_t b = n & 0x7f;
        n >>= 7;
        if (n) b |= 0x80;
        out += char(b);
    } while (n);
}

class Decoder : public ValueDecoder {
public:
    explicit Decoder(Protocol which) : which_(which) {}
    Protocol protocol() const override { return which_; }

    Decoded decode(const Message& message) override {
        last_.clear();
        Decoded d;
        d.protocol = which_;
        std::vector<Node> nodes;
        const std::string_view t = asText(message.bytes);
        size_t pos = 0;
        // JSON records: the whole JSON protocol, and the MessagePack protocol's handshake (only in each
        // side's first message: later a '{' is a length prefix of 123).
        bool& first = first_[message.sender == Sender::Client ? 0 : 1];
        const bool handshake = first && !t.empty() && t[0] == '{';
        first = false;
        while (pos < t.size() && (which_ == Protocol::SignalRJson || handshake)) {
            const size_t end = t.find(kRecordSeparator, pos);
            if (end == std::string_view::npos) return fail("record without its 0x1E terminator", pos);
            ParseError error;
            auto v = parseJson(t.substr(pos, end - pos), &error, uint32_t(pos));
            if (!v) return fail(error.message, error.offset);
            if (!add(std::move(*v), spanOf(pos, end + 1 - pos), d, nodes)) return fail(why_, pos);
            pos = end + 1;
            if (handshake && which_ == Protocol::SignalRMessagePack) break;
        }
        while (pos < t.size()) {
            size_t length = 0;
            const size_t start = pos;
            for (int shift = 0;; shift += 7) {
                if (pos >= t.size() || shift > 28) return fail("bad length prefix", start);
                const uint8_t b = uint8_t(t[pos++]);
                length |= size_t(b & 0x7f) << shift;
                if (!(b & 0x80)) break;
            }
            if (length > t.size() - pos) return fail("message longer than what arrived", start);
            size_t consumed = 0;
            ParseError error;
            auto a = readMsgPack(message.bytes.subspan(pos, length), consumed, &error, uint32_t(pos));
            if (!a) return fail(error.message, error.offset);
            if (consumed != length)
                return fail("bytes left over after the MessagePack array", pos + consumed);
            Value m;
            if (!fromArray(*a, m, why_) || !add(std::move(m), spanOf(start, pos + length - start), d, nodes))
                return fail(why_, start);
            pos += length;
        }
        if (nodes.empty()) return fail("empty message", 0);
        if (nodes.size() == 1)
            d.root = std::move(nodes.front());
        else
            d.root = group(plural(nodes.size(), "message"), spanOf(0, t.size())),
            d.root.children = std::move(nodes);
        return d;
    }

private:
    Decoded fail(const std::string& message, size_t at) {
        last_.clear();
        return errorDecoded(which_, message, uint32_t(at));
    }

    bool add(Value m, SourceSpan span, Decoded& d, std::vector<Node>& nodes) {
        Node node = group("", span);
        std::string summary;
        if (!describe(m, d, node, summary, why_)) return false;
        node.value = summary;
        if (d.type.empty()) d.type = node.name;
        d.summary += (d.summary.empty() ? "" : "; ") + summary;
        nodes.push_back(std::move(node));
        last_.push_back(std::move(m));
        return true;
    }

    Protocol which_;
    std::string why_;
    bool first_[2] = {true, true};
};

}  // namespace

std::string encodeJson(const Value& message) {
    return toJson(message) + kRecordSeparator;
}

std::string encodeMessagePack(const Value& message) {
    const Value* type = message.find("type");
    std::string body;
    writeMsgPack(body, toArray(message, type && type->kind == Value::Kind::Int ? type->integer : 0));
    std::string out;
    putVarInt(out, body.size());
    return out + body;
}

std::unique_ptr<ValueDecoder> makeDecoder(Protocol which) {
    return std::make_unique<Decoder>(which);
}

}  // namespace framescope::decoders::signalr
