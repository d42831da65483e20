// Theory of operation: until the kind of the connection is known, bytes are kept per side. The first bytes
// of either side decide: a TLS handshake record (0x16 0x03) makes it Tls; "GET " from a side makes that side
// the client and its head is parsed; any other start makes it Other (ignored). When the request asks for
// `Upgrade: websocket` and the other side answers 101, the connection is WebSocket: each side gets a core
// Session in the role that receives it, with permessage-deflate when the response accepted it (the widest
// window with context kept decodes whatever the sender chose, RFC 7692 §7.1.2). Bytes a side sent before
// the response was seen wait in order with their timestamps. A frame is captured when its derived event
// (message, close, error) is known, the way SessionDriver captures live frames.
#include "capture/ws_stream_import.h"

#include <algorithm>
#include <cstring>

#include "capture/captured_event.h"
#include "framescope/deflate.h"
#include "framescope/http_head.h"

namespace framescope::app {

namespace {

constexpr size_t kMaxHeldBytes = size_t{64} << 20;

bool startsWith(std::span<const uint8_t> data, std::string_view prefix) {
    return data.size() >= prefix.size() && std::memcmp(data.data(), prefix.data(), prefix.size()) == 0;
}

std::string addressText(const CapturedConnection& c, int side) {
    const auto& a = side == 0 ? c.clientAddress : c.serverAddress;
    const uint16_t port = side == 0 ? c.clientPort : c.serverPort;
    char text[80];
    if (c.ipVersion == 6) {
        std::string out = "[";
        for (size_t i = 0; i < 16; i += 2) {
            std::snprintf(text, sizeof text, "%s%x", i ? ":" : "", (a[i] << 8) | a[i + 1]);
            out += text;
        }
        return out + "]:" + std::to_string(port);
    }
    std::snprintf(text, sizeof text, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
    return text;
}

}  // namespace

struct WsStreamImport::Side {
    HttpHeadParser parser;
    std::vector<std::pair<int64_t, std::vector<uint8_t>>> held;  // bytes before the upgrade completed
    size_t heldBytes = 0;
    std::unique_ptr<Session> session;
    std::optional<Event> frame;  // a frame whose derived event may follow
    int64_t frameTime = 0;
    int64_t headTime = 0;
    ByteBuffer discard;
    explicit Side(HttpHeadKind kind) : parser(kind) {}
};

WsStreamImport::WsStreamImport(CaptureSink& sink, uint32_t& ids, const CapturedConnection& endpoints)
    : sink_(sink), ids_(ids), endpoints_(endpoints) {}

WsStreamImport::~WsStreamImport() = default;

std::string WsStreamImport::describe() const {
    return addressText(endpoints_, 0) + " -> " + addressText(endpoints_, 1);
}

void WsStreamImport::note(NoteKind kind, Direction direction, std::string_view text, int64_t timestampUs) {
    CapturedNote n;
    n.timestampUs = timestampUs;
    n.connectionId = id_;
    n.direction = direction;
    n.kind = kind;
    n.text = text;
    sink_.addNote(n);
}

void WsStreamImport::bytes(int side, std::span<const uint8_t> data, int64_t timestampUs) {
    if (kind_ == Kind::Tls || kind_ == Kind::Other || data.empty()) return;
    if (kind_ == Kind::WebSocket && sides_[side] && sides_[side]->session)
        return feed(side, data, timestampUs);
    detect(side, data, timestampUs);
}

void WsStreamImport::setClient(int side) {
    client_ = side;
    if (side == 1) {  // endpoints_ name the first sender first: make it client-first
        std::swap(endpoints_.clientAddress, endpoints_.serverAddress);
        std::swap(endpoints_.clientPort, endpoints_.serverPort);
    }
}

void WsStreamImport::detect(int side, std::span<const uint8_t> data, int64_t timestampUs) {
    if (!sides_[0]) {
        // RFC 8446 §5.1: a TLS record starts with its content type (22, handshake) and version 3.x.
        if (data.size() >= 2 && data[0] == 0x16 && data[1] == 0x03) {
            kind_ = Kind::Tls;
            setClient(side);
            id_ = ++ids_;
            failure_ = "Connection " + std::to_string(id_) + " (" + describe() +
                       ") is TLS (wss://): it cannot be decoded without its keys, and TLS key logs are not "
                       "supported yet.";
            note(NoteKind::Status, Direction::Outgoing, failure_, timestampUs);
            return;
        }
        // The response may be seen first when packets were captured out of order.
        const bool request = startsWith(data, "GET ");
        if (!request && !startsWith(data, "HTTP/1.")) {
            kind_ = Kind::Other;
            return;
        }
        setClient(request ? side : 1 - side);
        sides_[client_] = std::make_unique<Side>(HttpHeadKind::Request);
        sides_[1 - client_] = std::make_unique<Side>(HttpHeadKind::Response);
    }
    Side& s = *sides_[side];
    if (s.parser.status() == ParseStatus::NeedMore) {
        const ParseResult r = s.parser.feed(data);
        if (r.status == ParseStatus::Error) {
            kind_ = Kind::Other;
            return;
        }
        data = data.subspan(std::min(r.consumed, data.size()));
        s.headTime = timestampUs;
    }
    if (!data.empty() && s.heldBytes + data.size() <= kMaxHeldBytes) {
        s.held.emplace_back(timestampUs, std::vector<uint8_t>(data.begin(), data.end()));
        s.heldBytes += data.size();
    }
    if (sides_[0]->parser.status() == ParseStatus::Done && sides_[1]->parser.status() == ParseStatus::Done) {
        onHeads();
    }
}

void WsStreamImport::onHeads() {
    const Side& request = *sides_[client_];
    const Side& response = *sides_[1 - client_];
    if (!request.parser.head().headers.hasToken("Upgrade", "websocket")) {
        kind_ = Kind::Other;
        return;
    }
    id_ = ++ids_;
    endpoints_.connectionId = id_;
    sink_.addConnection(endpoints_);
    note(NoteKind::HandshakeRequest, Direction::Outgoing, request.parser.head().raw, request.headTime);
    note(NoteKind::HandshakeResponse, Direction::Incoming, response.parser.head().raw, response.headTime);
    if (response.parser.head().status != 101) {
        kind_ = Kind::Other;
        return;
    }
    startSessions();
}

void WsStreamImport::startSessions() {
    kind_ = Kind::WebSocket;
    const HttpHead& response = sides_[1 - client_]->parser.head();
    bool deflate = false;
    if (auto offers = parseExtensionsHeader(response.headers.joined("Sec-WebSocket-Extensions"))) {
        for (const ExtensionOffer& offer : *offers)
            deflate = deflate || offer.name == "permessage-deflate";
    }
    for (int side = 0; side < 2; ++side) {
        SessionOptions options;
        options.role = side == client_ ? Role::Server : Role::Client;  // the role that receives these bytes
        options.autoPong = false;
        options.autoCloseReply = false;
        options.tolerateNonMinimalLength = true;
        if (deflate) options.deflate = DeflateParams{15, 15, false, false};
        Side& s = *sides_[side];
        s.session = std::make_unique<Session>(options);
    }
    // Held bytes in timestamp order across both sides, so that the log interleaves as the packets did.
    size_t at[2] = {0, 0};
    while (true) {
        int pick = -1;
        for (int side = 0; side < 2; ++side) {
            const auto& held = sides_[side]->held;
            if (at[side] >= held.size()) continue;
            if (pick < 0 || held[at[side]].first < sides_[pick]->held[at[pick]].first) pick = side;
        }
        if (pick < 0) break;
        const auto& chunk = sides_[pick]->held[at[pick]++];
        feed(pick, chunk.second, chunk.first);
    }
    for (auto& side : sides_) {
        side->held.clear();
        side->heldBytes = 0;
    }
}

void WsStreamImport::feed(int side, std::span<const uint8_t> data, int64_t timestampUs) {
    Side& s = *sides_[side];
    if (s.session->state() == SessionState::Failed) return;
    s.session->receive(data);
    drain(side, timestampUs);
}

void WsStreamImport::drain(int side, int64_t timestampUs) {
    Side& s = *sides_[side];
    Event event;
    while (s.session->nextEvent(event)) {
        if (event.kind == EventKind::Frame) {
            if (s.frame) capture(side, *s.frame, nullptr, s.frameTime);
            s.frame.reset();
            const bool derivedFollows = isControlOpcode(event.header.opcode) || event.header.fin ||
                                        s.session->state() == SessionState::Failed;
            if (derivedFollows) {
                s.frame = event;
                s.frameTime = timestampUs;
            } else {
                capture(side, event, nullptr, timestampUs);
            }
        } else if (s.frame) {
            capture(side, *s.frame, &event, s.frameTime);
            s.frame.reset();
        }
    }
    if (s.frame) capture(side, *s.frame, nullptr, s.frameTime);
    s.frame.reset();
    s.discard.clear();
    s.session->takePendingOutput(s.discard);
    s.discard.clear();
}

void WsStreamImport::capture(int side, const Event& frame, const Event* derived, int64_t timestampUs) {
    CapturedFrame record = frameRecordOf(frame, derived);
    record.timestampUs = timestampUs;
    record.connectionId = id_;
    record.direction = side == client_ ? Direction::Outgoing : Direction::Incoming;
    if (derived && derived->kind == EventKind::ProtocolError) {
        if (failure_.empty()) {
            failure_ = "Connection " + std::to_string(id_) + " (" + describe() +
                       "): " + (side == client_ ? "the client" : "the server") +
                       " broke the protocol: " + derived->error;
        }
    }
    sink_.addFrame(record);
}

std::string WsStreamImport::finish(uint64_t missingBytes) {
    if (kind_ == Kind::WebSocket && missingBytes == 0 && failure_.empty() &&
        sides_[0]->session->state() == SessionState::Open &&
        sides_[1]->session->state() == SessionState::Open) {
        failure_ =
            "Connection " + std::to_string(id_) + " (" + describe() +
            "): the capture ends before a close frame (the recording may have stopped or lost packets).";
    }
    if (kind_ == Kind::WebSocket && missingBytes != 0 && failure_.empty()) {
        failure_ = "Connection " + std::to_string(id_) + " (" + describe() +
                   "): " + std::to_string(missingBytes) +
                   " bytes were missing from the capture; frames after the gap "
                   "were not decoded.";
    }
    if (kind_ == Kind::Unknown && sides_[client_] && sides_[client_]->parser.status() == ParseStatus::Done &&
        sides_[client_]->parser.head().headers.hasToken("Upgrade", "websocket")) {
        failure_ = "A WebSocket upgrade (" + describe() + ") has no answer in the capture.";
    }
    return failure_;
}

}  // namespace framescope::app
