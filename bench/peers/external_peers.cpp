// The peers that run as child processes: Qt WebSockets (our small Qt echo executable), Node's ws and
// Python's websockets. Each is registered only when cmake found it; all print "listening on ws://...".
#include "framescope/bench/peer.h"
#include "framescope/bench/process_echo_server.h"

namespace framescope::bench {
namespace {

[[maybe_unused]] EchoServerPeer processPeer(const std::string& name, std::vector<std::string> argv) {
    return {name, [argv](std::string& whyNot) { return startProcessEchoServer(argv, whyNot); }};
}

const PeerRegistrar registrar([](PeerRegistry& registry) {
#ifdef FRAMESCOPE_PEER_QT_ECHO
    registry.addEchoServer(processPeer("qt-websockets", {FRAMESCOPE_PEER_QT_ECHO}));
#endif
#ifdef FRAMESCOPE_PEER_NODE
    registry.addEchoServer(processPeer("node-ws", {FRAMESCOPE_PEER_NODE, FRAMESCOPE_PEER_NODE_SCRIPT}));
#endif
#ifdef FRAMESCOPE_PEER_PYTHON
    registry.addEchoServer(
        processPeer("python-websockets", {FRAMESCOPE_PEER_PYTHON, FRAMESCOPE_PEER_PYTHON_SCRIPT}));
#endif
    (void)registry;
});

}  // namespace
}  // namespace framescope::bench
