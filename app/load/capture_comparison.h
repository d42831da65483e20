// The capture row of `framescope-cli bench`: one client Connection (the window's) receiving a flood of
// small frames, once storing every frame in a CaptureStore (what the window does) and once with no
// capture, in interleaved rounds (A B A B ...). Two rows: the sender as fast as the client reads (the ratio
// is the capture's whole cost, the rate what the capture can take), and the sender paced at 1,000,000
// frames/s (the ratio says whether the capture keeps up with that rate). The flood comes from FloodPeer,
// the same sender for both sides.
#pragma once

#include "framescope/bench/suites.h"

namespace framescope::app {

// Rows "e2e/capture/16 B frames" and "e2e/capture/16 B frames at 1M/s". Runs on a thread with a Qt event loop
// (it spins its own).
bench::RowSource captureRows();

}  // namespace framescope::app
