// permessage-deflate (RFC 7692): negotiation of its parameters and the per-message compressor and
// decompressor (zlib raw deflate, the 00 00 FF FF tail removed on send and restored on receive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "framescope/byte_buffer.h"

struct z_stream_s;

namespace framescope {

// Parameters in force on a connection after negotiation (RFC 7692 §7.1).
struct DeflateParams {
    int clientMaxWindowBits = 15;  // 9..15 (RFC 7692 allows 8; zlib's raw deflate cannot do 8)
    int serverMaxWindowBits = 15;
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;

    bool operator==(const DeflateParams&) const = default;
};

// What a client offers. 0 for a window size means "do not send the parameter"; for
// clientMaxWindowBits, -1 sends the parameter without a value ("I can honour a server limit").
struct DeflateOffer {
    int clientMaxWindowBits = -1;
    int serverMaxWindowBits = 0;
    bool clientNoContextTakeover = false;
    bool serverNoContextTakeover = false;
};

// What a server agrees to when a client offers permessage-deflate.
struct DeflateServerPolicy {
    bool enabled = true;
    int serverMaxWindowBits = 15;          // cap on our own window; we send server_max_window_bits if < 15
    bool serverNoContextTakeover = false;  // we announce server_no_context_takeover
    bool clientNoContextTakeover = false;  // we ask the client not to keep its context
};

// One element of a Sec-WebSocket-Extensions header: a name and its parameters (value may be empty).
struct ExtensionParam {
    std::string name;
    std::string value;
    bool hasValue = false;
};
struct ExtensionOffer {
    std::string name;
    std::vector<ExtensionParam> params;
};

// Parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1 grammar, quoted values allowed).
// Returns nullopt on a syntax error.
std::optional<std::vector<ExtensionOffer>> parseExtensionsHeader(std::string_view value);

// The header value a client sends for `offer`, e.g. "permessage-deflate; client_max_window_bits".
std::string formatDeflateOffer(const DeflateOffer& offer);

// Server side: picks the first acceptable permessage-deflate offer among `offers`. On success returns the
// parameters and sets `responseValue` to the extension value to put in the 101 response. Returns nullopt
// (and leaves responseValue empty) when no offer is acceptable or the policy is disabled.
std::optional<DeflateParams> negotiateDeflateAsServer(const std::vector<ExtensionOffer>& offers,
                                                      const DeflateServerPolicy& policy,
                                                      std::string& responseValue);

// Client side: checks the server's accepted permessage-deflate element against what we offered
// (RFC 7692 §7.1.1.1 - §7.1.2.2). On failure returns nullopt and sets `error` to one sentence.
std::optional<DeflateParams> acceptDeflateResponse(const ExtensionOffer& accepted, const DeflateOffer& offer,
                                                   std::string& error);

enum class DeflateStatus : uint8_t { Ok, TooBig, Corrupt };

// Compresses whole messages for one direction of one connection. windowBits is 9..15 (zlib's raw deflate
// rejects 8), level -1..9; anything else throws std::invalid_argument, a zlib failure std::runtime_error.
class MessageDeflater {
public:
    MessageDeflater(int windowBits, bool noContextTakeover, int level = 6);
    ~MessageDeflater();
    MessageDeflater(const MessageDeflater&) = delete;
    MessageDeflater& operator=(const MessageDeflater&) = delete;

    // Appends the compressed form of `message` to `out`, without the trailing 00 00 FF FF
    // (RFC 7692 §7.2.1). An empty message gives the single byte 0x00. Allocation-free once `out` has
    // grown to the needed size.
    void compress(std::span<const uint8_t> message, ByteBuffer& out);
    // Starts a new deflate stream with an empty window (after a message that was compressed but never
    // sent). Its output stays valid for the peer's inflater, which only holds more history.
    void restart() noexcept;

private:
    z_stream_s* stream_;
    bool noContextTakeover_;
};

// Decompresses messages for one direction of one connection, one frame's payload at a time. windowBits is
// 9..15 and must be at least the peer's; errors as for MessageDeflater. After TooBig or Corrupt the
// connection is expected to fail; the inflater is reset so that it stays safe to call.
class MessageInflater {
public:
    MessageInflater(int windowBits, bool noContextTakeover);
    ~MessageInflater();
    MessageInflater(const MessageInflater&) = delete;
    MessageInflater& operator=(const MessageInflater&) = delete;

    // Inflates `compressed` (a frame's payload) and appends the result to `out`. Fails with TooBig as
    // soon as `out` would exceed `limit` bytes (a deflate bomb stops here; out.size() never exceeds
    // `limit`), Corrupt on bad data. A block with BFINAL set ends the DEFLATE stream: the inflater
    // starts a new one for the bytes that follow, without the old window.
    DeflateStatus inflate(std::span<const uint8_t> compressed, ByteBuffer& out, size_t limit);
    // Ends a message: feeds the 00 00 FF FF tail (RFC 7692 §7.2.2) and resets the window when the
    // context is not taken over. Corrupt if the message does not end on a block boundary.
    DeflateStatus finishMessage(ByteBuffer& out, size_t limit);

private:
    DeflateStatus run(const uint8_t* in, size_t size, ByteBuffer& out, size_t limit);

    z_stream_s* stream_;
    bool noContextTakeover_;
    bool needTail_ = false;  // input was consumed since the stream (re)started, so the tail is due
};

}  // namespace framescope
