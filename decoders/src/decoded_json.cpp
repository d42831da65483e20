// Decoded values as JSON (see decoded.h for the shape).
#include "framescope/decoders/decoded.h"

namespace framescope::decoders {
namespace {

void appendNode(std::string& out, const Node& node) {
    out += "{\"name\":";
    appendJsonString(out, node.name);
    out += ",\"value\":";
    appendJsonString(out, node.value);
    out += ",\"offset\":" + std::to_string(node.span.offset);
    out += ",\"length\":" + std::to_string(node.span.length);
    if (!node.children.empty()) {
        out += ",\"children\":[";
        for (size_t i = 0; i < node.children.size(); ++i) {
            if (i) out += ',';
            appendNode(out, node.children[i]);
        }
        out += ']';
    }
    out += '}';
}

}  // namespace

std::string toJson(const Decoded& d) {
    std::string out = "{\"protocol\":";
    appendJsonString(out, protocolName(d.protocol));
    out += ",\"type\":";
    appendJsonString(out, d.type);
    out += ",\"summary\":";
    appendJsonString(out, d.summary);
    out += d.error ? ",\"error\":true" : ",\"error\":false";
    out += d.pending ? ",\"pending\":true" : ",\"pending\":false";
    out += ",\"fields\":[";
    for (size_t i = 0; i < d.fields.size(); ++i) {
        out += i ? ",{\"name\":" : "{\"name\":";
        appendJsonString(out, d.fields[i].name);
        out += ",\"value\":";
        appendJsonString(out, d.fields[i].value);
        out += '}';
    }
    out += "],\"pairs\":[";
    for (size_t i = 0; i < d.pairs.size(); ++i) {
        out += i ? ",{\"role\":" : "{\"role\":";
        out += d.pairs[i].role == PairKey::Role::Request ? "\"request\"" : "\"response\"";
        out += ",\"key\":";
        appendJsonString(out, d.pairs[i].key);
        out += '}';
    }
    out += "],\"tree\":";
    appendNode(out, d.root);
    out += '}';
    return out;
}

}  // namespace framescope::decoders
