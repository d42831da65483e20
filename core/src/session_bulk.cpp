// The session's bulk paths for the common message, a whole one in one frame: takeWholeMessages() hands
// such messages out without their events, echoWholeMessages() copies them into frames that carry them
// back. See session.h.
// Through nextEvent(), each message costs a parse step and an Event of a dozen fields written and read
// back; an echo server that sends each payload back from its event also passes over it twice (unmasked in
// place, then copied into the reply). Here a message is one header check and three fields, or one header
// check, one copy that unmasks and a two- or four-byte header. The frames taken are exactly those
// deliverWholeMessage() takes (isWholeMessageFrame()), so the receive table stays Idle throughout.
#include "framescope/mask.h"
#include "framescope/session.h"
#include "session_internal.h"

namespace framescope {
namespace {

size_t echoHeaderSize(uint64_t length) noexcept {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
}

// The header of an unmasked final frame whose first byte is `first` (FIN and the opcode) carrying `length`
// bytes, with the minimal length (RFC 6455 §5.2). Returns its size, echoHeaderSize(length).
size_t writeEchoHeader(uint8_t* out, uint8_t first, uint64_t length) noexcept {
    out[0] = first;
    if (length < 126) {
        out[1] = static_cast<uint8_t>(length);
        return 2;
    }
    if (length <= 0xFFFF) {
        out[1] = 126;
        out[2] = static_cast<uint8_t>(length >> 8);
        out[3] = static_cast<uint8_t>(length & 0xFF);
        return 4;
    }
    out[1] = 127;
    for (size_t i = 0; i < 8; ++i)
        out[2 + i] = static_cast<uint8_t>(length >> (56 - 8 * i));
    return 10;
}

}  // namespace

// True when the frame at rxRead_ is whole, has a header bulkFrameSize() reads, and is a message
// deliverWholeMessage() would deliver as it is; `frame` is then its size.
[[gnu::always_inline]] inline bool Session::wholeMessageAtFront(QuickFrame& frame) const {
    const uint8_t* bytes = rx_.data() + rxRead_;
    const size_t available = rx_.size() - rxRead_;
    return bulkFrameSize(bytes, available, frame) && frame.payloadLength <= available - frame.headerSize &&
           isWholeMessageFrame(bytes, frame);
}

size_t Session::takeWholeMessages(std::span<WholeMessage> into) {
    if (eventCount_ != 0 || options_.frameEvents || rxState_ != RxState::Idle ||
        (state_ != SessionState::Open && state_ != SessionState::CloseSent))
        return 0;
    ++viewGeneration_;   // as when nextEvent() parses the next frame
    readAhead_ = false;  // a message read ahead is taken from rx_ like the others (it is unmasked there)
    size_t taken = 0;
    QuickFrame frame;
    while (taken < into.size() && rxRead_ < rx_.size() && wholeMessageAtFront(frame)) {
        uint8_t* bytes = rx_.data() + rxRead_;
        const std::span<uint8_t> payload(bytes + frame.headerSize, frame.payloadLength);
        const size_t frameEnd = rxRead_ + frame.headerSize + frame.payloadLength;
        if ((bytes[1] & 0x80) != 0 && rxRead_ >= unmaskedUpTo_) {
            applyMask(payload.data(), payload.size(), quickMaskKey(bytes, frame));
            unmaskedUpTo_ = frameEnd;  // so that the general path does not unmask it again
        }
        if (bytes[0] == 0x81 && !isValidUtf8(payload)) break;  // RFC 6455 §8.1: nextEvent() reports it
        WholeMessage& message = into[taken++];
        message.payload = payload;
        message.index = messagesReceived_++;
        message.opcode = bytes[0] & 0x0F;
        rxRead_ = frameEnd;
        knownFrame_.headerSize = 0;
    }
    return taken;
}

bool Session::canEchoWholeMessages() const noexcept {
    return eventCount_ == 0 && options_.role == Role::Server && !options_.frameEvents && !deflater_ &&
           !inflater_ && state_ == SessionState::Open && rxState_ == RxState::Idle;
}

// Consumes the frame at rxRead_ (`frame`) as its Message event would have been read, and counts its echo.
void Session::consumeEchoedFrame(const QuickFrame& frame, uint64_t& room, Echoed& echoed) noexcept {
    rxRead_ += frame.headerSize + frame.payloadLength;
    knownFrame_.headerSize = 0;
    ++messagesReceived_;
    room -= frame.payloadLength;
    ++echoed.messages;
    echoed.bytes += frame.payloadLength;
}

void Session::echoWholeMessages(ByteBuffer& out, uint64_t maxBytes, Echoed& echoed) {
    if (!canEchoWholeMessages()) return;
    ++viewGeneration_;   // as when nextEvent() parses the next frame
    readAhead_ = false;  // a message read ahead is echoed from rx_ like the others (it is unmasked there)
    uint64_t room = maxBytes;
    QuickFrame frame;
    while (rxRead_ < rx_.size() && wholeMessageAtFront(frame) && frame.payloadLength <= room) {
        const uint8_t* bytes = rx_.data() + rxRead_;
        const size_t length = frame.payloadLength;
        uint8_t* reply = out.prepare(echoHeaderSize(length) + length);
        const size_t headerSize = writeEchoHeader(reply, bytes[0], length);
        const uint8_t* payload = bytes + frame.headerSize;
        if (rxRead_ < unmaskedUpTo_) {
            std::memcpy(reply + headerSize, payload, length);  // receive() unmasked it on the way in
        } else {
            copyMasked(reply + headerSize, payload, length, quickMaskKey(bytes, frame));
        }
        // RFC 6455 §8.1. Not committed: the frame stays masked in rx_ for nextEvent() to report.
        if (bytes[0] == 0x81 && !isValidUtf8({reply + headerSize, length})) return;
        out.commit(headerSize + length);
        consumeEchoedFrame(frame, room, echoed);
    }
}

// Each echo is four bytes shorter than the frame it answers (no mask key) and starts no later than that
// frame, so writing it (header first, then the payload, unmasked front to back: see copyMasked()) only
// overwrites bytes already read.
std::span<const uint8_t> Session::echoWholeMessagesInPlace(uint64_t maxBytes, Echoed& echoed) {
    if (!canEchoWholeMessages()) return {};
    ++viewGeneration_;
    readAhead_ = false;
    uint8_t* const start = rx_.data() + rxRead_;
    uint8_t* to = start;
    uint64_t room = maxBytes;
    QuickFrame frame;
    while (rxRead_ < rx_.size() && wholeMessageAtFront(frame) && frame.payloadLength <= room) {
        uint8_t* const bytes = rx_.data() + rxRead_;
        const size_t length = frame.payloadLength;
        uint8_t* const payload = bytes + frame.headerSize;
        const uint8_t first = bytes[0];
        const MaskKey key = quickMaskKey(bytes, frame);  // a client's frame: always masked
        bool unmasked = rxRead_ < unmaskedUpTo_;
        if (first == 0x81) {  // text: unmasked and checked where it lies first (RFC 6455 §8.1)
            if (!unmasked) applyMask(payload, length, key);
            unmaskedUpTo_ = std::max(unmaskedUpTo_, rxRead_ + frame.headerSize + length);
            if (!isValidUtf8({payload, length})) break;  // left unmasked for nextEvent() to report
            unmasked = true;
        }
        const size_t headerSize = writeEchoHeader(to, first, length);
        if (unmasked) {
            std::memmove(to + headerSize, payload, length);
        } else {
            copyMasked(to + headerSize, payload, length, key);
        }
        to += headerSize + length;
        consumeEchoedFrame(frame, room, echoed);
    }
    return {start, static_cast<size_t>(to - start)};
}

}  // namespace framescope
