// The opening handshake's options (Host, resource, Origin, subprotocols, deflate offer, extra headers)
// for a connection's options: shared by the interactive connection and the load runner.
#pragma once

#include "framescope/handshake.h"
#include "net/connection_types.h"

namespace framescope::app {

ClientHandshakeOptions clientHandshakeOptions(const ConnectionOptions& options);

}  // namespace framescope::app
