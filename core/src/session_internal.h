// Internals shared by the session's source files.
#pragma once

#include <cstdint>
#include <cstring>

#include "framescope/frame.h"
#include "framescope/session.h"

namespace framescope {

using detail::QuickFrame;

// Where a frame's payload starts and how long it is, read straight from its first bytes, for the headers
// parseFrameHeader() accepts as they are with 7-bit or minimal 16-bit lengths. False for every other
// header (64-bit lengths, non-minimal ones, one not all arrived): parseFrameHeader() decides those.

inline bool quickFrameSize(const uint8_t* bytes, size_t available, QuickFrame& frame) noexcept {
    if (available < 2) return false;
    const size_t length7 = bytes[1] & 0x7F;
    const size_t maskSize = (bytes[1] & 0x80) != 0 ? 4 : 0;
    if (length7 < 126) {
        frame = {2 + maskSize, length7};
    } else if (length7 == 126 && available >= 4) {
        frame = {4 + maskSize, (size_t{bytes[2]} << 8) | bytes[3]};
        if (frame.payloadLength < 126) return false;  // not minimal: the parser's rules apply
    } else {
        return false;
    }
    return available >= frame.headerSize;
}

// quickFrameSize(), and also a 64-bit length as parseFrameHeader() accepts it (top bit clear, more than 16
// bits needed): for the bulk paths, whose messages may be large. False for everything else.
inline bool bulkFrameSize(const uint8_t* bytes, size_t available, QuickFrame& frame) noexcept {
    if (quickFrameSize(bytes, available, frame)) return true;
    if (available < 10 || (bytes[1] & 0x7F) != 127) return false;
    uint64_t length = 0;
    for (size_t i = 2; i < 10; ++i)
        length = (length << 8) | bytes[i];
    if (length <= 0xFFFF || length > kMaxPayloadLength || length > SIZE_MAX) return false;
    frame = {(bytes[1] & 0x80) != 0 ? size_t{14} : size_t{10}, static_cast<size_t>(length)};
    return available >= frame.headerSize;
}

// Copies a frame header (2 to 14 bytes) without a call to memcpy.
inline void copyHeaderBytes(uint8_t* dst, const uint8_t* src, size_t size) noexcept {
    if (size >= 8) {
        uint64_t head;
        uint64_t tail;
        std::memcpy(&head, src, 8);
        std::memcpy(&tail, src + size - 8, 8);
        std::memcpy(dst, &head, 8);
        std::memcpy(dst + size - 8, &tail, 8);
    } else if (size >= 4) {
        uint32_t head;
        uint32_t tail;
        std::memcpy(&head, src, 4);
        std::memcpy(&tail, src + size - 4, 4);
        std::memcpy(dst, &head, 4);
        std::memcpy(dst + size - 4, &tail, 4);
    } else {
        std::memcpy(dst, src, 2);
    }
}

inline MaskKey quickMaskKey(const uint8_t* bytes, const QuickFrame& frame) noexcept {
    MaskKey key;
    std::memcpy(key.data(), bytes + frame.headerSize - 4, 4);
    return key;
}

// What deliverWholeMessage() and echoWholeMessages() ask of the frame itself: a final text or binary frame
// without RSV bits, masked as the peer's role requires, within the limits.
[[gnu::always_inline]] inline bool Session::isWholeMessageFrame(const uint8_t* bytes,
                                                                QuickFrame frame) const {
    const bool masked = (bytes[1] & 0x80) != 0;
    if ((bytes[0] != 0x81 && bytes[0] != 0x82) || masked != (options_.role == Role::Server)) return false;
    return frame.payloadLength <= options_.limits.maxFramePayload &&
           frame.payloadLength <= options_.limits.maxMessageSize;
}

enum class CloseInput : uint8_t { SendClose, ReceiveClose, Fail };

// The close handshake's transition table (session.cpp).
SessionState nextCloseState(SessionState from, CloseInput input) noexcept;

}  // namespace framescope
