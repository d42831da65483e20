// A WebSocket session after the opening handshake, sans-I/O (RFC 6455 §5-§7, RFC 7692 §6-§7).
// Bytes in, events out: receive() the bytes read from the socket (split anywhere), then call
// nextEvent() until it returns false. Messages in, bytes out: send*() append a frame's bytes to a
// caller-owned buffer; automatic replies (pong, close reply, the close that fails the connection) are
// collected with takePendingOutput(). No sockets, threads, timers or clocks.
//
// The view contract (what SessionDriver and every other caller may rely on, and nothing more):
// - Events come in groups, one group per frame, in wire order: the frame's Frame event first, then at
//   most one event derived from it (Message, Ping, Pong, Close or ProtocolError). A Frame event whose
//   `derivedFollows` is true is followed by that event in the same group. With SessionOptions::frameEvents
//   off a group is the derived event alone, and a frame that derives none (a fragment) queues nothing.
// - The views (spans) of every event of a group stay valid until the nextEvent() call that follows the
//   group's last event (it parses the next frame, or returns false), or the next receive(),
//   prepareReceive() or releaseIdleMemory() call, whichever comes first.
// - receive() and prepareReceive() are refused with LocalError::EventsPending while events are queued:
//   drain nextEvent() until it returns false first. So bytes never move under a queued view.
// - The pointer from prepareReceive() is valid until commitReceive() or the next receive*() call.
// - nextEventInPlace() returns the queued Event itself instead of a copy. The Event object (not only its
//   views) lives exactly as long as its views do, so a group's Frame event may still be read while the
//   derived event that follows it is handled.
// - Builds with FRAMESCOPE_VIEW_CHECKS (debug and sanitizer builds) stamp each event with a generation:
//   checkView() aborts on a stale event, so a caller holding an event too long fails loudly.
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
#include "framescope/receive_table.h"
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
    // Queue a Frame event for every frame. Off: only the events derived from frames (Message, Ping, Pong,
    // Close, ProtocolError), for a caller that looks at messages alone, as other WebSocket libraries deliver.
    bool frameEvents = true;
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
    Frame,    // every frame received, data or control, valid or not (first); none if frameEvents is off
    Message,  // a complete data message (after its last frame's Frame event)
    Ping,
    Pong,
    Close,
    ProtocolError,  // the peer broke the protocol; the session is Failed from here on
};

inline constexpr uint64_t kNoMessage = UINT64_MAX;

// One event. Views point into the session's buffers; how long they live: see the top of this file.
// A new field must also be reset in Session::pushEvent (session.cpp), which sets every field by hand.
struct Event {
    // The small fields first and side by side (the session sets every field of every event it queues).
    EventKind kind = EventKind::Frame;
    bool payloadComplete = true;         // Frame: false when a violation cut the frame short
    bool derivedFollows = false;         // Frame: the next event is derived from this frame
    bool compressed = false;             // Message: it was sent with permessage-deflate
    uint8_t messageOpcode = 0;           // Message: opcode::kText or opcode::kBinary
    uint16_t closeCode = 0;              // Close: the peer's code (1005 if none).
                                         // ProtocolError: the code we close with
    uint32_t fragments = 0;              // Message: number of frames
    uint32_t generation = 0;             // which parse step made the views (see checkView())
    FrameHeader header{};                // Frame; the frame's header for the derived events too
    std::span<const uint8_t> rawHeader;  // Frame: header bytes as received
    // Frame: payload, unmasked (compressed if RSV1). Message: the message, inflated.
    // Ping/Pong: the payload. Close: the reason (after the status code).
    std::span<const uint8_t> payload;
    uint64_t messageIndex = kNoMessage;  // Frame of a data message, and Message
    uint64_t wireSize = 0;               // Message: payload bytes on the wire (before inflation)
    const char* error = nullptr;         // ProtocolError: one sentence citing the RFC section
};

namespace detail {
// Where a frame's payload starts and how long it is (session_internal.h reads it from a header).
struct QuickFrame {
    size_t headerSize = 0;
    size_t payloadLength = 0;
};
}  // namespace detail

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
    // Buffers the bytes. EventsPending (and nothing buffered) while events are queued. After the
    // session failed, bytes are dropped (RFC 6455 §7.1.7).
    LocalError receive(std::span<const uint8_t> bytes);
    // Zero-copy alternative to receive(): on success `into` points at `n` writable bytes; write up to
    // `n` of them, then commitReceive() how many. EventsPending (and `into` null) while events are queued.
    [[nodiscard]] LocalError prepareReceive(size_t n, uint8_t*& into);
    void commitReceive(size_t n) noexcept;  // at most what was prepared; the rest is ignored
    bool nextEvent(Event& event);
    // The same without the copy: the next event, or null when there is none (see the contract above). An
    // Event is written field by field, and copying it right away made the CPU wait for those stores to
    // retire before it could load them: an eighth of the time of reading a 1 KiB message.
    const Event* nextEventInPlace() {
        if (eventCount_ != 0) return takeQueuedEvent();
        if (readAhead_) return takeReadAheadMessage();
        if (rxRead_ == rx_.size()) {
            ++viewGeneration_;  // nothing to parse: the views of the events read so far end here
            return nullptr;
        }
        return parseAndTakeEvent();
    }
    bool hasQueuedEvents() const noexcept { return eventCount_ != 0; }
    // Bytes received but not yet part of a complete frame.
    size_t bufferedBytes() const noexcept { return rx_.size() - rxRead_; }
    // Heap bytes the session holds for buffers (receive, reassembly, replies, compression scratch).
    size_t retainedBytes() const noexcept;
    // Frees buffer space beyond what the bytes still buffered need, and the reassembly buffer when no
    // message is in progress. For when the connection is idle; ends all views. No-op while events
    // are queued or a prepareReceive() is not committed.
    void releaseIdleMemory();
    // True while `event`'s views are valid (see the contract above).
    bool isCurrent(const Event& event) const noexcept { return event.generation == viewGeneration_; }
    // With FRAMESCOPE_VIEW_CHECKS: aborts, naming the event, if its views are stale. Otherwise nothing.
    void checkView(const Event& event) const noexcept;

    // --- sending (each appends one or more frames to `out`) ---
    // A send may throw std::bad_alloc while growing `out`; the caller then drops what it appended after its
    // own mark, and the session (its deflate stream included) stays good for the next send.
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

    // --- whole messages in bulk (the common messages, without their events) ---
    struct WholeMessage {
        std::span<const uint8_t> payload;
        uint64_t index = kNoMessage;  // as Event::messageIndex
        uint8_t opcode = 0;           // opcode::kText or opcode::kBinary
    };
    // While the next frame in the receive buffer is a whole message that nextEvent() would deliver as it
    // is (a final text or binary frame without RSV bits, masked as the peer's role requires, its length
    // encoded as the parser accepts it, within the limits), takes it into the next slot of `into`, unmasked,
    // as its Message event would have carried it, and returns how many it took. Text is checked as
    // nextEvent() checks it: text that is not valid UTF-8 stays for nextEvent() to report, as does every
    // other frame. Takes nothing while an event is queued, with Frame events asked for, or once the peer has
    // closed. The payloads stay valid until the next takeWholeMessages(), nextEvent(), receive(),
    // prepareReceive() or releaseIdleMemory(), and end the views of earlier events, as nextEvent() does.
    size_t takeWholeMessages(std::span<WholeMessage> into);

    // --- echoing (what an echo server does with each message, in one pass) ---
    struct Echoed {
        uint64_t messages = 0;
        uint64_t bytes = 0;  // payload bytes
    };
    // While the next frame in the receive buffer is one takeWholeMessages() would take, appends to `out` an
    // unmasked frame carrying its payload back with the same opcode, unmasking while copying, and consumes
    // the frame as if its Message event had been read (messagesReceived() counts it).
    // Text is checked as nextEvent() checks it, on the copy: text that is not valid UTF-8 is not echoed and
    // stays for nextEvent() to report, as does every other frame. Echoes nothing unless this is a server's
    // session, open, with no event queued, no Frame events asked for and no permessage-deflate (whose echo
    // sendText()/sendBinary() would compress), and stops before the echoed payloads would pass `maxBytes`.
    // Ends the views of earlier events, as nextEvent() does. Adds to `echoed` as it goes, so that a
    // std::bad_alloc from growing `out` leaves it counting every message consumed (the one that did not
    // fit is left in the receive buffer).
    void echoWholeMessages(ByteBuffer& out, uint64_t maxBytes, Echoed& echoed);
    // The same in place: each echo is written over the frames it answers, from where the first of them
    // started (an echo is four bytes shorter: it has no mask key), so that it takes no second buffer and
    // one pass over the bytes. Returns the echoes, one after the other, or an empty span; they stay valid
    // until the next receive(), prepareReceive() or releaseIdleMemory() (nextEvent() and the bulk paths
    // leave them alone). Text is unmasked where it lies and checked before it moves: text that is not valid
    // UTF-8 stops the echo and stays, unmasked, for nextEvent() to report.
    std::span<const uint8_t> echoWholeMessagesInPlace(uint64_t maxBytes, Echoed& echoed);

private:
    struct IncomingMessage;

    const Event* parseAndTakeEvent();
    bool receiveOneBinaryMessage(std::span<const uint8_t> bytes);
    [[gnu::noinline]] LocalError receiveBytes(std::span<const uint8_t> bytes);
    const Event* takeQueuedEvent() noexcept {
        const Event* event = &events_[eventHead_];
        eventHead_ = (eventHead_ + 1) % kMaxQueuedEvents;
        --eventCount_;
        return event;
    }
    bool parseNextFrame();
    bool deliverWholeMessage();
    bool isWholeMessageFrame(const uint8_t* bytes, detail::QuickFrame frame) const;
    bool wholeMessageAtFront(detail::QuickFrame& frame) const;
    bool canEchoWholeMessages() const noexcept;
    void consumeEchoedFrame(const detail::QuickFrame& frame, uint64_t& room, Echoed& echoed) noexcept;
    const Event* takeReadAheadMessage() noexcept {
        readAhead_ = false;
        ++viewGeneration_;  // the views of the events read so far end here, as when a frame is parsed
        ++messagesReceived_;
        rxRead_ = readAheadEnd_;
        return &events_[0];
    }
    void writeWholeMessageEvents(uint8_t op, MaskKey key, std::span<const uint8_t> rawHeader,
                                 std::span<const uint8_t> payload, uint32_t generation, bool withFrame);
    void queueWholeMessage(uint8_t op, MaskKey key, std::span<const uint8_t> rawHeader,
                           std::span<const uint8_t> payload);
    bool acceptHeader(const FrameHeader& header, const char*& error, uint16_t& code);
    void startMessage(const FrameHeader& header);
    bool scanPartialText(const FrameHeader& header, std::span<uint8_t> arrived,
                         std::span<const uint8_t> rawHeader);
    void handleControlFrame(const FrameHeader& header, std::span<uint8_t> payload);
    bool appendMessageBytes(const FrameHeader& header, std::span<const uint8_t> payload, size_t validated);
    bool finishMessage(const FrameHeader& header);
    void emitProtocolError(const FrameHeader& header, uint16_t code, const char* error);
    bool checkSizes(const FrameHeader& header, const char*& error, uint16_t& code) const;
    void compactReceiveBuffer() noexcept;
    std::span<const uint8_t> copyWholeFramesUnmasked(std::span<const uint8_t> bytes);
    using QuickFrame = detail::QuickFrame;
    struct CopiedFrame {
        QuickFrame size;
        MaskKey key{};
        bool masked = false;
        bool quick = false;
    };
    bool decodeWholeFrame(std::span<const uint8_t> bytes, CopiedFrame& frame) const;
    void completeFrame(const FrameHeader& header, std::span<uint8_t> payload,
                       std::span<const uint8_t> rawHeader, size_t scanned);
    bool frameInProgress() const noexcept;
    bool messageInProgress() const noexcept;
    bool validateText(std::span<const uint8_t> bytes);
    void handleClose(const FrameHeader& header, std::span<const uint8_t> payload);
    void emitTruncatedFrame(const FrameHeader& header, std::span<const uint8_t> rawHeader);
    Event& pushEvent(EventKind kind, const FrameHeader& header);
    LocalError sendData(uint8_t op, std::span<const uint8_t> data, ByteBuffer& out,
                        const SendOptions& options);
    void sendCompressed(uint8_t op, std::span<const uint8_t> data, ByteBuffer& out,
                        const SendOptions& options);
    void writeMessageFrames(uint8_t op, std::span<const uint8_t> data, bool compressed, ByteBuffer& out,
                            const SendOptions& options);
    void writeFrame(uint8_t op, bool fin, bool rsv1, std::span<const uint8_t> payload, ByteBuffer& out);
    void writeShortFrame(uint8_t op, bool fin, bool rsv1, std::span<const uint8_t> payload, ByteBuffer& out);
    void writeLongFrame(uint8_t op, bool fin, bool rsv1, std::span<const uint8_t> payload, ByteBuffer& out);
    void queueClose(uint16_t code, std::string_view reason);

    SessionOptions options_;
    SessionState state_ = SessionState::Open;
    HeaderParseOptions headerOptions_;

    ByteBuffer rx_;                    // received bytes; frames are unmasked in place
    size_t rxRead_ = 0;                // start of the first frame not yet parsed
    size_t unmaskedUpTo_ = 0;          // rx_ before this offset holds whole frames receive() unmasked
    size_t prepared_ = 0;              // bytes handed out by prepareReceive() and not yet committed
    RxState rxState_ = RxState::Idle;  // the receive table's state (session.cpp)
    // The size of the frame at rx_[knownFrameAt_], decoded by receive() (headerSize 0: none known).
    QuickFrame knownFrame_;
    size_t knownFrameAt_ = 0;
    // While a frame is arriving (rxState_ ...Frame): payload bytes already unmasked and UTF-8 checked.
    size_t partialScanned_ = 0;
    uint32_t viewGeneration_ = 0;
    ByteBuffer message_;  // reassembly (fragmented) or inflation buffer, reused
    ByteBuffer pending_;  // automatic replies
    ByteBuffer scratch_;  // compressed outgoing message, reused

    static constexpr size_t kMaxQueuedEvents = 4;
    static constexpr size_t kVectorAlignment = 64;  // the widest vector the mask kernels store
    Event events_[kMaxQueuedEvents];
    Event unqueuedFrame_;  // with frameEvents off, the Frame events the general path fills are written here
    size_t eventHead_ = 0;
    size_t eventCount_ = 0;
    bool wholeMessageSlotsSet_ = false;  // the first slots hold queueWholeMessage()'s constant fields
    // receive() wrote the Message event of the whole frame at rxRead_ into the first slot; the frame ends
    // at readAheadEnd_ (receiveOneBinaryMessage()).
    bool readAhead_ = false;
    size_t readAheadEnd_ = 0;

    // The data message being received (valid while messageInProgress()).
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
