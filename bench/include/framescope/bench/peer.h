// Codec peers: other WebSocket implementations driven in memory beside ours in the same run. A peer
// registers itself from a static object in bench/peers/ (linked into the benchmark executable only when its
// packages were found); the suites ask the registry for every peer expected for a row and say why one is
// missing. Peer servers (end to end) are processes run by app/load, not registered here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "framescope/bench/harness.h"

namespace framescope::bench {

// In-memory operations a codec peer may implement (same payloads and sizes as our rows).
enum class PeerOp {
    WriteMessage,  // server writes an unmasked binary message of `size` to memory
    ReadMessage,   // server reads one masked binary message of `size` from memory
    FrameRead,     // parse one masked frame and unmask its payload
    FrameWrite,    // encode one masked frame
    Mask,          // mask `size` bytes in place
    AcceptKey,     // Sec-WebSocket-Accept from a Sec-WebSocket-Key
    Utf8,          // validate `size` bytes of valid UTF-8 (ASCII or multi-byte: see PeerInput)
};

struct PeerInput {
    PeerOp op;
    size_t size = 0;
    std::vector<uint8_t> payload;  // the payload to write, the message/frame bytes to read, the text
};

// A codec peer: returns a batch for `input`, or an empty function when it cannot do that in memory.
struct CodecPeer {
    std::string name;
    std::function<Batch(const PeerInput& input)> make;
};

// A peer the suites expect, and what makes it available when it is not.
struct ExpectedPeer {
    std::string name;
    bool codec = false;    // driven in memory
    std::string howToGet;  // e.g. "install libboost-dev and rebuild"
};

const std::vector<ExpectedPeer>& expectedPeers();

class PeerRegistry {
public:
    void addCodecPeer(CodecPeer peer) { codecPeers_.push_back(std::move(peer)); }
    const CodecPeer* codecPeer(const std::string& name) const;

private:
    std::vector<CodecPeer> codecPeers_;
};

PeerRegistry& peerRegistry();

// For peers' static registration objects: `static PeerRegistrar reg([](PeerRegistry& r) { ... });`
struct PeerRegistrar {
    explicit PeerRegistrar(void (*add)(PeerRegistry&)) { add(peerRegistry()); }
};

}  // namespace framescope::bench
