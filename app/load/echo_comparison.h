// The end-to-end rows of `framescope-cli bench`: `framescope-cli serve`, the plain TCP echo (the limit) and
// every peer server, each its own process, driven by the load runner (one connection, N messages in
// flight, TCP_NODELAY everywhere, no CPU pinning for any), in windows interleaved server by server
// (A B C ... A B C ...) and repeated. Each window reports messages per second, round trips, and the
// server's own CPU time and malloc calls per message over its steady part (handshake and close excluded).
#pragma once

#include "framescope/bench/suites.h"

namespace framescope::app {

// Rows "e2e/serve/<size> x<in flight>". Runs on a thread with a Qt event loop (it spins its own).
bench::RowSource endToEndRows();

}  // namespace framescope::app
