#include <algorithm>

#include "framescope/bench/peer.h"

namespace framescope::bench {

const std::vector<ExpectedPeer>& expectedPeers() {
    static const std::vector<ExpectedPeer> peers = {
        {"boost-beast", true, "not built: install libboost-dev and re-run cmake"},
        {"websocketpp", true, "not built: install libwebsocketpp-dev and re-run cmake"},
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

}  // namespace framescope::bench
