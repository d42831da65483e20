// The application-protocol reading of a captured message, for the inspector's Decoded tab. Decoders are
// stateful per connection (MQTT packets split across messages, Socket.IO attachments), so the message is
// decoded by replaying its connection from the handshake (or from at most kDecodeReplayLimit rows back).
#pragma once

#include <cstddef>
#include <string>

#include "capture/capture_store.h"
#include "widgets/frame_data.h"

namespace framescope::ui {

inline constexpr size_t kDecodeReplayLimit = 100000;

// Sets frame.decoded and frame.decodedBytes when `row` ends a data message an application protocol reads.
void fillDecoded(const app::CaptureStore& store, size_t row, FrameData& frame);
// The request target of an HTTP request head ("/socket.io/?EIO=4&transport=websocket"), or "".
std::string requestTarget(std::string_view head);

}  // namespace framescope::ui
