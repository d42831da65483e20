// Sec-WebSocket-Accept for the bench's hand-rolled loopback handshakes: core's computeAcceptKey.
#pragma once

#include <string>
#include <string_view>

namespace framescope::bench {

std::string computeAcceptKey(std::string_view key);

}  // namespace framescope::bench
