// The session's handling of complete frames: message reassembly and inflation, UTF-8 checks, control
// frames and the peer's close. See the theory of operation in session.cpp.
#include <algorithm>
#include <utility>

#include "framescope/close_code.h"
#include "framescope/session.h"
#include "session_internal.h"

namespace framescope {

namespace {

uint16_t readUint16(const uint8_t* bytes) noexcept {
    return static_cast<uint16_t>((bytes[0] << 8) | bytes[1]);
}

}  // namespace

// RFC 6455 §5.6 and §8.1: text must be valid UTF-8; checked as bytes arrive so we fail fast.
bool Session::validateText(std::span<const uint8_t> bytes) {
    if (messageOpcode_ != opcode::kText) return true;
    return utf8_.feed(bytes) != Utf8Validator::Result::Invalid;
}

void Session::startMessage(const FrameHeader& header) {
    messageOpcode_ = header.opcode;
    messageCompressed_ = header.rsv1;
    messageWireSize_ = 0;
    messageFragments_ = 0;
    singleFramePayload_ = {};
    message_.clear();
    utf8_.reset();
}

bool Session::appendMessageBytes(const FrameHeader& header, std::span<const uint8_t> payload,
                                 size_t validated) {
    if (messageCompressed_) {
        const size_t before = message_.size();
        const DeflateStatus status = inflater_->inflate(payload, message_, options_.limits.maxMessageSize);
        if (status == DeflateStatus::TooBig) {
            emitProtocolError(header, close_code::kMessageTooBig,
                              "The message inflates beyond the message size limit (RFC 7692 §8).");
            return false;
        }
        if (status == DeflateStatus::Corrupt) {
            emitProtocolError(header, close_code::kInvalidPayload,
                              "The compressed payload is not valid DEFLATE data (RFC 7692 §7.2.2).");
            return false;
        }
        payload = message_.view().subspan(before);
        validated = 0;
    } else if (header.fin && messageFragments_ == 1) {
        singleFramePayload_ = payload;  // the common case: no copy at all
    } else {
        message_.append(payload);
    }
    if (!validateText(payload.subspan(validated))) {
        emitProtocolError(header, close_code::kInvalidPayload,
                          "A text message is not valid UTF-8 (RFC 6455 §8.1).");
        return false;
    }
    return true;
}

bool Session::finishMessage(const FrameHeader& header) {
    if (messageCompressed_) {
        const size_t before = message_.size();
        const DeflateStatus status = inflater_->finishMessage(message_, options_.limits.maxMessageSize);
        if (status != DeflateStatus::Ok) {
            emitProtocolError(
                header,
                status == DeflateStatus::TooBig ? close_code::kMessageTooBig : close_code::kInvalidPayload,
                status == DeflateStatus::TooBig
                    ? "The message inflates beyond the message size limit (RFC 7692 §8)."
                    : "The compressed payload is not valid DEFLATE data (RFC 7692 §7.2.2).");
            return false;
        }
        if (!validateText(message_.view().subspan(before))) {
            emitProtocolError(header, close_code::kInvalidPayload,
                              "A text message is not valid UTF-8 (RFC 6455 §8.1).");
            return false;
        }
    }
    if (messageOpcode_ == opcode::kText && utf8_.result() != Utf8Validator::Result::Complete) {
        emitProtocolError(header, close_code::kInvalidPayload,
                          "A text message ends in the middle of a UTF-8 sequence (RFC 6455 §8.1).");
        return false;
    }
    Event& message = pushEvent(EventKind::Message, header);
    message.payload = singleFramePayload_.data() != nullptr ? singleFramePayload_ : message_.view();
    message.messageIndex = messagesReceived_++;
    message.messageOpcode = messageOpcode_;
    message.compressed = messageCompressed_;
    message.wireSize = messageWireSize_;
    message.fragments = messageFragments_;
    return true;
}

void Session::handleControlFrame(const FrameHeader& header, std::span<uint8_t> payload) {
    if (header.opcode == opcode::kPing) {
        pushEvent(EventKind::Ping, header).payload = payload;
        // RFC 6455 §5.5.2: a pong carries the ping's payload.
        if (options_.autoPong && state_ == SessionState::Open) {
            writeFrame(opcode::kPong, true, false, payload, pending_);
        }
    } else if (header.opcode == opcode::kPong) {
        pushEvent(EventKind::Pong, header).payload = payload;
    } else {
        handleClose(header, payload);
    }
}

void Session::handleClose(const FrameHeader& header, std::span<const uint8_t> payload) {
    uint16_t code = close_code::kNoStatus;
    std::span<const uint8_t> reason;
    if (payload.size() == 1) {
        emitProtocolError(header, close_code::kProtocolError,
                          "The close frame has a 1-byte body; a status code needs 2 (RFC 6455 §5.5.1).");
        return;
    }
    if (payload.size() >= 2) {
        code = readUint16(payload.data());
        reason = payload.subspan(2);
        if (!isValidWireCloseCode(code)) {
            emitProtocolError(header, close_code::kProtocolError,
                              "The close frame carries a status code that may not be sent (RFC 6455 §7.4).");
            return;
        }
        if (!isValidUtf8(reason)) {
            emitProtocolError(header, close_code::kInvalidPayload,
                              "The close reason is not valid UTF-8 (RFC 6455 §5.5.1).");
            return;
        }
    }
    Event& close = pushEvent(EventKind::Close, header);
    close.closeCode = code;
    close.payload = reason;
    state_ = nextCloseState(state_, CloseInput::ReceiveClose);
    // RFC 6455 §5.5.1: answer with a close frame, typically echoing the status code.
    if (options_.autoCloseReply && state_ == SessionState::CloseReceived) queueClose(code, {});
}

}  // namespace framescope
