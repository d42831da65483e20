// One TCP connection of an imported capture, told apart and decoded: an HTTP upgrade to WebSocket (on any
// port) is followed by both directions decoded by core Sessions (the client's frames by a server-role
// session, the server's by a client-role one, permessage-deflate included) and handed to a CaptureSink as
// if FrameScope had been the client: client-to-server frames are Outgoing. A connection whose first bytes
// are a TLS record is reported as undecodable. Qt-free.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "capture/capture_sink.h"
#include "framescope/byte_buffer.h"
#include "framescope/session.h"

namespace framescope::app {

class WsStreamImport {
public:
    enum class Kind : uint8_t { Unknown, WebSocket, Tls, Other };

    // `ids` hands out connection ids (shared by all connections of one import). `endpoints` are the TCP
    // endpoints with side 0 = the side that sent the first segment (the client, when the SYN was seen).
    WsStreamImport(CaptureSink& sink, uint32_t& ids, const CapturedConnection& endpoints);
    ~WsStreamImport();

    // In-order bytes of side 0 or side 1.
    void bytes(int side, std::span<const uint8_t> data, int64_t timestampUs);
    // The end of the capture: frames still held are captured; returns a sentence when something was wrong
    // with this connection (TLS, a gap, a failed decode), else an empty string.
    std::string finish(uint64_t missingBytes);

    Kind kind() const noexcept { return kind_; }
    uint32_t connectionId() const noexcept { return id_; }

private:
    struct Side;
    void setClient(int side);
    void detect(int side, std::span<const uint8_t> data, int64_t timestampUs);
    void onHeads();
    void startSessions();
    void feed(int side, std::span<const uint8_t> data, int64_t timestampUs);
    void drain(int side, int64_t timestampUs);
    void capture(int side, const Event& frame, const Event* derived, int64_t timestampUs);
    void note(NoteKind kind, Direction direction, std::string_view text, int64_t timestampUs);
    std::string describe() const;

    CaptureSink& sink_;
    uint32_t& ids_;
    CapturedConnection endpoints_;
    Kind kind_ = Kind::Unknown;
    uint32_t id_ = 0;
    int client_ = 0;  // which side sent the upgrade request
    std::unique_ptr<Side> sides_[2];
    std::string failure_;
};

}  // namespace framescope::app
