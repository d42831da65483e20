// The opening handshake (RFC 6455 §4). Theory of operation: each role owns an HttpHeadParser; receive()
// feeds it until the head is complete, then validates the head once, in the order of the RFC's lists,
// stopping at the first violation. The outcome (state, error, sentence, negotiated values) never changes
// afterwards. Bytes after the head are left to the caller.
//
// Leniencies, where the RFC leaves room:
// - Header names and the tokens "websocket" and "upgrade" compare ASCII case-insensitively; the server
//   accepts an Upgrade list that merely contains "websocket" (§4.2.1 says "containing").
// - A server never fails a request over an unusable permessage-deflate offer; it answers without it.
// - A request without Sec-WebSocket-Version gets 426 (like a wrong version), telling the client we speak 13.
// - Subprotocol names compare exactly (case-sensitive), as the registry's values are.
#include "framescope/handshake.h"

#include "framescope/crypto.h"
#include "framescope/secure_random.h"

namespace framescope {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::array<uint8_t, 16> drawNonce(SecureRandom& random) {
    std::array<uint8_t, 16> nonce;
    random.fill(nonce);
    return nonce;
}

bool isFieldValue(std::string_view text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u != '\t' && (u < 0x20 || u == 0x7f)) return false;
    }
    return true;
}

// Host and request-target: visible characters only (no spaces, no CR/LF).
bool isVisible(std::string_view text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return false;
    }
    return !text.empty();
}

bool validWindowOffer(const DeflateOffer& offer) {
    // Our deflater cannot promise an 8-bit window (zlib raw deflate); the server's may be 8..15.
    const int c = offer.clientMaxWindowBits;
    const int s = offer.serverMaxWindowBits;
    return (c == -1 || c == 0 || (c >= 9 && c <= 15)) && (s == 0 || (s >= 8 && s <= 15));
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append(kCrlf);
}

std::string statusText(int status, std::string_view reason) {
    std::string text = std::to_string(status);
    if (!reason.empty()) text.append(" ").append(reason);
    return text;
}

}  // namespace

std::string_view httpReasonPhrase(int status) noexcept {
    switch (status) {
        case 101:
            return "Switching Protocols";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 426:
            return "Upgrade Required";
        case 431:
            return "Request Header Fields Too Large";
        default:
            return "";
    }
}

// ---- Client ----

ClientHandshake::ClientHandshake(ClientHandshakeOptions options, SecureRandom& random)
    : ClientHandshake(std::move(options), drawNonce(random)) {}

ClientHandshake::ClientHandshake(ClientHandshakeOptions options, const std::array<uint8_t, 16>& nonce)
    : options_(std::move(options)), parser_(HttpHeadKind::Response, options_.maxHeadSize) {
    if (validateOptions()) buildRequest(nonce);
}

bool ClientHandshake::validateOptions() {
    const ClientHandshakeOptions& o = options_;
    if (!isVisible(o.host)) {
        fail(HandshakeError::InvalidOptions,
             "The host must be non-empty and contain no spaces or line breaks.");
    } else if (o.resource.empty() || o.resource.front() != '/' || !isVisible(o.resource)) {
        fail(HandshakeError::InvalidOptions,
             "The resource must start with '/' and contain no spaces or line breaks.");
    } else if (o.origin && !isFieldValue(*o.origin)) {
        fail(HandshakeError::InvalidOptions,
             "The origin must not contain line breaks or control characters.");
    } else if (o.deflate && !validWindowOffer(*o.deflate)) {
        fail(HandshakeError::InvalidOptions,
             "The permessage-deflate window sizes must be 9..15 (client) and 8..15 (server).");
    }
    for (const std::string& protocol : o.subprotocols) {
        // RFC 6455 §4.1: each subprotocol is a token.
        if (!isHttpToken(protocol))
            fail(HandshakeError::InvalidOptions,
                 "The subprotocol \"" + protocol + "\" is not an HTTP token.");
    }
    for (const auto& [name, value] : o.extraHeaders) {
        if (!isHttpToken(name) || !isFieldValue(value)) {
            fail(HandshakeError::InvalidOptions,
                 "The extra header \"" + name + "\" has an invalid name or a line break in its value.");
        }
    }
    return state_ != HandshakeState::Failed;
}

void ClientHandshake::buildRequest(const std::array<uint8_t, 16>& nonce) {
    // RFC 6455 §4.1: the key is 16 random bytes, base64-encoded.
    key_ = base64Encode(std::span<const uint8_t>(nonce));
    expectedAccept_ = computeAcceptKey(key_);
    std::string& r = request_;
    r.append("GET ").append(options_.resource).append(" HTTP/1.1").append(kCrlf);
    appendHeader(r, "Host", options_.host);
    appendHeader(r, "Upgrade", "websocket");
    appendHeader(r, "Connection", "Upgrade");
    appendHeader(r, "Sec-WebSocket-Key", key_);
    appendHeader(r, "Sec-WebSocket-Version", "13");
    if (options_.origin) appendHeader(r, "Origin", *options_.origin);
    if (!options_.subprotocols.empty()) {
        std::string list;
        for (const std::string& protocol : options_.subprotocols) {
            if (!list.empty()) list.append(", ");
            list.append(protocol);
        }
        appendHeader(r, "Sec-WebSocket-Protocol", list);
    }
    if (options_.deflate) appendHeader(r, "Sec-WebSocket-Extensions", formatDeflateOffer(*options_.deflate));
    for (const auto& [name, value] : options_.extraHeaders)
        appendHeader(r, name, value);
    r.append(kCrlf);
}

HandshakeStep ClientHandshake::receive(std::string_view bytes) {
    return receive(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

HandshakeStep ClientHandshake::receive(std::span<const uint8_t> bytes) {
    if (state_ != HandshakeState::InProgress) {
        if (error_ == HandshakeError::UnexpectedStatus) appendExcerpt(bytes);
        return {state_, 0};
    }
    const ParseResult parsed = parser_.feed(bytes);
    if (parsed.status == ParseStatus::NeedMore) return {state_, parsed.consumed};
    if (parsed.status == ParseStatus::Error) {
        if (parser_.tooLarge()) {
            fail(HandshakeError::HeadTooLarge, "The server's response head exceeds the " +
                                                   std::to_string(options_.maxHeadSize) + "-byte limit.");
        } else {
            fail(HandshakeError::MalformedHead, parser_.error());
        }
        return {state_, parsed.consumed};
    }
    validateResponse();
    if (error_ == HandshakeError::UnexpectedStatus) appendExcerpt(bytes.subspan(parsed.consumed));
    return {state_, parsed.consumed};
}

void ClientHandshake::validateResponse() {
    const HttpHead& head = parser_.head();
    const HttpHeaders& headers = head.headers;
    // RFC 6455 §4.1 (validation 1): anything but 101 ends the handshake as plain HTTP.
    if (head.status != 101) {
        return fail(HandshakeError::UnexpectedStatus, "The server answered " +
                                                          statusText(head.status, head.reason) +
                                                          " instead of 101 Switching Protocols.");
    }
    if (head.versionMajor != 1 || head.versionMinor < 1) {
        return fail(HandshakeError::MalformedHead,
                    "The server answered 101 over HTTP/1.0, which cannot switch protocols.");
    }
    // RFC 6455 §4.1 (validation 2): Upgrade is "websocket", ASCII case-insensitive.
    const auto upgrade = headers.first("Upgrade");
    if (headers.count("Upgrade") != 1 || !asciiEqualIgnoreCase(*upgrade, "websocket")) {
        return fail(HandshakeError::BadUpgrade,
                    "The server's response lacks \"Upgrade: websocket\" (RFC 6455 §4.1).");
    }
    // RFC 6455 §4.1 (validation 3): Connection contains the token "Upgrade".
    if (!headers.hasToken("Connection", "upgrade")) {
        return fail(HandshakeError::BadConnection,
                    "The server's Connection header does not contain \"Upgrade\" (RFC 6455 §4.1).");
    }
    // RFC 6455 §4.1 (validation 4): Sec-WebSocket-Accept is base64(SHA-1(key + GUID)).
    const auto accept = headers.first("Sec-WebSocket-Accept");
    if (!accept) {
        return fail(HandshakeError::BadAccept,
                    "The server's response lacks Sec-WebSocket-Accept (RFC 6455 §4.1).");
    }
    if (headers.count("Sec-WebSocket-Accept") != 1 || *accept != expectedAccept_) {
        return fail(HandshakeError::BadAccept,
                    "The server's Sec-WebSocket-Accept does not match the key we sent (RFC 6455 §4.1).");
    }
    if (!checkExtensions() || !checkSubprotocol()) return;
    state_ = HandshakeState::Succeeded;
}

bool ClientHandshake::checkExtensions() {
    // RFC 6455 §4.1 (validation 5): only extensions we offered.
    const HttpHeaders& headers = parser_.head().headers;
    if (!headers.contains("Sec-WebSocket-Extensions")) return true;
    const auto elements = parseExtensionsHeader(headers.joined("Sec-WebSocket-Extensions"));
    if (!elements) {
        fail(HandshakeError::BadExtensionParams,
             "The server's Sec-WebSocket-Extensions header is malformed (RFC 6455 §9.1).");
        return false;
    }
    for (const ExtensionOffer& element : *elements) {
        if (!options_.deflate || !asciiEqualIgnoreCase(element.name, "permessage-deflate")) {
            fail(HandshakeError::UnexpectedExtension, "The server accepted the extension \"" + element.name +
                                                          "\", which we did not offer (RFC 6455 §4.1).");
            return false;
        }
        if (deflate_) {
            fail(HandshakeError::BadExtensionParams,
                 "The server accepted permessage-deflate twice (RFC 7692 §7).");
            return false;
        }
        std::string error;
        deflate_ = acceptDeflateResponse(element, *options_.deflate, error);
        if (!deflate_) {
            fail(HandshakeError::BadExtensionParams, error);
            return false;
        }
    }
    return true;
}

bool ClientHandshake::checkSubprotocol() {
    // RFC 6455 §4.1 (validation 6): at most one subprotocol, and one we offered.
    const HttpHeaders& headers = parser_.head().headers;
    const auto chosen = headers.first("Sec-WebSocket-Protocol");
    if (!chosen) return true;
    bool offered = false;
    for (const std::string& protocol : options_.subprotocols)
        offered = offered || protocol == *chosen;
    if (headers.count("Sec-WebSocket-Protocol") != 1 || !offered) {
        fail(HandshakeError::UnexpectedSubprotocol,
             options_.subprotocols.empty() ? "The server chose the subprotocol \"" + std::string(*chosen) +
                                                 "\" although we offered none (RFC 6455 §4.1)."
                                           : "The server chose the subprotocol \"" + std::string(*chosen) +
                                                 "\", which we did not offer (RFC 6455 §4.1).");
        return false;
    }
    subprotocol_ = *chosen;
    return true;
}

void ClientHandshake::fail(HandshakeError error, std::string sentence) {
    if (state_ == HandshakeState::Failed) return;  // the first reason wins
    state_ = HandshakeState::Failed;
    error_ = error;
    errorMessage_ = std::move(sentence);
    subprotocol_.clear();
    deflate_.reset();
}

void ClientHandshake::appendExcerpt(std::span<const uint8_t> bytes) {
    const size_t room = kBodyExcerptSize - bodyExcerpt_.size();
    const size_t n = bytes.size() < room ? bytes.size() : room;
    bodyExcerpt_.append(reinterpret_cast<const char*>(bytes.data()), n);
}

// ---- Server ----

ServerHandshake::ServerHandshake(ServerHandshakeOptions options)
    : options_(std::move(options)), parser_(HttpHeadKind::Request, options_.maxHeadSize) {}

HandshakeStep ServerHandshake::receive(std::string_view bytes) {
    return receive(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

HandshakeStep ServerHandshake::receive(std::span<const uint8_t> bytes) {
    if (state_ != HandshakeState::InProgress) return {state_, 0};
    const ParseResult parsed = parser_.feed(bytes);
    if (parsed.status == ParseStatus::NeedMore) return {state_, parsed.consumed};
    if (parsed.status == ParseStatus::Error) {
        if (parser_.tooLarge()) {
            // RFC 6585 §5: 431 for an oversized head.
            fail(HandshakeError::HeadTooLarge, 431,
                 "The request head exceeds the " + std::to_string(options_.maxHeadSize) + "-byte limit.");
        } else {
            fail(HandshakeError::MalformedHead, 400, parser_.error());
        }
        return {state_, parsed.consumed};
    }
    validateRequest();
    return {state_, parsed.consumed};
}

void ServerHandshake::validateRequest() {
    const HttpHead& head = parser_.head();
    // RFC 6455 §4.2.1 item 1: an HTTP/1.1 or higher GET request.
    if (head.method != "GET") {
        return fail(HandshakeError::BadMethod, 400,
                    "The request method is " + head.method + ", not GET (RFC 6455 §4.2.1).");
    }
    if (head.versionMajor < 1 || (head.versionMajor == 1 && head.versionMinor < 1)) {
        return fail(HandshakeError::BadHttpVersion, 400,
                    "The request is not HTTP/1.1 or higher (RFC 6455 §4.2.1).");
    }
    // RFC 6455 §4.2.1 item 2 and RFC 7230 §5.4: exactly one Host.
    const auto host = head.headers.first("Host");
    if (head.headers.count("Host") != 1 || host->empty()) {
        return fail(HandshakeError::BadHost, 400,
                    "The request has no Host header, or more than one (RFC 6455 §4.2.1).");
    }
    if (!isValidHostHeader(*host)) {
        return fail(HandshakeError::BadHost, 400,
                    "The request's Host header is not a host and optional port (RFC 7230 §5.4).");
    }
    if (!checkUpgradeHeaders() || !checkKeyAndVersion() || !checkOrigin() || !negotiate()) return;
    buildSwitchingResponse();
    state_ = HandshakeState::Succeeded;
}

bool ServerHandshake::checkUpgradeHeaders() {
    const HttpHeaders& headers = parser_.head().headers;
    // RFC 6455 §4.2.1 item 3: an Upgrade header containing "websocket" (case-insensitive).
    if (!headers.hasToken("Upgrade", "websocket")) {
        fail(HandshakeError::BadUpgrade, 400,
             "The request's Upgrade header does not contain \"websocket\" (RFC 6455 §4.2.1).");
        return false;
    }
    // RFC 6455 §4.2.1 item 4: a Connection header containing "Upgrade" (case-insensitive).
    if (!headers.hasToken("Connection", "upgrade")) {
        fail(HandshakeError::BadConnection, 400,
             "The request's Connection header does not contain \"Upgrade\" (RFC 6455 §4.2.1).");
        return false;
    }
    return true;
}

bool ServerHandshake::checkKeyAndVersion() {
    const HttpHeaders& headers = parser_.head().headers;
    // RFC 6455 §4.2.1 item 6 and §4.4: version 13 only; otherwise 426 with the versions we speak.
    if (headers.count("Sec-WebSocket-Version") != 1 || *headers.first("Sec-WebSocket-Version") != "13") {
        fail(HandshakeError::UnsupportedVersion, 426,
             "The request's Sec-WebSocket-Version is not 13, the only version this server speaks (RFC 6455 "
             "§4.4).");
        return false;
    }
    // RFC 6455 §4.2.1 item 5: one Sec-WebSocket-Key that decodes to 16 bytes.
    const auto key = headers.first("Sec-WebSocket-Key");
    if (!key) {
        fail(HandshakeError::BadKey, 400, "The request lacks Sec-WebSocket-Key (RFC 6455 §4.2.1).");
        return false;
    }
    const auto decoded = base64Decode(*key);
    if (headers.count("Sec-WebSocket-Key") != 1 || !decoded || decoded->size() != 16) {
        fail(HandshakeError::BadKey, 400,
             "The request's Sec-WebSocket-Key is not 16 bytes in base64 (RFC 6455 §4.2.1).");
        return false;
    }
    clientKey_ = *key;
    return true;
}

bool ServerHandshake::checkOrigin() {
    // RFC 6455 §4.2.2 step 4 and §10.2: a server may refuse origins it does not trust, with 403.
    const auto origin = parser_.head().headers.first("Origin");
    if (options_.allowedOrigins.empty() || !origin) return true;
    for (const std::string& allowed : options_.allowedOrigins) {
        if (asciiEqualIgnoreCase(allowed, *origin)) return true;
    }
    fail(HandshakeError::OriginNotAllowed, 403,
         "The origin " + std::string(*origin) + " is not allowed here (RFC 6455 §10.2).");
    return false;
}

bool ServerHandshake::negotiate() {
    const HttpHeaders& headers = parser_.head().headers;
    // RFC 6455 §4.2.2 step 5.4 /subprotocol/: the first of ours the client also offered.
    const std::string offeredList = headers.joined("Sec-WebSocket-Protocol");
    const std::vector<std::string_view> offered = splitList(offeredList);
    for (const std::string& ours : options_.subprotocols) {
        bool found = false;
        for (std::string_view theirs : offered)
            found = found || theirs == ours;
        if (found) {
            subprotocol_ = ours;
            break;
        }
    }
    // RFC 6455 §9.1 and RFC 7692 §7.1: extensions; a malformed header is a bad request.
    if (!headers.contains("Sec-WebSocket-Extensions")) return true;
    const auto offers = parseExtensionsHeader(headers.joined("Sec-WebSocket-Extensions"));
    if (!offers) {
        fail(HandshakeError::BadExtensionParams, 400,
             "The request's Sec-WebSocket-Extensions header is malformed (RFC 6455 §9.1).");
        return false;
    }
    deflate_ = negotiateDeflateAsServer(*offers, options_.deflate, extensionResponse_);
    return true;
}

void ServerHandshake::buildSwitchingResponse() {
    // RFC 6455 §4.2.2 step 5.
    responseStatus_ = 101;
    std::string& r = response_;
    r.append("HTTP/1.1 101 Switching Protocols").append(kCrlf);
    appendHeader(r, "Upgrade", "websocket");
    appendHeader(r, "Connection", "Upgrade");
    char accept[kAcceptKeySize];
    computeAcceptKey(clientKey_, accept);
    appendHeader(r, "Sec-WebSocket-Accept", std::string_view(accept, kAcceptKeySize));
    if (!subprotocol_.empty()) appendHeader(r, "Sec-WebSocket-Protocol", subprotocol_);
    if (deflate_) appendHeader(r, "Sec-WebSocket-Extensions", extensionResponse_);
    r.append(kCrlf);
}

void ServerHandshake::fail(HandshakeError error, int status, std::string sentence) {
    state_ = HandshakeState::Failed;
    error_ = error;
    errorMessage_ = std::move(sentence);
    subprotocol_.clear();
    deflate_.reset();
    responseStatus_ = status;
    const std::string body = errorMessage_ + "\n";
    std::string& r = response_;
    r.assign("HTTP/1.1 ").append(statusText(status, httpReasonPhrase(status))).append(kCrlf);
    if (status == 426) {
        // RFC 6455 §4.4: name the versions we speak; RFC 7231 §6.5.15: a 426 carries Upgrade.
        appendHeader(r, "Sec-WebSocket-Version", "13");
        appendHeader(r, "Upgrade", "websocket");
        appendHeader(r, "Connection", "Upgrade, close");
    } else {
        appendHeader(r, "Connection", "close");
    }
    appendHeader(r, "Content-Type", "text/plain; charset=utf-8");
    appendHeader(r, "Content-Length", std::to_string(body.size()));
    r.append(kCrlf).append(body);
}

}  // namespace framescope
