// A WebSocket session after the opening handshake, sans-I/O (RFC 6455 §5-§7, RFC 7692 §6-§7).
// Bytes in, events out: receive() the bytes read from the socket (split anywhere), then call
// nextEvent() until it returns false. Messages in, bytes out: send*() append a frame's bytes to a
// caller-owned buffer; automatic replies (pong, close reply, the close that fails the connection) are
// collected with takePendingOutput(). No sockets, threads, timers or clocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "framescope/byte_buffer.h"
#include "framescope/deflate.h"
#include "framescope/errors.h"
#include "framescope/frame.h"
#include "framescope/secure_random.h"
#include "framescope/utf8.h"

namespace framescope {

enum class Role : uint8_t { Client, Server };

struct SessionLimits {
    uint64_t maxFramePayload = 64ull << 20;  // one frame's payload as declared on the wire
    uint64_t maxMessageSize = 64ull << 20;   // a whole message, after inflation
};

struct SessionOptions {
    Role role = Role::Client;
    SessionLimits limits;
    bool autoPong = true;        // answer each ping with a pong carrying its payload
    bool autoCloseReply = true;  // answer the peer's close with a close echoing its code
    bool tolerateNonMinimalLength = false;
    std::optional<DeflateParams> deflate;  // permessage-deflate, if the handshake negotiated it
    int compressionLevel = 6;
};

enum class SessionState : uint8_t {
    Open,           // both directions open
    CloseSent,      // we sent a close frame and wait for the peer's
    CloseReceived,  // the peer sent a close frame and we have not answered yet
    Closed,         // both close frames exchanged; the TCP connection can go
    Failed,         // the peer broke the protocol; a close frame with the code is pending or sent
};
const char* sessionStateName(SessionState state) noexcept;

enum class EventKind : uint8_t {
    Frame,    // every frame received, data or control, valid or not (first)
    Message,  // a complete data message (after its last frame's Frame event)
    Ping,
    Pong,
    Close,
    ProtocolError,  // the peer broke the protocol; the session is Failed from here on
};

inline constexpr uint64_t kNoMessage = UINT64_MAX;

// One event. Views point into the session's buffers and stay valid until the next call to
// nextEvent() or receive().
struct Event {
    EventKind kind = EventKind::Frame;
    FrameHeader header{};                // Frame; the frame's header for the derived events too
    std::span<const uint8_t> rawHeader;  // Frame: header bytes as received
    // Frame: payload, unmasked (compressed if RSV1). Message: the message, inflated.
    // Ping/Pong: the payload. Close: the reason (after the status code).
    std::span<const uint8_t> payload;
    bool payloadComplete = true;         // Frame: false when a violation cut the frame short
    uint64_t messageIndex = kNoMessage;  // Frame of a data message, and Message
    uint8_t messageOpcode = 0;           // Message: opcode::kText or opcode::kBinary
    bool compressed = false;             // Message: it was sent with permessage-deflate
    uint64_t wireSize = 0;               // Message: payload bytes on the wire (before inflation)
    uint32_t fragments = 0;              // Message: number of frames
    uint16_t closeCode = 0;              // Close: the peer's code (1005 if none).
                                         // ProtocolError: the code we close with
    const char* error = nullptr;         // ProtocolError: one sentence citing the RFC section
};

struct SendOptions {
    size_t fragmentSize = 0;  // split the payload into frames of at most this many bytes; 0 = one frame
    bool compress = true;     // use permessage-deflate when it was negotiated
};

class Session {
public:
    explicit Session(const SessionOptions& options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    SessionState state() const noexcept { return state_; }
    Role role() const noexcept { return options_.role; }
    const SessionOptions& options() const noexcept { return options_; }

    // --- receiving ---
    void receive(std::span<const uint8_t> bytes);
    // Zero-copy alternative to receive(): write up to `n` bytes at prepareReceive(n), then commit.
    uint8_t* prepareReceive(size_t n);
    void commitReceive(size_t n) noexcept;
    bool nextEvent(Event& event);
    // Bytes received but not yet part of a complete frame.
    size_t bufferedBytes() const noexcept { return rx_.size() - rxRead_; }

    // --- sending (each appends one or more frames to `out`) ---
    LocalError sendText(std::string_view text, ByteBuffer& out, const SendOptions& options = {});
    LocalError sendBinary(std::span<const uint8_t> data, ByteBuffer& out, const SendOptions& options = {});
    LocalError sendPing(std::span<const uint8_t> payload, ByteBuffer& out);
    LocalError sendPong(std::span<const uint8_t> payload, ByteBuffer& out);
    // close_code::kNoStatus (1005) sends a close frame with an empty body.
    LocalError sendClose(uint16_t code, std::string_view reason, ByteBuffer& out);
    // A crafted frame, exactly as specified; checks nothing and leaves the session state alone.
    LocalError sendRaw(const RawFrameSpec& spec, ByteBuffer& out);
    // Fails the connection from our side (e.g. 1010 when a required extension was refused):
    // queues a close frame with `code` and moves to Failed.
    void fail(uint16_t code, std::string_view reason);

    // Automatic replies waiting to be written: appends them to `out` and forgets them.
    bool hasPendingOutput() const noexcept { return !pending_.empty(); }
    void takePendingOutput(ByteBuffer& out);

    uint64_t messagesReceived() const noexcept { return messagesReceived_; }

private:
    struct IncomingMessage;

    bool parseNextFrame();
    bool checkHeader(const FrameHeader& header, const char*& error, uint16_t& code) const;
    void startMessage(const FrameHeader& header);
    bool scanPartialText(const FrameHeader& header, std::span<uint8_t> arrived,
                         std::span<const uint8_t> rawHeader);
    void handleDataFrame(const FrameHeader& header, std::span<uint8_t> payload, size_t validated);
    void handleControlFrame(const FrameHeader& header, std::span<uint8_t> payload);
    bool appendMessageBytes(const FrameHeader& header, std::span<const uint8_t> payload, size_t validated);
    bool finishMessage(const FrameHeader& header);
    void emitProtocolError(const FrameHeader& header, uint16_t code, const char* error);
    bool checkSizes(const FrameHeader& header, const char*& error, uint16_t& code) const;
    void compactReceiveBuffer() noexcept;
    bool validateText(std::span<const uint8_t> bytes);
    void handleClose(const FrameHeader& header, std::span<const uint8_t> payload);
    void emitTruncatedFrame(const FrameHeader& header, std::span<const uint8_t> rawHeader);
    Event& pushEvent(EventKind kind, const FrameHeader& header);
    LocalError sendData(uint8_t op, std::span<const uint8_t> data, ByteBuffer& out,
                        const SendOptions& options);
    void writeFrame(uint8_t op, bool fin, bool rsv1, std::span<const uint8_t> payload, ByteBuffer& out);
    void queueClose(uint16_t code, std::string_view reason);

    SessionOptions options_;
    SessionState state_ = SessionState::Open;
    HeaderParseOptions headerOptions_;

    ByteBuffer rx_;      // received bytes; frames are unmasked in place
    size_t rxRead_ = 0;  // start of the first frame not yet parsed
    // The frame at rxRead_ is still arriving: its header passed the checks; partialScanned_ payload
    // bytes are already unmasked and UTF-8 checked; partialStartedMessage_ if that began its message.
    bool frameInProgress_ = false;
    size_t partialScanned_ = 0;
    bool partialStartedMessage_ = false;
    ByteBuffer message_;  // reassembly (fragmented) or inflation buffer, reused
    ByteBuffer pending_;  // automatic replies
    ByteBuffer scratch_;  // compressed outgoing message, reused

    static constexpr size_t kMaxQueuedEvents = 4;
    Event events_[kMaxQueuedEvents];
    size_t eventHead_ = 0;
    size_t eventCount_ = 0;

    // The data message being received.
    bool inMessage_ = false;
    uint8_t messageOpcode_ = 0;
    bool messageCompressed_ = false;
    uint64_t messageWireSize_ = 0;
    uint32_t messageFragments_ = 0;
    std::span<const uint8_t> singleFramePayload_;  // an unfragmented, uncompressed message
    Utf8Validator utf8_;
    uint64_t messagesReceived_ = 0;

    std::optional<MessageDeflater> deflater_;
    std::optional<MessageInflater> inflater_;
    SecureRandom random_;
};

}  // namespace framescope
