// STOMP 1.2 (stomp.github.io/stomp-specification-1.2.html) over WebSocket: one or more frames per message,
// heart-beats as bare end-of-lines.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "framescope/decoders/decoder.h"

namespace framescope::decoders::stomp {

struct Frame {
    std::string command;  // empty for a heart-beat
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool operator==(const Frame&) const = default;
    const std::string* header(std::string_view name) const;  // first occurrence wins (STOMP 1.2)
};

// Escapes header names and values (except in CONNECT/CONNECTED frames) and terminates with NUL; headers are
// written as given (a body holding NUL needs a content-length header). A heart-beat encodes as "\n".
std::string encode(const Frame& frame);

class Decoder : public ProtocolDecoder {
public:
    Protocol protocol() const override { return Protocol::Stomp; }
    Decoded decode(const Message& message) override;
    const std::vector<Frame>& lastFrames() const { return last_; }

private:
    std::vector<Frame> last_;
};

}  // namespace framescope::decoders::stomp
