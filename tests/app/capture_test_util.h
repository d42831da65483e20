// Builds CapturedFrames for the capture tests: a header consistent with the payload, its wire bytes, and
// the storage the frame's views point into.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "capture/capture_sink.h"
#include "framescope/frame.h"

namespace framescope::app::test {

struct FrameBuilder {
    std::vector<uint8_t> payload;
    std::vector<uint8_t> inflated;
    std::array<uint8_t, kMaxFrameHeaderSize> raw{};
    CapturedFrame frame;

    FrameBuilder(uint8_t op, std::span<const uint8_t> bytes, Direction direction = Direction::Incoming,
                 uint32_t connectionId = 1)
        : payload(bytes.begin(), bytes.end()) {
        frame.direction = direction;
        frame.connectionId = connectionId;
        frame.header.opcode = op;
        frame.header.masked = direction == Direction::Outgoing;  // a client's frames
        if (frame.header.masked) frame.header.maskKey = {0x11, 0x22, 0x33, 0x44};
        setDeclaredLength(payload.size());
        frame.payload = payload;
        if (!isControlOpcode(op)) {
            frame.endsMessage = true;
            frame.messageWireSize = payload.size();
        }
    }
    FrameBuilder(uint8_t op, std::string_view text, Direction direction = Direction::Incoming,
                 uint32_t connectionId = 1)
        : FrameBuilder(op, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, direction,
                       connectionId) {}

    // Re-encodes the header with `length` declared (crafted frames may lie about it).
    void setDeclaredLength(uint64_t length) {
        frame.header.payloadLength = length;
        frame.header.lengthEncoding = minimalLengthEncoding(length);
        frame.header.headerSize =
            static_cast<uint8_t>(frameHeaderSize(frame.header.lengthEncoding, frame.header.masked));
        const size_t size = encodeFrameHeader(frame.header, raw.data());
        frame.rawHeader = std::span<const uint8_t>(raw.data(), size);
    }
    void setInflated(std::string_view text) {
        inflated.assign(text.begin(), text.end());
        frame.inflated = inflated;
        frame.compressed = true;
    }
};

inline std::vector<uint8_t> closeBody(uint16_t code, std::string_view reason) {
    std::vector<uint8_t> body(2 + reason.size());
    body[0] = static_cast<uint8_t>(code >> 8);
    body[1] = static_cast<uint8_t>(code & 0xFF);
    std::copy(reason.begin(), reason.end(), body.begin() + 2);
    return body;
}

}  // namespace framescope::app::test
