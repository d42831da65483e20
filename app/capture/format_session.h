// The session file (.fscap): FrameScope's own capture format, documented in docs/capture-files.md. It keeps
// every frame as captured (raw header, payload as on the wire but unmasked, message sizes and inflated
// bytes, close code, violation), the notes (handshake texts, status) and the connections' endpoints, so
// that opening a file gives the store it was saved from. Qt-free: the fuzzer drives readSessionFile().
#pragma once

#include <cstdint>
#include <span>

#include "capture/capture_sink.h"
#include "capture/capture_store.h"
#include "capture/format_common.h"

namespace framescope::app {

inline constexpr uint32_t kSessionFileVersion = 1;

// Writes the rows of `rows` and every connection's endpoints.
FormatResult writeSessionFile(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write);

// Reads a whole session file into `sink` (usually an empty store). On a damaged file, the records before
// the damage are kept and the result says where it is.
FormatResult readSessionFile(std::span<const uint8_t> file, CaptureSink& sink);

// True if `file` starts like a session file.
bool looksLikeSessionFile(std::span<const uint8_t> file) noexcept;

}  // namespace framescope::app
