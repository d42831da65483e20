#include "capture/captured_event.h"

#include "framescope/close_code.h"

namespace framescope::app {

uint16_t closeCodeOf(std::span<const uint8_t> closePayload) noexcept {
    if (closePayload.size() < 2) return close_code::kNoStatus;
    return static_cast<uint16_t>((closePayload[0] << 8) | closePayload[1]);
}

const char* legName(Leg leg) noexcept {
    switch (leg) {
        case Leg::Client:
            return "client";
        case Leg::Upstream:
            return "upstream";
        case Leg::None:
            break;
    }
    return "none";
}

CapturedFrame frameRecordOf(const Event& frame, const Event* derived) {
    CapturedFrame record;
    record.header = frame.header;
    record.rawHeader = frame.rawHeader;
    record.payload = frame.payload;
    record.messageIndex = frame.messageIndex;
    if (frame.header.opcode == opcode::kClose) record.closeCode = closeCodeOf(frame.payload);
    if (derived && derived->kind == EventKind::Message) {
        record.endsMessage = true;
        record.compressed = derived->compressed;
        record.messageWireSize = derived->wireSize;
        if (derived->compressed) record.inflated = derived->payload;
    } else if (derived && derived->kind == EventKind::ProtocolError) {
        record.violation = derived->error;
    }
    return record;
}

}  // namespace framescope::app
