// The session's sending side: messages, control frames, crafted frames and automatic replies. Every
// frame is appended to a caller-owned buffer; a client masks each frame with a fresh key (RFC 6455 §5.3).
#include <algorithm>
#include <cstring>

#include "framescope/close_code.h"
#include "framescope/session.h"
#include "session_internal.h"

namespace framescope {

namespace {

// Keeps at most 123 bytes of `reason`, cut on a UTF-8 boundary.
std::string_view fitCloseReason(std::string_view reason) {
    if (reason.size() <= 123) return reason;
    size_t size = 123;
    while (size > 0 && (static_cast<uint8_t>(reason[size]) & 0xC0) == 0x80)
        --size;
    return reason.substr(0, size);
}

}  // namespace

// A frame of at most 64 KiB - 1, written directly: a 7-bit or 16-bit length (RFC 6455 §5.2), and a client's
// fresh key (§5.3). Inlined into the sends of this file: a message sent takes one call, not four.
[[gnu::always_inline]] inline void Session::writeShortFrame(uint8_t op, bool fin, bool rsv1,
                                                            std::span<const uint8_t> payload,
                                                            ByteBuffer& out) {
    const size_t size = payload.size();
    const bool masked = options_.role == Role::Client;  // RFC 6455 §5.1: clients mask, servers do not
    const size_t lengthSize = size < 126 ? 2 : 4;
    const size_t headerSize = lengthSize + (masked ? 4 : 0);
    uint8_t* dst = out.prepare(headerSize + size);
    dst[0] = static_cast<uint8_t>((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | op);
    dst[1] = static_cast<uint8_t>((masked ? 0x80 : 0) | (size < 126 ? size : 126));
    if (lengthSize == 4) {
        dst[2] = static_cast<uint8_t>(size >> 8);
        dst[3] = static_cast<uint8_t>(size & 0xFF);
    }
    if (masked) {
        const MaskKey key = random_.nextMaskKey();
        std::memcpy(dst + lengthSize, key.data(), key.size());
        copyMasked(dst + headerSize, payload.data(), size, key);
    } else if (size != 0) {
        std::memcpy(dst + headerSize, payload.data(), size);
    }
    out.commit(headerSize + size);
}

void Session::writeFrame(uint8_t op, bool fin, bool rsv1, std::span<const uint8_t> payload, ByteBuffer& out) {
    if (payload.size() > 0xFFFF) return writeLongFrame(op, fin, rsv1, payload, out);
    writeShortFrame(op, fin, rsv1, payload, out);
}

[[gnu::noinline]] void Session::writeLongFrame(uint8_t op, bool fin, bool rsv1,
                                               std::span<const uint8_t> payload, ByteBuffer& out) {
    FrameHeader header;
    header.fin = fin;
    header.rsv1 = rsv1;
    header.opcode = op;
    header.masked = options_.role == Role::Client;
    header.payloadLength = payload.size();
    header.lengthEncoding = minimalLengthEncoding(payload.size());
    if (header.masked) header.maskKey = random_.nextMaskKey();
    uint8_t* dst = out.prepare(kMaxFrameHeaderSize + payload.size());
    const size_t headerSize = encodeFrameHeader(header, dst);
    if (header.masked) {
        copyMasked(dst + headerSize, payload.data(), payload.size(), header.maskKey);
    } else {
        std::memcpy(dst + headerSize, payload.data(), payload.size());
    }
    out.commit(headerSize + payload.size());
}

void Session::writeMessageFrames(uint8_t op, std::span<const uint8_t> data, bool compressed, ByteBuffer& out,
                                 const SendOptions& options) {
    const size_t step = options.fragmentSize == 0 ? std::max<size_t>(data.size(), 1) : options.fragmentSize;
    size_t offset = 0;
    do {
        const size_t size = std::min(step, data.size() - offset);
        const bool first = offset == 0;
        const bool last = offset + size == data.size();
        // RFC 7692 §6.1: RSV1 marks only the first frame of a compressed message.
        writeFrame(first ? op : opcode::kContinuation, last, first && compressed, data.subspan(offset, size),
                   out);
        offset += size;
    } while (offset < data.size());
}

[[gnu::always_inline]] inline LocalError Session::sendData(uint8_t op, std::span<const uint8_t> data,
                                                           ByteBuffer& out, const SendOptions& options) {
    if (state_ != SessionState::Open) return LocalError::NotOpen;
    const bool compress = options.compress && deflater_.has_value();
    if (!compress && options.fragmentSize == 0 && data.size() <= 0xFFFF) {
        writeShortFrame(op, true, false, data, out);  // the common message: one frame, as it is
        return LocalError::None;
    }
    if (!compress) {
        writeMessageFrames(op, data, false, out, options);
        return LocalError::None;
    }
    sendCompressed(op, data, out, options);
    return LocalError::None;
}

// std::bad_alloc once the deflater has taken the message in leaves its window ahead of what the peer will
// receive (the caller drops the partial output), so later messages could refer to bytes the peer never
// saw. A fresh deflate stream refers to nothing before it, and the peer's window only holds more: every
// later message stays decodable.
[[gnu::noinline]] void Session::sendCompressed(uint8_t op, std::span<const uint8_t> data, ByteBuffer& out,
                                               const SendOptions& options) {
    try {
        scratch_.clear();
        deflater_->compress(data, scratch_);
        writeMessageFrames(op, scratch_.view(), true, out, options);
    } catch (const std::bad_alloc&) {
        deflater_->restart();
        throw;
    }
}

LocalError Session::sendText(std::string_view text, ByteBuffer& out, const SendOptions& options) {
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    if (!isValidUtf8(bytes)) return LocalError::InvalidUtf8;  // RFC 6455 §5.6
    return sendData(opcode::kText, bytes, out, options);
}

LocalError Session::sendBinary(std::span<const uint8_t> data, ByteBuffer& out, const SendOptions& options) {
    return sendData(opcode::kBinary, data, out, options);
}

LocalError Session::sendPing(std::span<const uint8_t> payload, ByteBuffer& out) {
    if (state_ != SessionState::Open) return LocalError::NotOpen;
    if (payload.size() > 125) return LocalError::ControlPayloadTooLong;  // RFC 6455 §5.5
    writeFrame(opcode::kPing, true, false, payload, out);
    return LocalError::None;
}

LocalError Session::sendPong(std::span<const uint8_t> payload, ByteBuffer& out) {
    if (state_ != SessionState::Open) return LocalError::NotOpen;
    if (payload.size() > 125) return LocalError::ControlPayloadTooLong;  // RFC 6455 §5.5
    writeFrame(opcode::kPong, true, false, payload, out);
    return LocalError::None;
}

LocalError Session::sendClose(uint16_t code, std::string_view reason, ByteBuffer& out) {
    if (state_ != SessionState::Open && state_ != SessionState::CloseReceived) return LocalError::NotOpen;
    const std::span<const uint8_t> reasonBytes(reinterpret_cast<const uint8_t*>(reason.data()),
                                               reason.size());
    if (code == close_code::kNoStatus) {
        if (!reason.empty()) return LocalError::InvalidCloseCode;  // a reason needs a code
    } else if (!isValidWireCloseCode(code)) {
        return LocalError::InvalidCloseCode;  // RFC 6455 §7.4
    }
    if (reason.size() > 123) return LocalError::CloseReasonTooLong;  // RFC 6455 §5.5.1
    if (!isValidUtf8(reasonBytes)) return LocalError::InvalidUtf8;
    uint8_t body[125];
    size_t size = 0;
    if (code != close_code::kNoStatus) {
        body[0] = static_cast<uint8_t>(code >> 8);
        body[1] = static_cast<uint8_t>(code & 0xFF);
        if (!reason.empty()) std::memcpy(body + 2, reason.data(), reason.size());
        size = 2 + reason.size();
    }
    writeFrame(opcode::kClose, true, false, {body, size}, out);
    state_ = nextCloseState(state_, CloseInput::SendClose);
    return LocalError::None;
}

LocalError Session::sendRaw(const RawFrameSpec& spec, ByteBuffer& out) {
    return encodeRawFrame(spec, out) == RawFrameError::None ? LocalError::None : LocalError::InvalidRawFrame;
}

void Session::queueClose(uint16_t code, std::string_view reason) {
    if (sendClose(code, fitCloseReason(reason), pending_) != LocalError::None) {
        sendClose(close_code::kNoStatus, {}, pending_);  // an unsendable code gets an empty close
    }
}

void Session::fail(uint16_t code, std::string_view reason) {
    if (state_ == SessionState::Open || state_ == SessionState::CloseReceived) queueClose(code, reason);
    state_ = nextCloseState(state_, CloseInput::Fail);
    rxState_ = RxState::Failed;
    rxRead_ = rx_.size();  // RFC 6455 §7.1.7: after failing, nothing more is read
    readAhead_ = false;
}

void Session::takePendingOutput(ByteBuffer& out) {
    out.append(pending_.view());
    pending_.clear();
}

}  // namespace framescope
