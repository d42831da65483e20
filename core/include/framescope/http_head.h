// An incremental parser for one HTTP/1.1 message head (request line or status line, then header fields,
// RFC 7230 §3). It stops at the empty line: bytes after it belong to the caller (the WebSocket stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "framescope/parse_status.h"

namespace framescope {

inline constexpr size_t kDefaultMaxHeadSize = 16 * 1024;

// RFC 7230 §3.2.6 tchar, and helpers shared by the handshake code.
bool isHttpTokenChar(char c) noexcept;
bool isHttpToken(std::string_view text) noexcept;
// RFC 7230 §5.4: Host = uri-host [ ":" port ] with RFC 3986 §3.2.2's uri-host (IP-literal, IPv4address or
// reg-name) and a port of digits (at most 65535). False for anything else, empty included.
bool isValidHostHeader(std::string_view host) noexcept;
bool asciiEqualIgnoreCase(std::string_view a, std::string_view b) noexcept;
// True if the comma-separated list `list` has an element equal to `token`, ASCII case-insensitively.
bool listContainsToken(std::string_view list, std::string_view token) noexcept;
// The elements of a comma-separated list, trimmed, empty elements dropped (RFC 7230 §7).
std::vector<std::string_view> splitList(std::string_view list);

struct HttpHeader {
    std::string name;   // as received
    std::string value;  // leading and trailing whitespace removed
};

// Header fields in arrival order. Names compare ASCII case-insensitively; repeats are kept.
class HttpHeaders {
public:
    void add(std::string name, std::string value);
    const std::vector<HttpHeader>& all() const noexcept { return fields_; }
    size_t count(std::string_view name) const noexcept;
    bool contains(std::string_view name) const noexcept { return count(name) != 0; }
    // The first field named `name`.
    std::optional<std::string_view> first(std::string_view name) const noexcept;
    // All fields named `name` joined with ", " (RFC 7230 §3.2.2), for list-valued headers.
    std::string joined(std::string_view name) const;
    // True if any field named `name` lists `token` (case-insensitive), e.g. Connection: keep-alive, Upgrade.
    bool hasToken(std::string_view name, std::string_view token) const noexcept;

private:
    std::vector<HttpHeader> fields_;
};

enum class HttpHeadKind : uint8_t { Request, Response };

struct HttpHead {
    HttpHeadKind kind = HttpHeadKind::Request;
    std::string method;  // requests
    std::string target;  // requests: origin-form, e.g. "/chat?room=1"
    int status = 0;      // responses
    std::string reason;  // responses
    int versionMajor = 0;
    int versionMinor = 0;
    HttpHeaders headers;
    std::string raw;  // the exact bytes of the head, final empty line included
};

struct ParseResult {
    ParseStatus status = ParseStatus::NeedMore;
    size_t consumed = 0;  // bytes of this call's input that belong to the head
};

class HttpHeadParser {
public:
    explicit HttpHeadParser(HttpHeadKind kind, size_t maxHeadSize = kDefaultMaxHeadSize);

    // Feeds the next bytes. Done: the head is complete and `consumed` bytes of `bytes` were part of it.
    // NeedMore: all bytes were consumed. Error: see error(); further calls keep returning Error.
    ParseResult feed(std::span<const uint8_t> bytes);
    ParseResult feed(std::string_view bytes);

    ParseStatus status() const noexcept { return status_; }
    const HttpHead& head() const noexcept { return head_; }
    // Whether the error was the size limit (a server answers 431 rather than 400).
    bool tooLarge() const noexcept { return tooLarge_; }
    // One sentence describing the error, empty unless status() is Error.
    const std::string& error() const noexcept { return error_; }
    // The raw bytes received so far (the whole head once Done).
    const std::string& raw() const noexcept { return head_.raw; }

private:
    bool parseHead();
    bool parseStartLine(std::string_view line);
    bool parseRequestLine(std::string_view line);
    bool parseStatusLine(std::string_view line);
    bool parseVersion(std::string_view text);
    bool parseHeaderLine(std::string_view line);
    ParseResult fail(std::string sentence, size_t consumed);

    HttpHead head_;
    size_t maxHeadSize_;
    size_t lineLength_ = 0;  // bytes since the last LF
    ParseStatus status_ = ParseStatus::NeedMore;
    bool tooLarge_ = false;
    std::string error_;
};

}  // namespace framescope
