// What connection workers hand to the capture: every frame in both directions, the handshake texts and
// status notes. Workers call a CaptureSink from their own threads; implementations must be thread-safe.
// The views in a CapturedFrame are valid only during the call: sinks copy what they keep.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "framescope/frame.h"
#include "framescope/session.h"

namespace framescope::app {

enum class Direction : uint8_t { Incoming, Outgoing };

// Which leg of a proxied conversation a record belongs to: None for a connection of its own (a client
// connection, the built-in server's client); Client for the app's side of the proxy (the proxy is the
// server there); Upstream for the proxy's connection to the real server (the proxy is the client).
enum class Leg : uint8_t { None, Client, Upstream };
const char* legName(Leg leg) noexcept;  // "none", "client", "upstream"

struct CapturedFrame {
    int64_t timestampUs = 0;  // microseconds since the Unix epoch
    uint32_t connectionId = 0;
    Direction direction = Direction::Incoming;
    FrameHeader header{};
    std::span<const uint8_t> rawHeader;  // header bytes exactly as on the wire
    // Payload, unmasked. May be shorter than header.payloadLength: a frame cut short by a violation, or a
    // crafted frame whose declared length lies.
    std::span<const uint8_t> payload;
    uint64_t messageIndex = kNoMessage;  // data frames: the message they belong to (per direction)
    // Set on the last frame of a data message:
    bool endsMessage = false;
    bool compressed = false;
    uint64_t messageWireSize = 0;       // payload bytes of all its frames, as sent
    std::span<const uint8_t> inflated;  // the inflated message, when compressed
    uint16_t closeCode = 0;             // close frames: the code (1005 when the body is empty)
    const char* violation = nullptr;    // the RFC rule this frame breaks, as one sentence
    bool crafted = false;               // sent through the raw frame crafter
    // A frame reopened from a file whose payload (or inflated message) was cut by a cap: the true sizes,
    // when larger than the spans above. Zero for live frames.
    uint64_t capturedLength = 0;
    uint64_t inflatedLength = 0;
    Leg leg = Leg::None;
    // A proxy's outgoing frame sent for a message that arrived on the other leg, as it arrived (relayed
    // as is, or forwarded from intercept unchanged): that message's connection and index. kNoMessage for
    // every other frame (what the user edited, crafted or injected is not a relay).
    uint32_t relayOfConnection = 0;
    uint64_t relayOfMessage = kNoMessage;
    bool isRelay() const noexcept { return relayOfMessage != kNoMessage; }
};

// What became of a data message that arrived on a proxy leg and was not relayed as it arrived (yet).
enum class RelayFate : uint8_t {
    None,       // nothing known: relayed (see its relay frames), or not a proxy's message
    Held,       // held by an intercept breakpoint, waiting for the user
    Queued,     // waiting behind a held message of the same direction
    Dropped,    // the user dropped it at the breakpoint
    Replaced,   // the user sent edited or crafted frames instead
    Discarded,  // the pair ended while it was held or queued
    NotSent,    // the other leg had closed, or the send failed (a note says why)
};

struct CapturedRelayFate {
    uint32_t connectionId = 0;  // the leg the message arrived on
    uint64_t messageIndex = kNoMessage;
    RelayFate fate = RelayFate::None;
};

enum class NoteKind : uint8_t {
    HandshakeRequest,   // the full HTTP request head
    HandshakeResponse,  // the full HTTP response head (and body excerpt when refused)
    Status,             // a state change or an error, as one sentence
};

struct CapturedNote {
    int64_t timestampUs = 0;
    uint32_t connectionId = 0;
    Direction direction = Direction::Incoming;
    NoteKind kind = NoteKind::Status;
    std::string_view text;
    Leg leg = Leg::None;
};

// The TCP endpoints of one connection (pcapng export writes packets on them). Addresses in network order;
// IPv4 in the first 4 bytes.
struct CapturedConnection {
    uint32_t connectionId = 0;
    uint8_t ipVersion = 0;  // 4 or 6; 0 when unknown
    std::array<uint8_t, 16> clientAddress{};
    std::array<uint8_t, 16> serverAddress{};
    uint16_t clientPort = 0;
    uint16_t serverPort = 0;
    Direction clientToServer = Direction::Outgoing;  // the direction of the client's frames in the capture
};

class CaptureSink {
public:
    virtual ~CaptureSink() = default;
    virtual void addFrame(const CapturedFrame& frame) = 0;
    virtual void addNote(const CapturedNote& note) = 0;
    virtual void addConnection(const CapturedConnection&) {}
    virtual void addRelayFate(const CapturedRelayFate&) {}
};

// Stamps one proxy leg on every frame and note on its way to `inner` (may be null): each leg's session
// and client connection capture as usual, unaware of the proxy. Thread-safe when `inner` is.
class LegSink : public CaptureSink {
public:
    LegSink(CaptureSink* inner, Leg leg) : inner_(inner), leg_(leg) {}
    void addFrame(const CapturedFrame& frame) override {
        if (!inner_) return;
        CapturedFrame stamped = frame;
        stamped.leg = leg_;
        inner_->addFrame(stamped);
    }
    void addNote(const CapturedNote& note) override {
        if (!inner_) return;
        CapturedNote stamped = note;
        stamped.leg = leg_;
        inner_->addNote(stamped);
    }
    void addConnection(const CapturedConnection& connection) override {
        if (inner_) inner_->addConnection(connection);
    }
    void addRelayFate(const CapturedRelayFate& fate) override {
        if (inner_) inner_->addRelayFate(fate);
    }

private:
    CaptureSink* inner_;
    Leg leg_;
};

}  // namespace framescope::app
