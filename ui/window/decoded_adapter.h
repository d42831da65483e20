// The application-protocol reading of a captured message, for the inspector's Decoded tab: taken from the
// model's decoded cache, or, for a row the cache has not reached or has dropped, decoded by replaying its
// connection from the handshake (or from at most kDecodeReplayLimit rows back).
#pragma once

#include <cstddef>
#include <string>

#include "capture/capture_store.h"
#include "decode/decoded_cache.h"
#include "widgets/frame_data.h"

namespace framescope::ui {

inline constexpr size_t kDecodeReplayLimit = 100000;

// Sets frame.decoded, frame.decodedBytes and the pairing when `row` ends a data message an application
// protocol reads. `cache` (may be null) also gives the user's decoder choices.
void fillDecoded(const app::CaptureStore& store, size_t row, FrameData& frame,
                 const app::DecodedCache* cache = nullptr);

}  // namespace framescope::ui
