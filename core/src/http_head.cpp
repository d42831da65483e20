// HTTP/1.1 head parsing (RFC 7230 §3). The parser collects bytes until the empty line, then parses the
// whole head at once: heads are small and the limit bounds the work.
//
// Leniencies, where RFC 7230 allows them: a bare LF ends a line (§3.5); a status line may omit the space
// before an empty reason phrase. Not tolerated: obs-fold (§3.2.4), whitespace before the colon (§3.2.4),
// control characters in values, a bare CR.
#include "framescope/http_head.h"

namespace framescope {
namespace {

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// RFC 7230 §3.2: field-value characters are VCHAR, obs-text, SP and HTAB.
bool isFieldValueChar(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

}  // namespace

namespace {

bool isHexDigit(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 §2.3 unreserved and §2.2 sub-delims.
bool isUnreservedOrSubDelim(char c) noexcept {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alnum || std::string_view("-._~!$&'()*+,;=").find(c) != std::string_view::npos;
}

// RFC 3986 §3.2.2 reg-name (which also covers IPv4address): unreserved, pct-encoded, sub-delims.
bool isRegName(std::string_view name) noexcept {
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '%') {
            if (i + 2 >= name.size() || !isHexDigit(name[i + 1]) || !isHexDigit(name[i + 2])) return false;
            i += 2;
        } else if (!isUnreservedOrSubDelim(name[i])) {
            return false;
        }
    }
    return true;
}

// RFC 3986 §3.2.2 IP-literal without its brackets: an IPv6 address (hex, ':' and a dotted IPv4 tail) or
// IPvFuture ("v" HEXDIG+ "." (unreserved / sub-delims / ":")+).
bool isIpLiteralBody(std::string_view body) noexcept {
    if (body.empty()) return false;
    if (body[0] == 'v' || body[0] == 'V') {
        const size_t dot = body.find('.');
        if (dot == std::string_view::npos || dot < 2 || dot + 1 == body.size()) return false;
        for (char c : body.substr(1, dot - 1))
            if (!isHexDigit(c)) return false;
        for (char c : body.substr(dot + 1))
            if (!isUnreservedOrSubDelim(c) && c != ':') return false;
        return true;
    }
    if (body.find(':') == std::string_view::npos) return false;
    for (char c : body)
        if (!isHexDigit(c) && c != ':' && c != '.') return false;
    return true;
}

bool isPort(std::string_view port) noexcept {
    if (port.size() > 5) return false;
    unsigned value = 0;
    for (char c : port) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + unsigned(c - '0');
    }
    return value <= 65535;
}

}  // namespace

bool isValidHostHeader(std::string_view host) noexcept {
    if (host.empty()) return false;
    std::string_view rest;
    if (host.front() == '[') {
        const size_t close = host.find(']');
        if (close == std::string_view::npos || !isIpLiteralBody(host.substr(1, close - 1))) return false;
        rest = host.substr(close + 1);
    } else {
        const size_t colon = host.find(':');
        const std::string_view name = host.substr(0, colon);
        if (name.empty() || !isRegName(name)) return false;
        rest = colon == std::string_view::npos ? std::string_view() : host.substr(colon);
    }
    if (rest.empty()) return true;
    return rest.front() == ':' && isPort(rest.substr(1));
}

bool isHttpTokenChar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
            return true;
        default:
            return false;
    }
}

bool isHttpToken(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text) {
        if (!isHttpTokenChar(c)) return false;
    }
    return true;
}

bool asciiEqualIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::vector<std::string_view> splitList(std::string_view list) {
    std::vector<std::string_view> items;
    while (!list.empty()) {
        const size_t comma = list.find(',');
        std::string_view item = trim(list.substr(0, comma));
        if (!item.empty()) items.push_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return items;
}

bool listContainsToken(std::string_view list, std::string_view token) noexcept {
    while (true) {
        const size_t comma = list.find(',');
        if (asciiEqualIgnoreCase(trim(list.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) return false;
        list.remove_prefix(comma + 1);
    }
}

void HttpHeaders::add(std::string name, std::string value) {
    fields_.push_back({std::move(name), std::move(value)});
}

size_t HttpHeaders::count(std::string_view name) const noexcept {
    size_t n = 0;
    for (const HttpHeader& field : fields_)
        n += asciiEqualIgnoreCase(field.name, name) ? 1 : 0;
    return n;
}

std::optional<std::string_view> HttpHeaders::first(std::string_view name) const noexcept {
    for (const HttpHeader& field : fields_) {
        if (asciiEqualIgnoreCase(field.name, name)) return std::string_view(field.value);
    }
    return std::nullopt;
}

std::string HttpHeaders::joined(std::string_view name) const {
    std::string out;
    for (const HttpHeader& field : fields_) {
        if (!asciiEqualIgnoreCase(field.name, name)) continue;
        if (!out.empty()) out.append(", ");
        out.append(field.value);
    }
    return out;
}

bool HttpHeaders::hasToken(std::string_view name, std::string_view token) const noexcept {
    for (const HttpHeader& field : fields_) {
        if (asciiEqualIgnoreCase(field.name, name) && listContainsToken(field.value, token)) return true;
    }
    return false;
}

HttpHeadParser::HttpHeadParser(HttpHeadKind kind, size_t maxHeadSize) : maxHeadSize_(maxHeadSize) {
    head_.kind = kind;
}

ParseResult HttpHeadParser::feed(std::string_view bytes) {
    return feed(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

ParseResult HttpHeadParser::feed(std::span<const uint8_t> bytes) {
    if (status_ != ParseStatus::NeedMore) return {status_, 0};
    for (size_t i = 0; i < bytes.size(); ++i) {
        const char c = static_cast<char>(bytes[i]);
        head_.raw.push_back(c);
        if (head_.raw.size() > maxHeadSize_) {
            tooLarge_ = true;
            return fail("The HTTP head is larger than the " + std::to_string(maxHeadSize_) + "-byte limit.",
                        i + 1);
        }
        if (c != '\n') {
            ++lineLength_;
            continue;
        }
        // RFC 7230 §3: the head ends with an empty line (CRLF, or a bare LF per §3.5).
        const bool emptyLine =
            lineLength_ == 0 || (lineLength_ == 1 && head_.raw[head_.raw.size() - 2] == '\r');
        lineLength_ = 0;
        if (!emptyLine) continue;
        if (head_.raw.size() <= 2) {
            // RFC 7230 §3.5: a server SHOULD ignore at least one empty line before the request line.
            return fail("The HTTP message starts with an empty line.", i + 1);
        }
        if (!parseHead()) return {status_, i + 1};
        status_ = ParseStatus::Done;
        return {status_, i + 1};
    }
    return {ParseStatus::NeedMore, bytes.size()};
}

ParseResult HttpHeadParser::fail(std::string sentence, size_t consumed) {
    status_ = ParseStatus::Error;
    error_ = std::move(sentence);
    return {status_, consumed};
}

bool HttpHeadParser::parseHead() {
    std::string_view rest(head_.raw);
    bool first = true;
    while (true) {
        const size_t lf = rest.find('\n');
        std::string_view line = rest.substr(0, lf);
        rest.remove_prefix(lf + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) return true;  // the final empty line
        if (line.find('\r') != std::string_view::npos) {
            fail("The HTTP head contains a carriage return that does not end a line.", 0);
            return false;
        }
        if (!(first ? parseStartLine(line) : parseHeaderLine(line))) return false;
        first = false;
    }
}

bool HttpHeadParser::parseStartLine(std::string_view line) {
    return head_.kind == HttpHeadKind::Request ? parseRequestLine(line) : parseStatusLine(line);
}

bool HttpHeadParser::parseVersion(std::string_view text) {
    // RFC 7230 §2.6: HTTP-version = "HTTP/" DIGIT "." DIGIT
    if (text.size() != 8 || text.substr(0, 5) != "HTTP/" || !isDigit(text[5]) || text[6] != '.' ||
        !isDigit(text[7])) {
        return false;
    }
    head_.versionMajor = text[5] - '0';
    head_.versionMinor = text[7] - '0';
    return true;
}

bool HttpHeadParser::parseRequestLine(std::string_view line) {
    // RFC 7230 §3.1.1: request-line = method SP request-target SP HTTP-version
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        fail("The HTTP request line is not \"METHOD target HTTP/x.y\".", 0);
        return false;
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    bool targetOk = !target.empty();
    for (char c : target)
        targetOk = targetOk && static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
    if (!isHttpToken(method) || !targetOk || !parseVersion(line.substr(sp2 + 1))) {
        fail("The HTTP request line is not \"METHOD target HTTP/x.y\".", 0);
        return false;
    }
    head_.method = method;
    head_.target = target;
    return true;
}

bool HttpHeadParser::parseStatusLine(std::string_view line) {
    // RFC 7230 §3.1.2: status-line = HTTP-version SP status-code SP reason-phrase
    const bool shapeOk = line.size() >= 12 && line[8] == ' ' && isDigit(line[9]) && isDigit(line[10]) &&
                         isDigit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!shapeOk || !parseVersion(line.substr(0, 8))) {
        fail("The HTTP status line is not \"HTTP/x.y code reason\".", 0);
        return false;
    }
    head_.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (line.size() > 13) head_.reason = line.substr(13);
    for (char c : head_.reason) {
        if (!isFieldValueChar(c)) {
            fail("The HTTP reason phrase contains a control character.", 0);
            return false;
        }
    }
    return true;
}

bool HttpHeadParser::parseHeaderLine(std::string_view line) {
    // RFC 7230 §3.2.4: obs-fold (a line starting with whitespace) must be rejected.
    if (line.front() == ' ' || line.front() == '\t') {
        fail("The HTTP head uses obsolete line folding (RFC 7230 §3.2.4).", 0);
        return false;
    }
    const size_t colon = line.find(':');
    // RFC 7230 §3.2.4: no whitespace between the field name and the colon.
    if (colon == std::string_view::npos || !isHttpToken(line.substr(0, colon))) {
        fail("The HTTP header line \"" + std::string(line.substr(0, 64)) + "\" is malformed.", 0);
        return false;
    }
    const std::string_view value = trim(line.substr(colon + 1));
    for (char c : value) {
        if (!isFieldValueChar(c)) {
            fail("The HTTP header " + std::string(line.substr(0, colon)) + " contains a control character.",
                 0);
            return false;
        }
    }
    head_.headers.add(std::string(line.substr(0, colon)), std::string(value));
    return true;
}

}  // namespace framescope
