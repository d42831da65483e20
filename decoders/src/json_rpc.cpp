// JSON-RPC 2.0 (jsonrpc.org/specification): requests, notifications, responses, and batches of them.
//
// Theory of operation. A message is one JSON object or a non-empty array of them (§6). An object with
// "method" is a request (with "id") or a notification (without); one with "result" or "error" is a response.
// The id pairs a request with its response, inside a batch too.
#include "framescope/decoders/json_protocols.h"
#include "tree.h"

namespace framescope::decoders::jsonrpc {
namespace {

using namespace detail;

// Describes one call or response; false (with `why`) when it is neither.
bool describeOne(const Value& v, Decoded& d, Node& node, std::string& summary, std::string& why) {
    if (!v.isMap()) return why = "batch element is not an object", false;
    const Value* version = v.find("jsonrpc");
    if (!version || !version->isString() || version->bytes != "2.0")
        return why = "missing \"jsonrpc\": \"2.0\"", false;
    const Value* method = v.find("method");
    const Value* id = v.find("id");
    const std::string key = id ? "id:" + (id->isString() ? "\"" + id->bytes + "\"" : toJson(*id)) : "";
    if (method && method->isString()) {
        const Value* params = v.find("params");
        const size_t count = params ? (params->isArray() ? params->items.size() : params->mapSize()) : 0;
        summary = (id ? "call " : "notify ") + method->bytes;
        if (id) summary += " #" + keyText(id);
        if (params) summary += " (" + plural(count, "param") + ")";
        node.name = id ? "request" : "notification";
        d.fields.push_back({"method", method->bytes});
        if (id) d.pairs.push_back({PairKey::Role::Request, key});
    } else if (const Value* error = v.find("error")) {
        summary = "error #" + keyText(id);
        if (const Value* code = error->find("code")) summary += " " + shortJson(*code);
        if (const Value* message = error->find("message")) summary += " " + shortJson(*message);
        node.name = "error response";
        if (id && !id->isNull()) d.pairs.push_back({PairKey::Role::Response, key});
    } else if (const Value* result = v.find("result")) {
        summary = "result #" + keyText(id) + ": " + shortJson(*result, 40);
        node.name = "response";
        if (id) d.pairs.push_back({PairKey::Role::Response, key});
    } else {
        return why = "object has neither \"method\" nor \"result\" nor \"error\"", false;
    }
    for (size_t i = 0; i + 1 < v.items.size(); i += 2)
        node.children.push_back(valueNode(v.items[i].bytes, v.items[i + 1]));
    return true;
}

class Decoder : public ValueDecoder {
public:
    Protocol protocol() const override { return Protocol::JsonRpc; }

    Decoded decode(const Message& message) override {
        ParseError error;
        auto v = parseJson(asText(message.bytes), &error);
        if (!v) return errorDecoded(Protocol::JsonRpc, error.message, uint32_t(error.offset));
        Decoded d;
        d.protocol = Protocol::JsonRpc;
        std::string why;
        if (v->isArray()) {
            if (v->items.empty())
                return errorDecoded(Protocol::JsonRpc, "empty batch (JSON-RPC 2.0 §6)", 0, 2);
            d.type = "batch";
            d.root = group("batch", v->span);
            std::string joined;
            for (const Value& element : v->items) {
                Node node = group("", element.span);
                std::string summary;
                if (!describeOne(element, d, node, summary, why))
                    return errorDecoded(Protocol::JsonRpc, why, element.span.offset, element.span.length);
                node.value = summary;
                joined += (joined.empty() ? "" : "; ") + summary;
                d.root.children.push_back(std::move(node));
            }
            d.summary = "batch of " + std::to_string(v->items.size()) + ": " + joined;
            last_ = std::move(v->items);
            return d;
        }
        d.root = group("", v->span);
        if (!describeOne(*v, d, d.root, d.summary, why))
            return errorDecoded(Protocol::JsonRpc, why, 0, uint32_t(message.bytes.size()));
        d.type = d.root.name;
        last_ = {std::move(*v)};
        return d;
    }
};

}  // namespace

std::unique_ptr<ValueDecoder> makeDecoder() {
    return std::make_unique<Decoder>();
}

}  // namespace framescope::decoders::jsonrpc
