// STOMP 1.2 frames over WebSocket.
//
// Theory of operation. A message holds zero or more frames, each optionally preceded by end-of-lines (a
// message of only EOLs is a heart-beat, STOMP 1.2 "Heart-beating"). A frame is a command line, header lines
// up to an empty line, then the body: exactly content-length bytes when that header is present, otherwise up
// to the first NUL; a NUL always ends the frame. Header names and values are unescaped (\r \n \c \\) except
// in CONNECT and CONNECTED frames, as the spec's "Value Encoding" requires; any other escape is an error.
#include "framescope/decoders/stomp.h"

#include <algorithm>
#include <charconv>

#include "tree.h"

namespace framescope::decoders::stomp {
namespace {

using namespace detail;

constexpr std::string_view kCommands[] = {"CONNECT",     "STOMP",      "CONNECTED", "SEND",    "SUBSCRIBE",
                                          "UNSUBSCRIBE", "ACK",        "NACK",      "BEGIN",   "COMMIT",
                                          "ABORT",       "DISCONNECT", "MESSAGE",   "RECEIPT", "ERROR"};

bool escapesHeaders(std::string_view command) {
    return command != "CONNECT" && command != "CONNECTED";
}

void escapeInto(std::string& out, std::string_view s) {
    for (const char c : s) {
        switch (c) {
            case '\r':
                out += "\\r";
                break;
            case '\n':
                out += "\\n";
                break;
            case ':':
                out += "\\c";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                out += c;
        }
    }
}

bool unescape(std::string_view s, std::string& out) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i >= s.size()) return false;
        switch (s[i]) {
            case 'r':
                out += '\r';
                break;
            case 'n':
                out += '\n';
                break;
            case 'c':
                out += ':';
                break;
            case '\\':
                out += '\\';
                break;
            default:
                return false;  // STOMP 1.2: undefined escapes MUST be treated as fatal
        }
    }
    return true;
}

struct Parsed {
    Frame frame;
    Node node;
};

class Parser {
public:
    explicit Parser(std::string_view text) : t_(text) {}

    size_t skipEols() {
        const size_t start = pos_;
        for (;;) {
            if (pos_ < t_.size() && t_[pos_] == '\n')
                ++pos_;
            else if (t_.substr(pos_, 2) == "\r\n")
                pos_ += 2;
            else
                return pos_ - start;
        }
    }
    bool atEnd() const { return pos_ >= t_.size(); }
    size_t pos() const { return pos_; }

    // Reads one frame at pos_; on error fills `error` and `errorAt`.
    bool frame(Parsed& out, std::string& error, size_t& errorAt) {
        const size_t start = pos_;
        std::string_view line;
        if (!readLine(line)) return fail(error, errorAt, "frame ends before its command line does");
        out.frame.command = std::string(line);
        if (std::find(std::begin(kCommands), std::end(kCommands), line) == std::end(kCommands))
            return pos_ = start,
                   fail(error, errorAt, "unknown STOMP command \"" + std::string(line.substr(0, 20)) + "\"");
        out.node = group(out.frame.command);
        out.node.children.push_back(text("command", out.frame.command, spanOf(start, line.size())));
        Node headers = group("headers");
        const bool escaped = escapesHeaders(line);
        for (;;) {
            const size_t lineStart = pos_;
            if (!readLine(line)) return fail(error, errorAt, "frame ends inside its headers");
            if (line.empty()) break;
            const size_t colon = line.find(':');
            if (colon == std::string_view::npos)
                return pos_ = lineStart, fail(error, errorAt, "header line without ':'");
            std::string name, value;
            if (!escaped) {
                name = line.substr(0, colon), value = line.substr(colon + 1);
            } else if (!unescape(line.substr(0, colon), name) || !unescape(line.substr(colon + 1), value)) {
                return pos_ = lineStart, fail(error, errorAt, "undefined escape sequence in a header");
            }
            headers.children.push_back(text(name, value, spanOf(lineStart, line.size())));
            out.frame.headers.emplace_back(std::move(name), std::move(value));
        }
        out.node.children.push_back(std::move(headers));
        return body(out, error, errorAt) && (out.node.span = spanOf(start, pos_ - start), true);
    }

private:
    bool fail(std::string& error, size_t& errorAt, std::string message) {
        error = std::move(message);
        errorAt = pos_;
        return false;
    }
    bool readLine(std::string_view& line) {
        const size_t eol = t_.find('\n', pos_);
        if (eol == std::string_view::npos) return false;
        line = t_.substr(pos_, eol - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos_ = eol + 1;
        return true;
    }
    bool body(Parsed& out, std::string& error, size_t& errorAt) {
        const size_t start = pos_;
        size_t end = 0;
        if (const std::string* length = out.frame.header("content-length")) {
            size_t n = 0;
            const auto r = std::from_chars(length->data(), length->data() + length->size(), n);
            if (r.ec != std::errc{} || r.ptr != length->data() + length->size())
                return fail(error, errorAt, "content-length is not a number");
            if (n > t_.size() - start)
                return fail(error, errorAt, "content-length runs past the end of the message");
            end = start + n;
            if (end >= t_.size() || t_[end] != '\0')
                return pos_ = end, fail(error, errorAt, "no NUL after content-length bytes of body");
        } else {
            end = t_.find('\0', start);
            if (end == std::string_view::npos)
                return pos_ = t_.size(), fail(error, errorAt, "frame has no NUL terminator");
        }
        out.frame.body = std::string(t_.substr(start, end - start));
        pos_ = end + 1;
        if (!out.frame.body.empty()) {
            ParseError ignored;
            const auto json = parseJson(out.frame.body, &ignored, uint32_t(start));
            if (json && (json->isMap() || json->isArray()))
                out.node.children.push_back(valueNode("body", *json));
            else
                out.node.children.push_back(text("body", out.frame.body, spanOf(start, end - start)));
        }
        return true;
    }

    std::string_view t_;
    size_t pos_ = 0;
};

void describe(const Frame& f, Decoded& d) {
    const std::string& c = f.command;
    std::string summary = c;
    if (const std::string* destination = f.header("destination")) {
        summary += " " + *destination;
        d.fields.push_back({"destination", *destination});
    }
    if (c == "SEND" || c == "MESSAGE") summary += " (" + plural(f.body.size(), "byte") + ")";
    if (c == "CONNECT" || c == "STOMP") {
        if (const std::string* host = f.header("host")) summary += " " + *host;
        d.pairs.push_back({PairKey::Role::Request, "connect"});
    }
    if (c == "CONNECTED") {
        if (const std::string* version = f.header("version")) summary += " v" + *version;
        d.pairs.push_back({PairKey::Role::Response, "connect"});
    }
    if (const std::string* receipt = f.header("receipt")) {
        summary += " receipt " + *receipt;
        d.pairs.push_back({PairKey::Role::Request, "receipt:" + *receipt});
    }
    if (const std::string* receiptId = f.header("receipt-id")) {
        if (c == "RECEIPT") summary += " " + *receiptId;
        d.pairs.push_back({PairKey::Role::Response, "receipt:" + *receiptId});
    }
    if (c == "ERROR")
        if (const std::string* message = f.header("message")) summary += ": " + *message;
    if (d.summary.empty())
        d.summary = summary;
    else
        d.summary += "; " + summary;
}

}  // namespace

const std::string* Frame::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return &value;
    return nullptr;
}

std::string encode(const Frame& frame) {
    if (frame.command.empty()) return "\n";
    std::string out = frame.command + "\n";
    const bool escaped = escapesHeaders(frame.command);
    for (const auto& [name, value] : frame.headers) {
        if (escaped)
            escapeInto(out, name), out += ':', escapeInto(out, value);
        else
            out += name + ":" + value;
        out += '\n';
    }
    out += '\n';
    out += frame.body;
    out += '\0';
    return out;
}

Decoded Decoder::decode(const Message& message) {
    Parser parser(asText(message.bytes));
    Decoded d;
    d.protocol = Protocol::Stomp;
    std::vector<Parsed> frames;
    size_t eols = parser.skipEols();
    while (!parser.atEnd()) {
        Parsed parsed;
        std::string error;
        size_t errorAt = 0;
        if (!parser.frame(parsed, error, errorAt))
            return errorDecoded(Protocol::Stomp, error, uint32_t(errorAt));
        frames.push_back(std::move(parsed));
        eols += parser.skipEols();
    }
    last_.clear();
    if (frames.empty()) {
        if (eols == 0) return errorDecoded(Protocol::Stomp, "empty message");
        d.type = "heart-beat";
        d.summary = "heart-beat";
        d.root = group("heart-beat", spanOf(0, message.bytes.size()));
        last_.push_back(Frame{});
        return d;
    }
    for (Parsed& parsed : frames) {
        describe(parsed.frame, d);
        last_.push_back(std::move(parsed.frame));
    }
    d.type = last_.front().command;
    if (frames.size() == 1) {
        d.root = std::move(frames.front().node);
    } else {
        d.root = group(plural(frames.size(), "frame"));
        for (Parsed& parsed : frames)
            d.root.children.push_back(std::move(parsed.node));
    }
    return d;
}

}  // namespace framescope::decoders::stomp
