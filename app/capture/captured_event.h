// The codec's events as capture records, one step shared by the live connections (net/session_driver)
// and the pcap import (capture/ws_stream_import): a received frame event, with the event it led to (the
// message it ends, or the protocol error it broke), becomes one CapturedFrame. Qt-free.
#pragma once

#include <cstdint>
#include <span>

#include "capture/capture_sink.h"
#include "framescope/session.h"

namespace framescope::app {

// The close code of a close frame's payload; 1005 (no status) when it has fewer than 2 bytes.
uint16_t closeCodeOf(std::span<const uint8_t> closePayload) noexcept;

// `frame` (EventKind::Frame) as a record, with `derived` (a Message or a ProtocolError, or null) folded in.
// The record's views point into the events: valid as long as they are. The caller sets the timestamp,
// connection id and direction.
CapturedFrame frameRecordOf(const Event& frame, const Event* derived);

}  // namespace framescope::app
