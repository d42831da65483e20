// Decoded messages for the inspector (see decoded_adapter.h).
#include "window/decoded_adapter.h"

#include <map>

#include "framescope/frame.h"
#include "window/frame_data_adapter.h"

namespace framescope::ui {

namespace {

// Steps `decoder` through `r` when it belongs to `connection`.
std::optional<app::StoreDecoder::Result> stepConnection(app::StoreDecoder& decoder,
                                                        const app::CaptureStore& store, size_t r,
                                                        uint32_t connection) {
    if (store.record(r).connectionId != connection) return std::nullopt;
    return decoder.step(store, r);
}

bool hasRole(const decoders::Decoded& d, decoders::PairKey::Role role, const std::string& key) {
    for (const decoders::PairKey& p : d.pairs)
        if (p.role == role && p.key == key) return true;
    return false;
}

// After the request at `row`, the first response of the same key from the other side.
void findResponse(const app::CaptureStore& store, size_t row, app::StoreDecoder& decoder,
                  decoders::Sender sender, FrameData& frame) {
    const size_t end = std::min(store.size(), row + 1 + kDecodeReplayLimit);
    const uint32_t connection = store.record(row).connectionId;
    for (size_t r = row + 1; r < end; ++r) {
        const auto d = stepConnection(decoder, store, r, connection);
        if (!d || d->sender == sender) continue;
        for (const decoders::PairKey& key : frame.decoded->pairs) {
            if (key.role != decoders::PairKey::Role::Request ||
                !hasRole(d->decoded, decoders::PairKey::Role::Response, key.key))
                continue;
            frame.pairedIndex = displayNumber(r);
            frame.pairedIsResponse = true;
            frame.pairLatencyUs = store.record(r).timestampUs - store.record(row).timestampUs;
            return;
        }
    }
}

// Replays the connection of `row` (the cache has not reached it, or dropped it).
void replayDecoded(const app::CaptureStore& store, size_t row, FrameData& frame,
                   const app::DecodedCache* cache) {
    const app::CaptureRecord& self = store.record(row);
    app::StoreDecoder decoder;
    if (cache) decoder.setChoice(self.connectionId, cache->choice(self.connectionId));
    std::map<std::pair<std::string, decoders::Sender>, size_t>
        requests;  // latest request row per key and side
    decoders::Sender sender = decoders::Sender::Client;
    const size_t first = row > kDecodeReplayLimit ? row - kDecodeReplayLimit : 0;
    for (size_t r = first; r <= row; ++r) {
        auto d = stepConnection(decoder, store, r, self.connectionId);
        if (!d) continue;
        if (r < row) {
            for (const decoders::PairKey& key : d->decoded.pairs)
                if (key.role == decoders::PairKey::Role::Request) requests[{key.key, d->sender}] = r;
            continue;
        }
        frame.decoded = std::move(d->decoded);
        sender = d->sender;
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
    findResponse(store, row, decoder, sender, frame);
}

}  // namespace

void fillDecoded(const app::CaptureStore& store, size_t row, FrameData& frame,
                 const app::DecodedCache* cache) {
    const app::CaptureRecord& self = store.record(row);
    if (self.isNote() || !self.endsMessage() || isControlOpcode(self.opcode)) return;
    if (cache && row < cache->decodedRows() && !cache->dropped(row)) {
        const app::DecodedCache::Entry* entry = cache->find(row);
        if (!entry) return;
        frame.decoded = entry->decoded;
        if (entry->pairedRow != app::DecodedCache::kNoRow) {
            frame.pairedIndex = displayNumber(entry->pairedRow);
            frame.pairedIsResponse = entry->pairedIsResponse;
            frame.pairLatencyUs = entry->pairLatencyUs;
        }
    } else {
        replayDecoded(store, row, frame, cache);
    }
    if (frame.decoded) frame.decodedBytes = messageBytes(store, row);
}

}  // namespace framescope::ui
