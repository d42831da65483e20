#include <algorithm>

#include "framescope/bench/peer.h"

namespace framescope::bench {

const std::vector<ExpectedPeer>& expectedPeers() {
    static const std::vector<ExpectedPeer> peers = {
        {"boost-beast", true, true, "not built: install libboost-dev and re-run cmake"},
        {"websocketpp", true, true, "not built: install libwebsocketpp-dev and re-run cmake"},
        {"qt-websockets", false, true, "not built: install qt6-websockets-dev and re-run cmake"},
        {"node-ws", false, true, "not built: needs node and npm when cmake runs (bench/peers/node)"},
        {"python-websockets", false, true, "not built: install python3-websockets and re-run cmake"},
    };
    return peers;
}

PeerRegistry& peerRegistry() {
    static PeerRegistry registry;
    return registry;
}

const CodecPeer* PeerRegistry::codecPeer(const std::string& name) const {
    const auto it = std::find_if(codecPeers_.begin(), codecPeers_.end(),
                                 [&](const CodecPeer& peer) { return peer.name == name; });
    return it == codecPeers_.end() ? nullptr : &*it;
}

const EchoServerPeer* PeerRegistry::echoServer(const std::string& name) const {
    const auto it = std::find_if(echoServers_.begin(), echoServers_.end(),
                                 [&](const EchoServerPeer& peer) { return peer.name == name; });
    return it == echoServers_.end() ? nullptr : &*it;
}

}  // namespace framescope::bench
