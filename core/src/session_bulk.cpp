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

// True when the frame at rxRead_ is whole, has a header quickFrameSize() reads, and is a message
// deliverWholeMessage() would deliver as it is; `frame` is then its size.
[[gnu::always_inline]] inline bool Session::wholeMessageAtFront(QuickFrame& frame) const {
    const uint8_t* bytes = rx_.data() + rxRead_;
    const size_t available = rx_.size() - rxRead_;
    return quickFrameSize(bytes, available, frame) && frame.payloadLength <= available - frame.headerSize &&
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

void Session::echoWholeMessages(ByteBuffer& out, uint64_t maxBytes, Echoed& echoed) {
    if (eventCount_ != 0 || options_.role != Role::Server || options_.frameEvents || deflater_ || inflater_ ||
        state_ != SessionState::Open || rxState_ != RxState::Idle)
        return;
    ++viewGeneration_;   // as when nextEvent() parses the next frame
    readAhead_ = false;  // a message read ahead is echoed from rx_ like the others (it is unmasked there)
    uint64_t room = maxBytes;
    QuickFrame frame;
    while (rxRead_ < rx_.size() && wholeMessageAtFront(frame) && frame.payloadLength <= room) {
        const uint8_t* bytes = rx_.data() + rxRead_;
        const size_t length = frame.payloadLength;
        const size_t headerSize = length < 126 ? 2 : 4;  // RFC 6455 §5.2: the minimal length, no mask key
        uint8_t* reply = out.prepare(headerSize + length);
        reply[0] = bytes[0];  // FIN, no RSV bit, the message's opcode
        if (length < 126) {
            reply[1] = static_cast<uint8_t>(length);
        } else {
            reply[1] = 126;
            reply[2] = static_cast<uint8_t>(length >> 8);
            reply[3] = static_cast<uint8_t>(length & 0xFF);
        }
        const uint8_t* payload = bytes + frame.headerSize;
        if (rxRead_ < unmaskedUpTo_) {
            std::memcpy(reply + headerSize, payload, length);  // receive() unmasked it on the way in
        } else {
            copyMasked(reply + headerSize, payload, length, quickMaskKey(bytes, frame));
        }
        // RFC 6455 §8.1. Not committed: the frame stays masked in rx_ for nextEvent() to report.
        if (bytes[0] == 0x81 && !isValidUtf8({reply + headerSize, length})) return;
        out.commit(headerSize + length);
        rxRead_ += frame.headerSize + length;
        knownFrame_.headerSize = 0;
        ++messagesReceived_;
        room -= length;
        ++echoed.messages;
        echoed.bytes += length;
    }
}

}  // namespace framescope
