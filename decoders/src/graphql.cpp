// graphql-transport-ws (github.com/enisdenjo/graphql-ws PROTOCOL.md) and Apollo's older
// subscriptions-transport-ws (its PROTOCOL.md): one JSON object per message with a "type".
//
// Theory of operation. Each message is parsed as JSON and checked against the protocol's message types; the
// operation id pairs subscribe/start with the next/data, error and complete that answer it. Query text is
// shown re-indented by a small tokenizer (names, punctuators, strings and block strings, comments dropped) so
// one-line queries from clients read like the source.
#include <algorithm>
#include <cctype>

#include "framescope/decoders/json_protocols.h"
#include "tree.h"

namespace framescope::decoders::graphql {
namespace {

using namespace detail;

struct TypeInfo {
    std::string_view name;
    bool hasId;
    PairKey::Role role;
    bool pairs;
};

constexpr TypeInfo kTransportWs[] = {
    {"connection_init", false, PairKey::Role::Request, true},
    {"connection_ack", false, PairKey::Role::Response, true},
    {"ping", false, PairKey::Role::Request, true},
    {"pong", false, PairKey::Role::Response, true},
    {"subscribe", true, PairKey::Role::Request, true},
    {"next", true, PairKey::Role::Response, true},
    {"error", true, PairKey::Role::Response, true},
    {"complete", true, PairKey::Role::Response, true},
};
constexpr TypeInfo kSubscriptionsWs[] = {
    {"connection_init", false, PairKey::Role::Request, true},
    {"connection_ack", false, PairKey::Role::Response, true},
    {"connection_error", false, PairKey::Role::Response, true},
    {"ka", false, PairKey::Role::Request, false},
    {"connection_terminate", false, PairKey::Role::Request, false},
    {"start", true, PairKey::Role::Request, true},
    {"data", true, PairKey::Role::Response, true},
    {"error", true, PairKey::Role::Response, true},
    {"complete", true, PairKey::Role::Response, true},
    {"stop", true, PairKey::Role::Request, false},
};

// The operation's kind and name, or its first field: "subscription OnPrice", "query { user }".
std::string operationLabel(const std::string& query, const Value* name) {
    const size_t start = query.find_first_not_of(" \t\r\n,");
    std::string kind = "query";
    size_t pos = start == std::string::npos ? query.size() : start;
    for (std::string_view k : {"query", "mutation", "subscription"}) {
        if (query.compare(pos, k.size(), k) == 0) kind = k, pos += k.size();
    }
    if (name && name->isString() && !name->bytes.empty()) return kind + " " + name->bytes;
    // The operation's own name, else its first field.
    pos = query.find_first_not_of(" \t\r\n,", pos);
    if (pos != std::string::npos && query[pos] == '{') pos = query.find_first_not_of(" \t\r\n,{", pos);
    if (pos == std::string::npos) return kind;
    size_t end = pos;
    while (end < query.size() && (std::isalnum(uint8_t(query[end])) || query[end] == '_'))
        ++end;
    return end > pos ? kind + " " + query.substr(pos, end - pos) : kind;
}

class Decoder : public ValueDecoder {
public:
    explicit Decoder(Protocol which) : which_(which) {}
    Protocol protocol() const override { return which_; }

    Decoded decode(const Message& message) override {
        ParseError error;
        auto v = parseJson(asText(message.bytes), &error);
        if (!v) return errorDecoded(which_, error.message, uint32_t(error.offset));
        const Value* type = v->find("type");
        if (!type || !type->isString())
            return errorDecoded(which_, "message is not an object with a string \"type\"", 0,
                                uint32_t(message.bytes.size()));
        const TypeInfo* info = lookup(type->bytes);
        if (!info)
            return errorDecoded(which_, "unknown message type \"" + type->bytes.substr(0, 40) + "\"",
                                type->span.offset, type->span.length);
        Decoded d;
        d.protocol = which_;
        d.type = type->bytes;
        d.root = group(d.type, spanOf(0, message.bytes.size()));
        d.summary = d.type;
        const std::string id = keyText(v->find("id"));
        if (info->hasId) {
            if (id.empty()) return errorDecoded(which_, "\"" + d.type + "\" without an \"id\"");
            d.summary += " #" + id;
            d.fields.push_back({"id", id});
        }
        if (info->pairs)
            d.pairs.push_back({info->role, info->hasId                            ? "op:" + id
                                           : d.type == "ping" || d.type == "pong" ? "ping"
                                                                                  : "init"});
        for (size_t i = 0; i + 1 < v->items.size(); i += 2) {
            if (v->items[i].bytes == "payload")
                describePayload(v->items[i + 1], d);
            else
                d.root.children.push_back(valueNode(v->items[i].bytes, v->items[i + 1]));
        }
        last_ = {std::move(*v)};
        return d;
    }

private:
    const TypeInfo* lookup(const std::string& name) const {
        const auto& table = which_ == Protocol::GraphqlTransportWs
                                ? std::span<const TypeInfo>(kTransportWs)
                                : std::span<const TypeInfo>(kSubscriptionsWs);
        for (const TypeInfo& info : table)
            if (info.name == name) return &info;
        return nullptr;
    }

    void describePayload(const Value& payload, Decoded& d) {
        Node node = valueNode("payload", payload);
        const Value* query = payload.find("query");
        if (query && query->isString()) {
            const std::string label = operationLabel(query->bytes, payload.find("operationName"));
            d.summary += " " + label;
            d.fields.push_back({"operation", label});
            for (Node& child : node.children)
                if (child.name == "query") child.value = formatQuery(query->bytes);
        } else if (payload.isArray() &&
                   !payload.items.empty()) {  // graphql-transport-ws error: GraphQLError[]
            if (const Value* message = payload.items[0].find("message"))
                d.summary += ": " + shortJson(*message);
        } else if (const Value* errors = payload.find("errors"); errors && errors->isArray()) {
            d.summary += " (" + plural(errors->items.size(), "error") + ")";
        } else if (const Value* data = payload.find("data")) {
            d.summary += " " + shortJson(*data, 50);
        }
        d.root.children.push_back(std::move(node));
    }

    Protocol which_;
};

void newline(std::string& out, int depth) {
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    out += '\n';
    out.append(size_t(2 * std::max(depth, 0)), ' ');
}

bool isWordChar(char c) {
    return std::isalnum(uint8_t(c)) || c == '_' || c == '-' || c == '.';
}

// The end of the token at `pos` (not whitespace): a block string, string, "...", name or number, or one
// punctuator.
size_t tokenEnd(std::string_view q, size_t pos) {
    if (q.substr(pos, 3) == "\"\"\"") {
        const size_t end = q.find("\"\"\"", pos + 3);
        return end == std::string_view::npos ? q.size() : end + 3;
    }
    if (q[pos] == '"') {
        size_t i = pos + 1;
        while (i < q.size() && q[i] != '"')
            i += q[i] == '\\' ? 2 : 1;
        return std::min(i + 1, q.size());
    }
    if (q.substr(pos, 3) == "...") return pos + 3;
    size_t i = pos;
    while (i < q.size() && isWordChar(q[i]))
        ++i;
    return i > pos ? i : pos + 1;
}

bool isValueLike(std::string_view t) {
    return !t.empty() && (isWordChar(t[0]) || t[0] == '"' || t == ")" || t == "]" || t == "}");
}

}  // namespace

std::string formatQuery(std::string_view q) {
    std::string out;
    std::string_view prev;
    int depth = 0;   // selection-set braces
    int nested = 0;  // brackets, parentheses and input-object braces inside arguments
    for (size_t pos = 0; pos < q.size();) {
        const char c = q[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '#') {
            pos = c == '#' ? std::min(q.find('\n', pos), q.size()) : pos + 1;
            continue;
        }
        const size_t end = tokenEnd(q, pos);
        const std::string_view t = q.substr(pos, end - pos);
        pos = end;
        if (nested == 0 && t == "{") {
            out += out.empty() ? "{" : " {";
            newline(out, ++depth);
        } else if (nested == 0 && t == "}") {
            newline(out, --depth);
            out += '}';
        } else {
            const bool selection = nested == 0 && depth > 0 && (isWordChar(t[0]) || t == "...") &&
                                   isValueLike(prev) && t != "on" && prev != "on";
            if (selection)
                newline(out, depth);
            else if (nested > 0 && isValueLike(prev) &&
                     (isWordChar(t[0]) || t[0] == '"' || t == "$" || t == "{" || t == "["))
                out += ", ";
            else if (!out.empty() && out.back() != '\n' && out.back() != ' ' && prev != "(" && prev != "[" &&
                     prev != "$" && prev != "@" && (prev != "..." || t == "on") && t != ")" && t != "]" &&
                     t != ":" && t != "(" && t != "!")
                out += ' ';
            if (t == "(" || t == "[" || t == "{") ++nested;
            if (t == ")" || t == "]" || t == "}") --nested;
            out += t;
        }
        prev = t;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    return out;
}

std::unique_ptr<ValueDecoder> makeDecoder(Protocol which) {
    return std::make_unique<Decoder>(which);
}

}  // namespace framescope::decoders::graphql
