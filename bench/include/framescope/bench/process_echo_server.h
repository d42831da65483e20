// An echo server run as a child process (the Node, Python and Qt peers): its first line on stdout must be
// "listening on ws://HOST:PORT/". The process is stopped (SIGTERM) when the EchoServer is destroyed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "framescope/bench/peer.h"

namespace framescope::bench {

std::unique_ptr<EchoServer> startProcessEchoServer(const std::vector<std::string>& argv, std::string& whyNot);

}  // namespace framescope::bench
