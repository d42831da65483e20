// Phoenix channels (Phoenix.Socket.V1/V2 serializers, phoenix.js serializer.js).
//
// Theory of operation. V2 text messages are [join_ref, ref, topic, event, payload] arrays; V1 messages are
// {topic, event, payload, ref, join_ref} objects; V2 binary frames start with a kind byte: 0 push (from the
// client with join_ref, ref, topic and event sizes; from the server without ref), 1 reply (join_ref, ref,
// topic, status), 2 broadcast (topic, event), then those strings and the raw payload. Every form becomes the
// V2 array form. "phx_reply" answers the push with the same ref.
#include "framescope/decoders/json_protocols.h"
#include "tree.h"

namespace framescope::decoders::phoenix {
namespace {

using namespace detail;

Value stringOrNull(const Value* v) {
    return v ? *v : Value::null();
}

class Decoder : public ValueDecoder {
public:
    Protocol protocol() const override { return Protocol::Phoenix; }

    Decoded decode(const Message& message) override {
        Value array;
        if (message.binary) {
            std::string why;
            size_t at = 0;
            if (!decodeBinary(message, array, why, at))
                return errorDecoded(Protocol::Phoenix, why, uint32_t(at));
        } else {
            ParseError error;
            auto v = parseJson(asText(message.bytes), &error);
            if (!v) return errorDecoded(Protocol::Phoenix, error.message, uint32_t(error.offset));
            if (v->isMap()) {
                array = Value::array({stringOrNull(v->find("join_ref")), stringOrNull(v->find("ref")),
                                      stringOrNull(v->find("topic")), stringOrNull(v->find("event")),
                                      stringOrNull(v->find("payload"))});
            } else {
                array = std::move(*v);
            }
        }
        if (!array.isArray() || array.items.size() != 5 || !array.items[2].isString() ||
            !array.items[3].isString())
            return errorDecoded(Protocol::Phoenix, "not a [join_ref, ref, topic, event, payload] message", 0,
                                uint32_t(message.bytes.size()));
        Decoded d = describe(array, message);
        last_ = {std::move(array)};
        return d;
    }

private:
    static Decoded describe(const Value& a, const Message& message) {
        Decoded d;
        d.protocol = Protocol::Phoenix;
        const std::string& topic = a.items[2].bytes;
        const std::string& event = a.items[3].bytes;
        const Value& payload = a.items[4];
        d.type = event;
        d.root = group(event, spanOf(0, message.bytes.size()));
        static constexpr const char* names[] = {"join_ref", "ref", "topic", "event", "payload"};
        for (size_t i = 0; i < 5; ++i)
            d.root.children.push_back(valueNode(names[i], a.items[i]));
        d.fields = {{"topic", topic}, {"event", event}};
        d.summary = event + " " + topic;
        const std::string ref = keyText(&a.items[1]);
        if (event == "phx_reply") {
            if (const Value* status = payload.find("status"))
                d.summary = "phx_reply " + keyText(status) + " " + topic;
            if (!ref.empty()) d.pairs.push_back({PairKey::Role::Response, "ref:" + ref});
        } else if (!ref.empty() && message.sender == Sender::Client) {
            d.pairs.push_back({PairKey::Role::Request, "ref:" + ref});
        }
        if (!ref.empty()) d.summary += " ref " + ref;
        return d;
    }

    static bool decodeBinary(const Message& m, Value& out, std::string& why, size_t& at) {
        const auto b = m.bytes;
        if (b.empty()) return why = "empty binary message", false;
        const uint8_t kind = b[0];
        // Sizes of join_ref, ref, topic, event (0 where the kind has no such field).
        size_t sizes[4] = {0, 0, 0, 0};
        size_t header = 0;
        const bool clientPush = kind == 0 && m.sender == Sender::Client;
        if (clientPush || kind == 1)
            header = 5;
        else if (kind == 0)
            header = 4;
        else if (kind == 2)
            header = 3;
        else
            return why = "unknown binary kind " + std::to_string(kind), false;
        if (b.size() < header) return at = b.size(), why = "binary header cut short", false;
        if (header == 5)
            sizes[0] = b[1], sizes[1] = b[2], sizes[2] = b[3], sizes[3] = b[4];
        else if (header == 4)
            sizes[0] = b[1], sizes[2] = b[2], sizes[3] = b[3];
        else
            sizes[2] = b[1], sizes[3] = b[2];
        size_t pos = header;
        std::string fields[4];
        for (size_t i = 0; i < 4; ++i) {
            if (b.size() - pos < sizes[i])
                return at = pos, why = "binary field runs past the end of the message", false;
            fields[i] = std::string(asText(b.subspan(pos, sizes[i])));
            pos += sizes[i];
        }
        Value payload = Value::fromBinary(std::string(asText(b.subspan(pos))));
        payload.span = spanOf(pos, b.size() - pos);
        auto maybe = [&](size_t i) {
            return header == 5 || (i == 0 && header == 4) ? Value::fromString(fields[i]) : Value::null();
        };
        if (kind == 1) {
            Value reply = Value::map();
            reply.set("status", Value::fromString(fields[3]));
            reply.set("response", std::move(payload));
            out = Value::array({maybe(0), maybe(1), Value::fromString(fields[2]),
                                Value::fromString("phx_reply"), std::move(reply)});
        } else {
            out = Value::array({maybe(0), maybe(1), Value::fromString(fields[2]),
                                Value::fromString(fields[3]), std::move(payload)});
        }
        return true;
    }
};

}  // namespace

std::string encodeBinaryPush(std::string_view joinRef, std::string_view ref, std::string_view topic,
                             std::string_view event, std::string_view payload) {
    std::string out;
    out += char(0);
    for (const std::string_view s : {joinRef, ref, topic, event})
        out += char(uint8_t(s.size()));
    for (const std::string_view s : {joinRef, ref, topic, event, payload})
        out += s;
    return out;
}

std::unique_ptr<ValueDecoder> makeDecoder() {
    return std::make_unique<Decoder>();
}

}  // namespace framescope::decoders::phoenix
