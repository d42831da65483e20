// permessage-deflate negotiation (RFC 7692 §7.1) over the Sec-WebSocket-Extensions grammar of
// RFC 6455 §9.1. The compressor and decompressor live in deflate.cpp.
//
// Leniencies, where the RFCs leave room:
// - Extension and parameter names compare ASCII case-insensitively.
// - Empty list elements (", ,") are skipped, as RFC 7230 §7 asks of recipients; at least one extension
//   must remain.
// - A client offer of client_max_window_bits=8 is accepted but its value ignored: we answer without the
//   parameter, so the client may use any window, and we inflate with a 15-bit window (RFC 7692 §7.1.2.2
//   lets a server ignore the value). A value of 9..15 is echoed so both sides agree on the smaller window.
// - A server's server_max_window_bits=8 is accepted by a client: our inflater uses 9, which decodes data
//   produced with an 8-bit window.
#include <string>

#include "framescope/deflate.h"
#include "framescope/http_head.h"

namespace framescope {
namespace {

constexpr std::string_view kDeflateName = "permessage-deflate";
constexpr std::string_view kServerNoContext = "server_no_context_takeover";
constexpr std::string_view kClientNoContext = "client_no_context_takeover";
constexpr std::string_view kServerWindow = "server_max_window_bits";
constexpr std::string_view kClientWindow = "client_max_window_bits";

// A cursor over the header value; every reader skips the optional whitespace before it.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    void skipSpace() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
            ++pos_;
    }
    bool atEnd() {
        skipSpace();
        return pos_ == text_.size();
    }
    bool consume(char c) {
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    std::optional<std::string> token() {
        skipSpace();
        const size_t start = pos_;
        while (pos_ < text_.size() && isHttpTokenChar(text_[pos_]))
            ++pos_;
        if (pos_ == start) return std::nullopt;
        return std::string(text_.substr(start, pos_ - start));
    }
    // RFC 7230 §3.2.6 quoted-string, unescaped. RFC 6455 §9.1: the unescaped value must be a token.
    std::optional<std::string> quotedToken() {
        skipSpace();
        if (pos_ >= text_.size() || text_[pos_] != '"') return std::nullopt;
        ++pos_;
        std::string value;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_++];
            if (c == '\\') {
                if (pos_ >= text_.size()) return std::nullopt;
                c = text_[pos_++];
            }
            if (!isHttpTokenChar(c)) return std::nullopt;
            value.push_back(c);
        }
        if (pos_ >= text_.size() || value.empty()) return std::nullopt;
        ++pos_;  // closing quote
        return value;
    }
    bool peekQuote() {
        skipSpace();
        return pos_ < text_.size() && text_[pos_] == '"';
    }

private:
    std::string_view text_;
    size_t pos_ = 0;
};

std::optional<ExtensionParam> parseParam(Scanner& scanner) {
    ExtensionParam param;
    auto name = scanner.token();
    if (!name) return std::nullopt;
    param.name = std::move(*name);
    if (scanner.consume('=')) {
        auto value = scanner.peekQuote() ? scanner.quotedToken() : scanner.token();
        if (!value) return std::nullopt;
        param.value = std::move(*value);
        param.hasValue = true;
    }
    return param;
}

// RFC 7692 §7.1.2.1 / §7.1.2.2: "a decimal integer value without leading zeros between 8 to 15".
// Returns 0 when the value is not one.
int parseWindowBits(const ExtensionParam& param) {
    const std::string& v = param.value;
    if (!param.hasValue || v.empty() || v.size() > 2 || v[0] == '0') return 0;
    int bits = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return 0;
        bits = bits * 10 + (c - '0');
    }
    return bits >= 8 && bits <= 15 ? bits : 0;
}

// The parameters of one offer, each seen at most once (RFC 7692 §7.1: a duplicate declines the offer).
struct SeenParams {
    const ExtensionParam* serverNoContext = nullptr;
    const ExtensionParam* clientNoContext = nullptr;
    const ExtensionParam* serverWindow = nullptr;
    const ExtensionParam* clientWindow = nullptr;
};

// Sorts the params of `element` into `seen`. Returns the name of an unknown or repeated parameter, or an
// empty string when all are known and unique.
std::string classifyParams(const ExtensionOffer& element, SeenParams& seen) {
    for (const ExtensionParam& param : element.params) {
        const ExtensionParam** slot = nullptr;
        if (asciiEqualIgnoreCase(param.name, kServerNoContext))
            slot = &seen.serverNoContext;
        else if (asciiEqualIgnoreCase(param.name, kClientNoContext))
            slot = &seen.clientNoContext;
        else if (asciiEqualIgnoreCase(param.name, kServerWindow))
            slot = &seen.serverWindow;
        else if (asciiEqualIgnoreCase(param.name, kClientWindow))
            slot = &seen.clientWindow;
        if (slot == nullptr || *slot != nullptr) return param.name;
        *slot = &param;
    }
    return {};
}

void appendParam(std::string& out, std::string_view name, int value = 0) {
    out.append("; ").append(name);
    if (value > 0) out.append("=").append(std::to_string(value));
}

// One client offer judged by the server. nullopt declines it (RFC 7692 §7.1: try the next one).
std::optional<DeflateParams> judgeOffer(const ExtensionOffer& offer, const DeflateServerPolicy& policy,
                                        std::string& responseValue) {
    SeenParams seen;
    if (!classifyParams(offer, seen).empty()) return std::nullopt;
    // RFC 7692 §7.1.1.1 / §7.1.1.2: the no_context_takeover parameters have no value.
    if ((seen.serverNoContext && seen.serverNoContext->hasValue) ||
        (seen.clientNoContext && seen.clientNoContext->hasValue)) {
        return std::nullopt;
    }
    DeflateParams params;
    const int cap = policy.serverMaxWindowBits < 9
                        ? 9
                        : (policy.serverMaxWindowBits > 15 ? 15 : policy.serverMaxWindowBits);
    params.serverMaxWindowBits = cap;
    if (seen.serverWindow) {
        // RFC 7692 §7.1.2.1: a value is required; zlib's raw deflate cannot honour 8, so decline.
        const int bits = parseWindowBits(*seen.serverWindow);
        if (bits < 9) return std::nullopt;
        params.serverMaxWindowBits = bits < cap ? bits : cap;
    }
    int echoedClientBits = 0;
    if (seen.clientWindow && seen.clientWindow->hasValue) {
        // RFC 7692 §7.1.2.2: the value is optional in an offer; 8 is accepted and ignored (see top).
        const int bits = parseWindowBits(*seen.clientWindow);
        if (bits == 0) return std::nullopt;
        if (bits >= 9) echoedClientBits = params.clientMaxWindowBits = bits;
    }
    params.serverNoContextTakeover = seen.serverNoContext != nullptr || policy.serverNoContextTakeover;
    params.clientNoContextTakeover = seen.clientNoContext != nullptr || policy.clientNoContextTakeover;

    responseValue.assign(kDeflateName);
    // RFC 7692 §7.1.1.1: accepting server_no_context_takeover means including it.
    if (params.serverNoContextTakeover) appendParam(responseValue, kServerNoContext);
    if (params.clientNoContextTakeover) appendParam(responseValue, kClientNoContext);
    // RFC 7692 §7.1.2.1: an offered server_max_window_bits must be answered with the same or a smaller
    // value; without an offer we may still announce our own limit.
    if (seen.serverWindow || params.serverMaxWindowBits < 15) {
        appendParam(responseValue, kServerWindow, params.serverMaxWindowBits);
    }
    // RFC 7692 §7.1.2.2: client_max_window_bits only in answer to an offer that has it.
    if (echoedClientBits != 0) appendParam(responseValue, kClientWindow, echoedClientBits);
    return params;
}

}  // namespace

std::optional<std::vector<ExtensionOffer>> parseExtensionsHeader(std::string_view value) {
    // RFC 6455 §9.1: extension-list = 1#extension; extension = extension-token *( ";" extension-param )
    std::vector<ExtensionOffer> result;
    Scanner scanner(value);
    while (!scanner.atEnd()) {
        if (scanner.consume(',')) continue;  // RFC 7230 §7: empty list elements are ignored
        ExtensionOffer extension;
        auto name = scanner.token();
        if (!name) return std::nullopt;
        extension.name = std::move(*name);
        while (scanner.consume(';')) {
            auto param = parseParam(scanner);
            if (!param) return std::nullopt;
            extension.params.push_back(std::move(*param));
        }
        if (!scanner.atEnd() && !scanner.consume(',')) return std::nullopt;
        result.push_back(std::move(extension));
    }
    if (result.empty()) return std::nullopt;
    return result;
}

std::string formatDeflateOffer(const DeflateOffer& offer) {
    std::string out(kDeflateName);
    if (offer.serverNoContextTakeover) appendParam(out, kServerNoContext);
    if (offer.clientNoContextTakeover) appendParam(out, kClientNoContext);
    if (offer.serverMaxWindowBits > 0) appendParam(out, kServerWindow, offer.serverMaxWindowBits);
    if (offer.clientMaxWindowBits != 0) appendParam(out, kClientWindow, offer.clientMaxWindowBits);
    return out;
}

std::optional<DeflateParams> negotiateDeflateAsServer(const std::vector<ExtensionOffer>& offers,
                                                      const DeflateServerPolicy& policy,
                                                      std::string& responseValue) {
    responseValue.clear();
    if (!policy.enabled) return std::nullopt;
    for (const ExtensionOffer& offer : offers) {
        if (!asciiEqualIgnoreCase(offer.name, kDeflateName)) continue;
        if (auto params = judgeOffer(offer, policy, responseValue)) return params;
        responseValue.clear();
    }
    return std::nullopt;
}

std::optional<DeflateParams> acceptDeflateResponse(const ExtensionOffer& accepted, const DeflateOffer& offer,
                                                   std::string& error) {
    error.clear();
    auto fail = [&error](std::string sentence) {
        error = std::move(sentence);
        return std::nullopt;
    };
    if (!asciiEqualIgnoreCase(accepted.name, kDeflateName)) {
        return fail("The server accepted the extension \"" + accepted.name + "\", which we did not offer.");
    }
    SeenParams seen;
    if (std::string bad = classifyParams(accepted, seen); !bad.empty()) {
        return fail("The server's permessage-deflate response has an unknown or repeated parameter \"" + bad +
                    "\" (RFC 7692 §7.1).");
    }
    if ((seen.serverNoContext && seen.serverNoContext->hasValue) ||
        (seen.clientNoContext && seen.clientNoContext->hasValue)) {
        return fail(
            "The server gave a value to a no_context_takeover parameter, which takes none (RFC 7692 "
            "§7.1.1).");
    }
    // RFC 7692 §7.1.1.1: a server accepts our server_no_context_takeover by repeating it.
    if (offer.serverNoContextTakeover && !seen.serverNoContext) {
        return fail(
            "The server did not confirm the server_no_context_takeover we offered (RFC 7692 §7.1.1.1).");
    }
    DeflateParams params;
    params.serverNoContextTakeover = seen.serverNoContext != nullptr;
    params.clientNoContextTakeover = seen.clientNoContext != nullptr || offer.clientNoContextTakeover;
    if (seen.serverWindow) {
        // RFC 7692 §7.1.2.1: 8..15 and not larger than what we asked for.
        const int bits = parseWindowBits(*seen.serverWindow);
        if (bits == 0 || (offer.serverMaxWindowBits > 0 && bits > offer.serverMaxWindowBits)) {
            return fail(
                "The server's server_max_window_bits is invalid or larger than we offered (RFC 7692 "
                "§7.1.2.1).");
        }
        params.serverMaxWindowBits = bits < 9 ? 9 : bits;  // a 9-bit inflater reads 8-bit data
    } else if (offer.serverMaxWindowBits > 0) {
        return fail("The server did not confirm the server_max_window_bits we offered (RFC 7692 §7.1.2.1).");
    }
    if (offer.clientMaxWindowBits > 0)
        params.clientMaxWindowBits = offer.clientMaxWindowBits < 9 ? 9 : offer.clientMaxWindowBits;
    if (seen.clientWindow) {
        // RFC 7692 §7.1.2.2: only if we offered it, with a value 8..15 not above ours.
        if (offer.clientMaxWindowBits == 0) {
            return fail(
                "The server sent client_max_window_bits although we did not offer it (RFC 7692 §7.1.2.2).");
        }
        const int bits = parseWindowBits(*seen.clientWindow);
        if (bits == 0 || (offer.clientMaxWindowBits > 0 && bits > offer.clientMaxWindowBits)) {
            return fail(
                "The server's client_max_window_bits is invalid or larger than we offered (RFC 7692 "
                "§7.1.2.2).");
        }
        if (bits == 8) {
            return fail(
                "The server asked for an 8-bit compression window, which zlib cannot produce (RFC 7692 "
                "§7.1.2.2).");
        }
        params.clientMaxWindowBits = bits;
    }
    return params;
}

}  // namespace framescope
