// A connected socket's endpoints as a CapturedConnection (pcapng export writes packets on them).
#pragma once

#include <cstdint>

#include "capture/capture_sink.h"

class QAbstractSocket;

namespace framescope::app {

// `weAreClient`: the socket's local end opened the connection (a client connection; false on the server).
void reportEndpoints(CaptureSink* sink, uint32_t connectionId, const QAbstractSocket& socket,
                     bool weAreClient);

}  // namespace framescope::app
