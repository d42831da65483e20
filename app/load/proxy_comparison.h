// The proxy's overhead row of `framescope-cli bench`: the load runner against `framescope-cli serve`
// directly and through `framescope-cli proxy` in front of the same server (each its own process), in
// windows interleaved direct / proxied and repeated. The row's figures are the proxied ones; its baseline
// is the direct server, so the ratio is proxied msgs/s over direct msgs/s, with its spread over rounds.
#pragma once

#include "framescope/bench/suites.h"

namespace framescope::app {

// Row "e2e/proxy/1 KiB x64". Runs on a thread with a Qt event loop (it spins its own).
bench::RowSource proxyOverheadRows();

}  // namespace framescope::app
