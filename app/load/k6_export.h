// A load run's parameters as a k6 script (k6/experimental/websockets), for spreading the same load over
// many machines: one VU per connection, the same ramp-up, payload, in-flight count or rate and duration,
// with the round trip as a Trend metric (ws_rtt) and echoes counted (ws_echoes).
#pragma once

#include <QString>

#include "load/load_types.h"

namespace framescope::app {

QString k6Script(const LoadOptions& options);

}  // namespace framescope::app
