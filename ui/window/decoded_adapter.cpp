// Replaying a connection through its application-protocol decoder (see decoded_adapter.h).
#include "window/decoded_adapter.h"

#include <map>

#include "decode/decoding_sink.h"
#include "framescope/decoders/decoder.h"
#include "window/frame_data_adapter.h"

namespace framescope::ui {

namespace {

// The message `row` ends: the inflated bytes, its one frame's payload, or its frames' payloads joined.
std::string messageBytes(const app::CaptureStore& store, size_t row) {
    const app::CaptureRecord& r = store.record(row);
    auto text = [](std::span<const uint8_t> b) {
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    };
    if (r.compressed()) return text(store.inflated(row));
    if (r.opcode != opcode::kContinuation) return text(store.payload(row));
    std::string out;
    for (const size_t part : messageFrameRows(store, row))
        out += text(store.payload(part));
    return out;
}

// One connection's records fed, in order, to a decoder chosen like ConnectionDecoder does live.
class Replay {
public:
    explicit Replay(uint32_t connection) : connection_(connection) {}

    // Decodes `r` when it ends a data message of the connection (notes update the choice).
    std::optional<decoders::Decoded> step(const app::CaptureStore& store, size_t r, std::string& bytes,
                                          decoders::Sender& sender) {
        const app::CaptureRecord& rec = store.record(r);
        if (rec.connectionId != connection_) return std::nullopt;
        if (rec.kind == app::RecordKind::HandshakeRequest) {
            target_ = requestTarget(store.noteText(r));
            weAreClient_ = rec.direction == app::Direction::Outgoing;
        } else if (rec.kind == app::RecordKind::HandshakeResponse) {
            decoder_ =
                decoders::ConnectionDecoder(app::DecodingSink::subprotocolFrom(store.noteText(r)), target_);
        } else if (!rec.isNote() && rec.endsMessage() && !isControlOpcode(rec.opcode)) {
            bytes = messageBytes(store, r);
            const bool outgoing = rec.direction == app::Direction::Outgoing;
            sender = outgoing == weAreClient_ ? decoders::Sender::Client : decoders::Sender::Server;
            decoders::Decoded d =
                decoder_.decode({sender, rec.messageOpcode == opcode::kBinary, decoders::asBytes(bytes)});
            if (d.protocol != decoders::Protocol::None) return d;
        }
        return std::nullopt;
    }

private:
    uint32_t connection_;
    decoders::ConnectionDecoder decoder_;
    std::string target_;
    bool weAreClient_ = true;
};

bool hasRole(const decoders::Decoded& d, decoders::PairKey::Role role, const std::string& key) {
    for (const decoders::PairKey& p : d.pairs)
        if (p.role == role && p.key == key) return true;
    return false;
}

// After the request at `row`, the first response of the same key from the other side.
void findResponse(const app::CaptureStore& store, size_t row, Replay& replay, decoders::Sender sender,
                  FrameData& frame) {
    const size_t end = std::min(store.size(), row + 1 + kDecodeReplayLimit);
    std::string bytes;
    for (size_t r = row + 1; r < end; ++r) {
        decoders::Sender other = sender;
        const auto d = replay.step(store, r, bytes, other);
        if (!d || other == sender) continue;
        for (const decoders::PairKey& key : frame.decoded->pairs) {
            if (key.role != decoders::PairKey::Role::Request ||
                !hasRole(*d, decoders::PairKey::Role::Response, key.key))
                continue;
            frame.pairedIndex = displayNumber(r);
            frame.pairedIsResponse = true;
            frame.pairLatencyUs = store.record(r).timestampUs - store.record(row).timestampUs;
            return;
        }
    }
}

}  // namespace

std::string requestTarget(std::string_view head) {
    const size_t first = head.find(' ');
    if (first == std::string_view::npos) return {};
    const size_t second = head.find(' ', first + 1);
    if (second == std::string_view::npos) return {};
    return std::string(head.substr(first + 1, second - first - 1));
}

void fillDecoded(const app::CaptureStore& store, size_t row, FrameData& frame) {
    const app::CaptureRecord& self = store.record(row);
    if (self.isNote() || !self.endsMessage() || isControlOpcode(self.opcode)) return;
    Replay replay(self.connectionId);
    std::map<std::pair<std::string, decoders::Sender>, size_t>
        requests;  // latest request row per key and side
    std::string bytes;
    decoders::Sender sender = decoders::Sender::Client;
    const size_t first = row > kDecodeReplayLimit ? row - kDecodeReplayLimit : 0;
    for (size_t r = first; r <= row; ++r) {
        auto d = replay.step(store, r, bytes, sender);
        if (!d) continue;
        if (r < row) {
            for (const decoders::PairKey& key : d->pairs)
                if (key.role == decoders::PairKey::Role::Request) requests[{key.key, sender}] = r;
            continue;
        }
        frame.decoded = std::move(*d);
        frame.decodedBytes = QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
    }
    if (!frame.decoded) return;
    const decoders::Sender other =
        sender == decoders::Sender::Client ? decoders::Sender::Server : decoders::Sender::Client;
    for (const decoders::PairKey& key : frame.decoded->pairs) {
        if (key.role != decoders::PairKey::Role::Response) continue;
        const auto it = requests.find({key.key, other});
        if (it == requests.end()) continue;
        frame.pairedIndex = displayNumber(it->second);
        frame.pairLatencyUs = self.timestampUs - store.record(it->second).timestampUs;
        return;
    }
    findResponse(store, row, replay, sender, frame);
}

}  // namespace framescope::ui
