// HAR (HTTP Archive 1.2) with WebSocket messages the way Chrome and Firefox DevTools export them: one entry
// per connection, its handshake as request and response, and `_webSocketMessages` ({type "send"|"receive",
// time in seconds since the epoch, opcode 1|2, data: text, or base64 for binary}). Export adds our extras
// under `_framescope` (connection id and every frame as a `connect --json` object); import reads the
// messages (HAR keeps no frames, masking keys or compressed bytes: imported messages are single frames,
// client frames masked with the key 00 00 00 00). Uses Qt's JSON.
#pragma once

#include <span>

#include "capture/capture_store.h"
#include "capture/format_common.h"

namespace framescope::app {

FormatResult writeHar(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write);
// Reads the WebSocket entries of a HAR file into `sink`; an error when it is not a HAR file.
FormatResult readHar(std::span<const uint8_t> file, CaptureSink& sink);
bool looksLikeHar(std::span<const uint8_t> file) noexcept;

}  // namespace framescope::app
