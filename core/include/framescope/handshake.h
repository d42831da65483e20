// The WebSocket opening handshake (RFC 6455 §4), both roles, sans-I/O: the client builds its request and
// validates the response; the server validates the request and builds its response. Bytes after the HTTP
// head are never consumed: they are the first bytes of the WebSocket stream.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framescope/deflate.h"
#include "framescope/http_head.h"

namespace framescope {

class SecureRandom;

enum class HandshakeState : uint8_t { InProgress, Succeeded, Failed };

// Why a handshake failed. The sentence from errorMessage() says it for people.
enum class HandshakeError : uint8_t {
    None,
    InvalidOptions,  // caller misuse: CR/LF in a header, a bad token, a bad window size
    MalformedHead,   // the peer's HTTP head does not parse
    HeadTooLarge,    // the peer's HTTP head exceeds maxHeadSize
    // Client side: the server's response
    UnexpectedStatus,       // not 101 Switching Protocols
    BadUpgrade,             // Upgrade missing or not "websocket"
    BadConnection,          // Connection lacks the "upgrade" token
    BadAccept,              // Sec-WebSocket-Accept missing or wrong
    UnexpectedExtension,    // an extension we did not offer
    BadExtensionParams,     // permessage-deflate parameters we cannot accept, or a malformed header
    UnexpectedSubprotocol,  // a subprotocol we did not offer
    // Server side: the client's request
    BadMethod,           // not GET
    BadHttpVersion,      // below HTTP/1.1
    BadHost,             // Host missing or repeated
    BadKey,              // Sec-WebSocket-Key missing, repeated or not 16 bytes of base64
    UnsupportedVersion,  // Sec-WebSocket-Version is not 13 (answered with 426)
    OriginNotAllowed,    // Origin not in the allowed list (answered with 403)
};

// What a step of receive() did. On Succeeded, `consumed` bytes of the input were the HTTP head and the
// rest belongs to the WebSocket stream. On InProgress, all input was consumed.
struct HandshakeStep {
    HandshakeState state = HandshakeState::InProgress;
    size_t consumed = 0;
};

struct ClientHandshakeOptions {
    std::string host;            // Host header value, with ":port" when not the scheme's default
    std::string resource = "/";  // path and query, e.g. "/chat?room=1"
    std::optional<std::string> origin;
    std::vector<std::string> subprotocols;  // offered in this order
    std::optional<DeflateOffer> deflate;    // offer permessage-deflate when set
    // Appended verbatim after the standard headers (no deduplication, no overriding).
    std::vector<std::pair<std::string, std::string>> extraHeaders;
    size_t maxHeadSize = kDefaultMaxHeadSize;
};

class ClientHandshake {
public:
    // Draws the 16-byte nonce from `random` (RFC 6455 §4.1). Invalid options leave the handshake Failed
    // with InvalidOptions and an empty request().
    ClientHandshake(ClientHandshakeOptions options, SecureRandom& random);
    // With a caller-chosen nonce: reproducible tests and replays only.
    ClientHandshake(ClientHandshakeOptions options, const std::array<uint8_t, 16>& nonce);

    // The full request text to send.
    const std::string& request() const noexcept { return request_; }
    const std::string& key() const noexcept { return key_; }
    const std::string& expectedAccept() const noexcept { return expectedAccept_; }

    // Feeds response bytes. After a failure because of the status, further bytes extend bodyExcerpt().
    HandshakeStep receive(std::span<const uint8_t> bytes);
    HandshakeStep receive(std::string_view bytes);

    HandshakeState state() const noexcept { return state_; }
    HandshakeError error() const noexcept { return error_; }
    const std::string& errorMessage() const noexcept { return errorMessage_; }

    // The response head (status, reason, headers, raw bytes); complete once the head has been parsed.
    const HttpHead& response() const noexcept { return parser_.head(); }
    const std::string& responseHead() const noexcept { return parser_.raw(); }
    // Up to kBodyExcerptSize bytes that followed a non-101 head (e.g. an error page).
    const std::string& bodyExcerpt() const noexcept { return bodyExcerpt_; }
    // Negotiated on success: the subprotocol (empty for none) and permessage-deflate parameters.
    const std::string& subprotocol() const noexcept { return subprotocol_; }
    const std::optional<DeflateParams>& deflate() const noexcept { return deflate_; }

    static constexpr size_t kBodyExcerptSize = 512;

private:
    void buildRequest(const std::array<uint8_t, 16>& nonce);
    bool validateOptions();
    void validateResponse();
    bool checkExtensions();
    bool checkSubprotocol();
    void fail(HandshakeError error, std::string sentence);
    void appendExcerpt(std::span<const uint8_t> bytes);

    ClientHandshakeOptions options_;
    HttpHeadParser parser_;
    std::string request_;
    std::string key_;
    std::string expectedAccept_;
    std::string subprotocol_;
    std::optional<DeflateParams> deflate_;
    std::string bodyExcerpt_;
    HandshakeState state_ = HandshakeState::InProgress;
    HandshakeError error_ = HandshakeError::None;
    std::string errorMessage_;
};

struct ServerHandshakeOptions {
    std::vector<std::string> subprotocols;  // supported, in our order of preference
    DeflateServerPolicy deflate;
    size_t maxHeadSize = kDefaultMaxHeadSize;
    // When not empty, a request whose Origin is not listed (ASCII case-insensitive) gets 403. A request
    // without Origin (not a browser) is always allowed (RFC 6455 §10.2).
    std::vector<std::string> allowedOrigins;
};

class ServerHandshake {
public:
    explicit ServerHandshake(ServerHandshakeOptions options);

    // Feeds request bytes. Succeeded and Failed both leave a response() to send.
    HandshakeStep receive(std::span<const uint8_t> bytes);
    HandshakeStep receive(std::string_view bytes);

    HandshakeState state() const noexcept { return state_; }
    HandshakeError error() const noexcept { return error_; }
    const std::string& errorMessage() const noexcept { return errorMessage_; }

    // The text to send back: 101 on success; 400, 403, 426 or 431 with a short body on failure.
    // Empty while InProgress.
    const std::string& response() const noexcept { return response_; }
    int responseStatus() const noexcept { return responseStatus_; }

    const HttpHead& request() const noexcept { return parser_.head(); }
    const std::string& requestHead() const noexcept { return parser_.raw(); }
    const std::string& path() const noexcept { return parser_.head().target; }
    const HttpHeaders& headers() const noexcept { return parser_.head().headers; }
    const std::string& subprotocol() const noexcept { return subprotocol_; }
    const std::optional<DeflateParams>& deflate() const noexcept { return deflate_; }

private:
    void validateRequest();
    bool checkUpgradeHeaders();
    bool checkKeyAndVersion();
    bool checkOrigin();
    bool negotiate();
    void buildSwitchingResponse();
    void fail(HandshakeError error, int status, std::string sentence);

    ServerHandshakeOptions options_;
    HttpHeadParser parser_;
    std::string clientKey_;
    std::string subprotocol_;
    std::optional<DeflateParams> deflate_;
    std::string extensionResponse_;
    std::string response_;
    int responseStatus_ = 0;
    HandshakeState state_ = HandshakeState::InProgress;
    HandshakeError error_ = HandshakeError::None;
    std::string errorMessage_;
};

// "Switching Protocols", "Bad Request", ... for the status codes the handshake deals with; else "".
std::string_view httpReasonPhrase(int status) noexcept;

}  // namespace framescope
