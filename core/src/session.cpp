// Theory of operation
// -------------------
// Receiving: bytes accumulate in rx_. Each nextEvent() call first drains the small event queue; when it
// is empty, parseNextFrame() decodes the header at rxRead_, checks it against the rules of RFC 6455 and
// RFC 7692 (so that a lying length is refused before anything waits for or allocates its payload),
// waits until the whole frame is buffered, unmasks the payload in place and queues the events the frame
// produces: always a Frame event, then a Message, Ping, Pong or Close event, or a ProtocolError. The
// fragmentation rules are the receive table (receive_table.cpp), fed each header and each completed
// frame. Buffers grow only with bytes that arrived; releaseIdleMemory() gives back what a large message
// left behind. receive() is refused while events are queued, so no queued view can dangle. An
// unfragmented, uncompressed message is handed out as a view of the receive buffer; when receive() is given
// whole frames while nothing is pending, it copies them in already unmasked (one pass over the bytes, not a
// copy then an in-place XOR), at the source's offset within 64 bytes so that both sides of the vector loop
// are aligned, and marks them with unmaskedUpTo_, so that the parser does not XOR them again; fragments and
// inflated bytes go to message_, which is reused, so a steady stream allocates nothing.
// The common frame, a whole unfragmented message with nothing in progress, takes one step
// (deliverWholeMessage()): the same checks on the size receive() decoded, and its events written in the
// first slots, where the fields every such message shares are written only after another event took a
// slot. Every other frame, and a whole one whose text is not valid UTF-8, goes the general way
// (tst_session_whole_messages checks that both ways queue the same events, with and without Frame events).
// On this path stores are what costs: the payload's copy fills the store queue just before.
// A receive() of exactly one whole masked binary message, with nothing else pending and no Frame events
// asked for, writes that message's event before it copies the payload and leaves it for the next
// nextEvent() (receiveOneBinaryMessage(), "read ahead"): the same event, fewer steps.
//
// The close handshake is the table kCloseTransitions below. A ProtocolError is sticky: the session
// becomes Failed, queues a close frame with the error's code (if it has not sent one) and reads no more.
// Sending lives in session_send.cpp.
#include "framescope/session.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "framescope/close_code.h"
#include "session_internal.h"

namespace framescope {

namespace {

struct CloseTransition {
    SessionState from;
    CloseInput input;
    SessionState to;
};

// Every state change of the close handshake (RFC 6455 §7.1.2-§7.1.4). Pairs not listed keep the state.
constexpr CloseTransition kCloseTransitions[] = {
    {SessionState::Open, CloseInput::SendClose, SessionState::CloseSent},
    {SessionState::Open, CloseInput::ReceiveClose, SessionState::CloseReceived},
    {SessionState::CloseSent, CloseInput::ReceiveClose, SessionState::Closed},
    {SessionState::CloseReceived, CloseInput::SendClose, SessionState::Closed},
    {SessionState::Open, CloseInput::Fail, SessionState::Failed},
    {SessionState::CloseSent, CloseInput::Fail, SessionState::Failed},
    {SessionState::CloseReceived, CloseInput::Fail, SessionState::Failed},
    {SessionState::Closed, CloseInput::Fail, SessionState::Failed},
};

}  // namespace

SessionState nextCloseState(SessionState from, CloseInput input) noexcept {
    for (const CloseTransition& transition : kCloseTransitions) {
        if (transition.from == from && transition.input == input) return transition.to;
    }
    return from;
}

const char* sessionStateName(SessionState state) noexcept {
    switch (state) {
        case SessionState::Open:
            return "open";
        case SessionState::CloseSent:
            return "close sent";
        case SessionState::CloseReceived:
            return "close received";
        case SessionState::Closed:
            return "closed";
        case SessionState::Failed:
            return "failed";
    }
    return "unknown";
}

Session::Session(const SessionOptions& options) : options_(options) {
    headerOptions_.tolerateNonMinimalLength = options.tolerateNonMinimalLength;
    if (options.deflate) {
        const DeflateParams& params = *options.deflate;
        const bool client = options.role == Role::Client;
        // RFC 7692 §7.1.2: each side's window and context rules apply to what that side sends.
        const int ourBits = client ? params.clientMaxWindowBits : params.serverMaxWindowBits;
        const int peerBits = client ? params.serverMaxWindowBits : params.clientMaxWindowBits;
        const bool ourReset = client ? params.clientNoContextTakeover : params.serverNoContextTakeover;
        const bool peerReset = client ? params.serverNoContextTakeover : params.clientNoContextTakeover;
        deflater_.emplace(ourBits, ourReset, options.compressionLevel);
        inflater_.emplace(peerBits, peerReset);
    }
}

Session::~Session() = default;

void Session::compactReceiveBuffer() noexcept {
    // Only called with no events queued (receive() refuses otherwise), so no view points into rx_.
    if (rxRead_ == 0 || eventCount_ != 0) return;
    rx_.consumeFront(rxRead_);
    unmaskedUpTo_ = unmaskedUpTo_ > rxRead_ ? unmaskedUpTo_ - rxRead_ : 0;
    rxRead_ = 0;
}

bool Session::frameInProgress() const noexcept {
    return rxState_ == RxState::IdleFrame || rxState_ == RxState::InMessageFrame;
}

bool Session::messageInProgress() const noexcept {
    return rxState_ == RxState::InMessage || rxState_ == RxState::InMessageFrame;
}

LocalError Session::receive(std::span<const uint8_t> bytes) {
    if (eventCount_ != 0) return LocalError::EventsPending;
    ++viewGeneration_;
    prepared_ = 0;
    readAhead_ = false;  // a message read ahead and not taken is parsed again, from the same bytes
    if (receiveOneBinaryMessage(bytes)) return LocalError::None;
    return receiveBytes(bytes);
}

// The common read of a server: exactly one whole masked binary message, everything before it parsed, no
// Frame events asked for, and room in rx_. Its Message event, the one deliverWholeMessage() would queue, is
// written first and the payload copied (and unmasked) last, so that nothing is live across the call and
// this path saves no registers: reading a 1 KiB message took 17.4 ns through receive() and
// parseAndTakeEvent(), and 12-14 ns this way. The event is read ahead: the next nextEvent() hands it out
// (takeReadAheadMessage()) instead of parsing, and nothing else changes until then. The frame stays
// unparsed in rx_ (unmaskedUpTo_ says it is unmasked), so a receive(), prepareReceive(),
// releaseIdleMemory() or fail() before that only drops the read-ahead, and the frame is parsed as usual.
[[gnu::always_inline]] inline bool Session::receiveOneBinaryMessage(std::span<const uint8_t> bytes) {
    const uint8_t* src = bytes.data();
    QuickFrame frame;
    // Masked and a server: this path always unmasks (isWholeMessageFrame() alone would let a client's
    // unmasked frame through). The cheap byte tests come first.
    if (bytes.size() < 2 || src[0] != 0x82 || (src[1] & 0x80) == 0 || options_.role != Role::Server ||
        options_.frameEvents || rxState_ != RxState::Idle || state_ != SessionState::Open ||
        rxRead_ != rx_.size() || rx_.capacity() < bytes.size() + kVectorAlignment - 1 ||
        !quickFrameSize(src, bytes.size(), frame) || frame.headerSize + frame.payloadLength != bytes.size() ||
        !isWholeMessageFrame(src, frame))
        return false;
    const auto [headerSize, payloadSize] = frame;
    uint8_t* const base = rx_.data();
    const size_t pad =
        (reinterpret_cast<uintptr_t>(src) - reinterpret_cast<uintptr_t>(base)) % kVectorAlignment;
    uint8_t* const dst = base + pad;
    copyHeaderBytes(dst, src, headerSize);
    const MaskKey key = quickMaskKey(src, frame);
    writeWholeMessageEvents(opcode::kBinary, key, {dst, headerSize}, {dst + headerSize, payloadSize},
                            viewGeneration_ + 1, false);
    rx_.clear();
    rx_.commit(pad + bytes.size());
    rxRead_ = pad;
    knownFrame_.headerSize = 0;
    unmaskedUpTo_ = pad + bytes.size();
    readAheadEnd_ = pad + bytes.size();
    readAhead_ = true;
    copyMasked(dst + headerSize, src + headerSize, payloadSize, key);
    return true;
}

LocalError Session::receiveBytes(std::span<const uint8_t> bytes) {
    if (state_ == SessionState::Failed || bytes.empty()) return LocalError::None;
    if (rxRead_ == rx_.size()) {
        bytes = copyWholeFramesUnmasked(bytes);  // everything was parsed: no byte to move
    } else {
        knownFrame_.headerSize = 0;
        compactReceiveBuffer();
    }
    rx_.append(bytes);  // grows with the bytes that arrived, never with a declared length
    return LocalError::None;
}

// The size, mask key and masking of a whole frame at the front of `bytes`; false for a partial frame or a
// header the parser will refuse. `quick` says the header is one quickFrameSize() reads.
[[gnu::always_inline]] inline bool Session::decodeWholeFrame(std::span<const uint8_t> bytes,
                                                             CopiedFrame& frame) const {
    frame.quick = quickFrameSize(bytes.data(), bytes.size(), frame.size);
    if (frame.quick) {
        frame.masked = (bytes[1] & 0x80) != 0;
        if (frame.masked) frame.key = quickMaskKey(bytes.data(), frame.size);
    } else {
        FrameHeader header;
        const HeaderParseResult parsed = parseFrameHeader(bytes, header, headerOptions_);
        if (parsed.status != ParseStatus::Done) return false;
        frame.size = {parsed.consumed, static_cast<size_t>(header.payloadLength)};
        frame.masked = header.masked;
        frame.key = header.maskKey;
    }
    return frame.size.payloadLength <= bytes.size() - frame.size.headerSize;
}

// Replaces rx_'s bytes (all parsed) with the whole frames at the front of `bytes`, unmasking each payload
// on the way, and returns what is left (a partial frame, or everything from a header the parser will
// refuse). Only whole frames that arrived are copied: memory still follows the bytes that arrived.
// The copy starts at the source's offset within 64 bytes, so that the vector loop's loads and stores are
// both aligned (a load split across cache lines made reading a 1 KiB message 10 % slower). The first
// frame's decoded size is kept for deliverWholeMessage().
[[gnu::always_inline]] inline std::span<const uint8_t> Session::copyWholeFramesUnmasked(
    std::span<const uint8_t> bytes) {
    rx_.clear();
    uint8_t* const base = rx_.prepare(bytes.size() + kVectorAlignment - 1);
    const size_t pad =
        (reinterpret_cast<uintptr_t>(bytes.data()) - reinterpret_cast<uintptr_t>(base)) % kVectorAlignment;
    uint8_t* const dst = base + pad;
    knownFrame_.headerSize = 0;
    size_t copied = 0;
    CopiedFrame frame;
    while (copied < bytes.size() && decodeWholeFrame(bytes.subspan(copied), frame)) {
        const uint8_t* src = bytes.data() + copied;
        const auto [headerSize, payloadSize] = frame.size;
        if (copied == 0 && frame.quick) knownFrame_ = frame.size;
        copyHeaderBytes(dst + copied, src, headerSize);
        uint8_t* payload = dst + copied + headerSize;
        if (frame.masked) {
            copyMasked(payload, src + headerSize, payloadSize, frame.key);
        } else {
            std::memcpy(payload, src + headerSize, payloadSize);
        }
        copied += headerSize + payloadSize;
    }
    rx_.commit(pad + copied);
    rxRead_ = pad;
    knownFrameAt_ = pad;
    unmaskedUpTo_ = pad + copied;
    return bytes.subspan(copied);
}

LocalError Session::prepareReceive(size_t n, uint8_t*& into) {
    into = nullptr;
    if (eventCount_ != 0) return LocalError::EventsPending;
    ++viewGeneration_;
    readAhead_ = false;
    knownFrame_.headerSize = 0;
    compactReceiveBuffer();
    into = rx_.prepare(n);
    prepared_ = n;
    return LocalError::None;
}

void Session::commitReceive(size_t n) noexcept {
    n = std::min(n, std::exchange(prepared_, 0));
    if (state_ != SessionState::Failed) rx_.commit(n);
}

size_t Session::retainedBytes() const noexcept {
    return rx_.capacity() + message_.capacity() + pending_.capacity() + scratch_.capacity();
}

void Session::releaseIdleMemory() {
    if (eventCount_ != 0 || prepared_ != 0) return;
    ++viewGeneration_;
    readAhead_ = false;
    knownFrame_.headerSize = 0;
    compactReceiveBuffer();
    rx_.shrinkTo(rx_.size());
    // The reassembly and inflation buffer is only needed while a fragmented message is in progress.
    if (!messageInProgress()) {
        message_.clear();
        message_.shrinkTo(0);
    }
    pending_.shrinkTo(pending_.size());
    scratch_.shrinkTo(0);
}

void Session::checkView([[maybe_unused]] const Event& event) const noexcept {
#ifdef FRAMESCOPE_VIEW_CHECKS
    if (!isCurrent(event)) {
        std::fprintf(stderr, "framescope: an event's views were used after they ended (see session.h)\n");
        std::abort();
    }
#endif
}

bool Session::nextEvent(Event& event) {
    const Event* next = nextEventInPlace();
    if (next == nullptr) return false;
    event = *next;
    return true;
}

// The queue is empty: the views of the events read so far end here, and the next frames are parsed.
const Event* Session::parseAndTakeEvent() {
    ++viewGeneration_;
    if (state_ != SessionState::Failed && !deliverWholeMessage()) {
        while (eventCount_ == 0 && parseNextFrame()) {
        }
    }
    return eventCount_ == 0 ? nullptr : takeQueuedEvent();
}

Event& Session::pushEvent(EventKind kind, const FrameHeader& header) {
    if (kind == EventKind::Frame && !options_.frameEvents) return unqueuedFrame_;
    wholeMessageSlotsSet_ = false;  // a slot may now hold other values than queueWholeMessage() left there
    if (kind != EventKind::Frame && eventCount_ != 0) {
        events_[(eventHead_ + eventCount_ - 1) % kMaxQueuedEvents].derivedFollows = true;
    }
    Event& event = events_[(eventHead_ + eventCount_) % kMaxQueuedEvents];
    ++eventCount_;
    // Field by field rather than `event = Event{}`: GCC zeroes a whole Event with `rep stos`, whose start-up
    // cost was a third of the time of reading a 1 KiB message. Keep in step with Event (session.h).
    event.kind = kind;
    event.payloadComplete = true;
    event.derivedFollows = false;
    event.compressed = false;
    event.messageOpcode = 0;
    event.closeCode = 0;
    event.fragments = 0;
    event.generation = viewGeneration_;
    event.header = header;
    event.rawHeader = {};
    event.payload = {};
    event.messageIndex = kNoMessage;
    event.wireSize = 0;
    event.error = nullptr;
    return event;
}

// Checks what can be checked from the header alone and, if it passes, moves the receive table.
// Returns false with the error and close code.
bool Session::acceptHeader(const FrameHeader& header, const char*& error, uint16_t& code) {
    code = close_code::kProtocolError;
    const HeaderRules rules{.fromClient = options_.role == Role::Server,
                            .rsv1Allowed = inflater_.has_value(),
                            .minimalLength = false};  // parseFrameHeader already applied that rule
    if ((error = headerRuleViolation(header, rules)) != nullptr) return false;
    const RxInput input = isControlOpcode(header.opcode)           ? RxInput::ControlHeader
                          : header.opcode == opcode::kContinuation ? RxInput::ContinuationHeader
                                                                   : RxInput::StartHeader;
    const RxTransition next = nextReceiveState(rxState_, input);
    if (next.action == RxAction::RejectContinuation) {
        error = "A continuation frame arrived with no message in progress (RFC 6455 §5.4).";
    } else if (next.action == RxAction::RejectInterleaved) {
        error = "A new message started before the previous one ended (RFC 6455 §5.4).";
    } else if (next.action != RxAction::BeginMessage && next.action != RxAction::ReceiveFrame) {
        error = "A frame header arrived where none was expected.";
    } else if (state_ == SessionState::CloseReceived || state_ == SessionState::Closed) {
        error = "A frame arrived after the peer's close frame (RFC 6455 §5.5.1).";
    } else if (checkSizes(header, error, code)) {
        if (next.action == RxAction::BeginMessage) startMessage(header);
        rxState_ = next.to;
        return true;
    }
    return false;
}

bool Session::checkSizes(const FrameHeader& header, const char*& error, uint16_t& code) const {
    code = close_code::kMessageTooBig;
    if (header.payloadLength > options_.limits.maxFramePayload) {
        error = "The frame is larger than the frame size limit.";
        return false;
    }
    const bool continuation = header.opcode == opcode::kContinuation;
    const bool compressed = header.rsv1 || (continuation && messageCompressed_);
    const uint64_t soFar = continuation ? messageWireSize_ : 0;
    if (!isControlOpcode(header.opcode) && !compressed &&
        soFar + header.payloadLength > options_.limits.maxMessageSize) {
        error = "The message is larger than the message size limit.";
        return false;
    }
    return true;
}

// The common case in one step: a whole unfragmented text or binary frame without RSV bits, masked as the
// peer's role requires, with a 7-bit or minimal 16-bit length within the limits, while no message is in
// progress and the peer has not closed. It queues what the general path below queues for that frame (its
// Frame event if frameEvents is on, then its Message), with at most one header decode (none for the first
// frame receive() copied: it decoded that one) and none of the table lookups: the receive table
// takes such a frame from Idle to IdleFrame and back to Idle. Returns false for any other frame, and for
// text that is not valid UTF-8, which the general path then reports (the payload stays unmasked:
// unmaskedUpTo_ says so).
[[gnu::always_inline]] inline bool Session::deliverWholeMessage() {
    if (rxState_ != RxState::Idle || (state_ != SessionState::Open && state_ != SessionState::CloseSent))
        return false;
    uint8_t* bytes = rx_.data() + rxRead_;
    const size_t available = rx_.size() - rxRead_;
    QuickFrame frame = knownFrame_;  // decoded by receive() if it is the first frame it copied
    if ((rxRead_ != knownFrameAt_ || frame.headerSize == 0) &&
        (!quickFrameSize(bytes, available, frame) || frame.payloadLength > available - frame.headerSize))
        return false;
    if (!isWholeMessageFrame(bytes, frame)) return false;
    const bool masked = (bytes[1] & 0x80) != 0;
    const uint8_t op = bytes[0] & 0x0F;
    const MaskKey key = masked ? quickMaskKey(bytes, frame) : MaskKey{};
    const std::span<uint8_t> payload(bytes + frame.headerSize, frame.payloadLength);
    const size_t frameEnd = rxRead_ + frame.headerSize + frame.payloadLength;
    if (masked && rxRead_ >= unmaskedUpTo_) {
        applyMask(payload.data(), payload.size(), key);
        unmaskedUpTo_ = frameEnd;
    }
    if (op == opcode::kText && !isValidUtf8(payload)) return false;
    queueWholeMessage(op, key, {bytes, frame.headerSize}, payload);
    rxRead_ = frameEnd;
    return true;
}

namespace {

// The fields of a whole message's events that are the same for every such message: written only when the
// slot last held another event (see queueWholeMessage()).
void setWholeFrameConstants(Event& frame) {
    frame.kind = EventKind::Frame;
    frame.payloadComplete = true;
    frame.derivedFollows = true;
    frame.compressed = false;
    frame.messageOpcode = 0;
    frame.closeCode = 0;
    frame.fragments = 0;
    frame.header.fin = true;
    frame.header.rsv1 = false;
    frame.header.rsv2 = false;
    frame.header.rsv3 = false;
    frame.wireSize = 0;
    frame.error = nullptr;
}

void setWholeMessageConstants(Event& message) {
    message.kind = EventKind::Message;
    message.payloadComplete = true;
    message.derivedFollows = false;
    message.compressed = false;
    message.closeCode = 0;
    message.fragments = 1;
    message.header.fin = true;
    message.header.rsv1 = false;
    message.header.rsv2 = false;
    message.header.rsv3 = false;
    message.rawHeader = {};
    message.error = nullptr;
}

// The rest of the header of a whole message's frame (a 7-bit or 16-bit length), written field by field into
// the event: copying a FrameHeader just written field by field would stall on those stores.
[[gnu::always_inline]] inline void setWholeHeaderFields(FrameHeader& header, uint8_t op, MaskKey key,
                                                        std::span<const uint8_t> rawHeader,
                                                        size_t payloadSize) {
    header.opcode = op;
    header.masked = (rawHeader[1] & 0x80) != 0;
    header.maskKey = key;
    header.payloadLength = payloadSize;
    header.lengthEncoding = payloadSize < 126 ? LengthEncoding::Bits7 : LengthEncoding::Bits16;
    header.headerSize = static_cast<uint8_t>(rawHeader.size());
}

}  // namespace

// The events and message state of an unfragmented, uncompressed message, as completeFrame() and
// finishMessage() leave them. The message_* members describe a message in progress only; startMessage()
// sets them for the next one. Only called with the queue empty (parseAndTakeEvent()), so the events take
// the first slots, and every field that is the same for every whole message is already there unless
// another event was written since (pushEvent() says so): a store costs more than anything else here,
// since the payload's copy has just filled the store queue.
[[gnu::always_inline]] inline void Session::queueWholeMessage(uint8_t op, MaskKey key,
                                                              std::span<const uint8_t> rawHeader,
                                                              std::span<const uint8_t> payload) {
    writeWholeMessageEvents(op, key, rawHeader, payload, viewGeneration_, options_.frameEvents);
    ++messagesReceived_;
    eventHead_ = 0;
    eventCount_ = options_.frameEvents ? 2 : 1;
}

// Writes the events of queueWholeMessage() into the first slots, stamped with `generation`, without
// queueing them; the Frame event only `withFrame` (options_.frameEvents, passed in because the stores
// before a call may have changed it, as far as the compiler knows).
[[gnu::always_inline]] inline void Session::writeWholeMessageEvents(uint8_t op, MaskKey key,
                                                                    std::span<const uint8_t> rawHeader,
                                                                    std::span<const uint8_t> payload,
                                                                    uint32_t generation, bool withFrame) {
    const uint64_t index = messagesReceived_;
    Event& frame = events_[0];
    Event& message = events_[withFrame ? 1 : 0];
    if (!wholeMessageSlotsSet_) {
        if (withFrame) setWholeFrameConstants(frame);
        setWholeMessageConstants(message);
        wholeMessageSlotsSet_ = true;
    }
    if (withFrame) {
        frame.generation = generation;
        setWholeHeaderFields(frame.header, op, key, rawHeader, payload.size());
        frame.rawHeader = rawHeader;
        frame.payload = payload;
        frame.messageIndex = index;
    }
    message.messageOpcode = op;
    message.generation = generation;
    setWholeHeaderFields(message.header, op, key, rawHeader, payload.size());
    message.payload = payload;
    message.messageIndex = index;
    message.wireSize = payload.size();
}

// Parses one frame if it is complete. Returns true when it queued events or may find more.
bool Session::parseNextFrame() {
    if (rxRead_ == rx_.size()) return false;
    const std::span<uint8_t> available(rx_.data() + rxRead_, rx_.size() - rxRead_);
    FrameHeader header;
    const HeaderParseResult parsed = parseFrameHeader(available, header, headerOptions_);
    if (parsed.status == ParseStatus::NeedMore) return false;
    const std::span<const uint8_t> rawHeader = available.first(parsed.consumed);
    const char* error = headerErrorText(parsed.error);
    uint16_t code = close_code::kProtocolError;
    // A frame still arriving was accepted when its header first arrived.
    if (parsed.status == ParseStatus::Error || (!frameInProgress() && !acceptHeader(header, error, code))) {
        emitTruncatedFrame(header, rawHeader);
        emitProtocolError(header, code, error);
        return true;
    }
    const uint64_t frameSize = parsed.consumed + header.payloadLength;
    if (available.size() < frameSize) {
        // Memory follows the bytes that arrived: nothing is reserved for the declared length.
        return !scanPartialText(header, available.subspan(parsed.consumed), rawHeader);
    }
    const std::span<uint8_t> payload = available.subspan(parsed.consumed, header.payloadLength);
    const size_t scanned = std::exchange(partialScanned_, 0);
    const bool unmaskedOnArrival = rxRead_ < unmaskedUpTo_;
    if (header.masked && !unmaskedOnArrival)
        applyMask(payload.data() + scanned, payload.size() - scanned, header.maskKey, scanned);
    rxRead_ += frameSize;
    completeFrame(header, payload, rawHeader, scanned);
    return true;
}

// A whole frame is buffered: queue its Frame event and move the receive table.
void Session::completeFrame(const FrameHeader& header, std::span<uint8_t> payload,
                            std::span<const uint8_t> rawHeader, size_t scanned) {
    Event& frame = pushEvent(EventKind::Frame, header);
    frame.rawHeader = rawHeader;
    frame.payload = payload;
    const bool control = isControlOpcode(header.opcode);
    const RxInput input = control      ? RxInput::ControlDone
                          : header.fin ? RxInput::FinalDone
                                       : RxInput::FragmentDone;
    const RxTransition next = nextReceiveState(rxState_, input);
    rxState_ = next.to;
    if (control) {
        handleControlFrame(header, payload);
        return;
    }
    frame.messageIndex = messagesReceived_;
    messageWireSize_ += payload.size();
    ++messageFragments_;
    if (appendMessageBytes(header, payload, scanned) && next.action == RxAction::EndMessage) {
        finishMessage(header);
    }
}

// RFC 6455 §8.1 asks to fail fast on invalid text: the part of an uncompressed text frame that has
// arrived is unmasked and validated before the rest comes. Returns false after queueing an error.
bool Session::scanPartialText(const FrameHeader& header, std::span<uint8_t> arrived,
                              std::span<const uint8_t> rawHeader) {
    // The message was started when its first header was accepted, so its opcode is known here.
    if (isControlOpcode(header.opcode) || messageOpcode_ != opcode::kText || messageCompressed_) return true;
    const std::span<uint8_t> fresh = arrived.subspan(partialScanned_);
    if (header.masked) applyMask(fresh.data(), fresh.size(), header.maskKey, partialScanned_);
    partialScanned_ += fresh.size();
    if (utf8_.feed(fresh) != Utf8Validator::Result::Invalid) return true;
    emitTruncatedFrame(header, rawHeader);
    emitProtocolError(header, close_code::kInvalidPayload,
                      "A text message is not valid UTF-8 (RFC 6455 §8.1).");
    return false;
}

void Session::emitTruncatedFrame(const FrameHeader& header, std::span<const uint8_t> rawHeader) {
    const size_t available = rx_.size() - rxRead_ - rawHeader.size();
    const size_t shown = static_cast<size_t>(std::min<uint64_t>(available, header.payloadLength));
    uint8_t* payload = rx_.data() + rxRead_ + rawHeader.size();
    const size_t scanned = std::min(partialScanned_, shown);  // already unmasked by scanPartialText
    if (header.masked && rxRead_ >= unmaskedUpTo_)
        applyMask(payload + scanned, shown - scanned, header.maskKey, scanned);
    Event& frame = pushEvent(EventKind::Frame, header);
    frame.rawHeader = rawHeader;
    frame.payload = {payload, shown};
    frame.payloadComplete = shown == header.payloadLength;
    if (!isControlOpcode(header.opcode)) frame.messageIndex = messagesReceived_;
    rxRead_ = rx_.size();
}

void Session::emitProtocolError(const FrameHeader& header, uint16_t code, const char* error) {
    rxState_ = nextReceiveState(rxState_, RxInput::Violation).to;
    Event& event = pushEvent(EventKind::ProtocolError, header);
    event.closeCode = code;
    event.error = error;
    fail(code, error);
}

}  // namespace framescope
