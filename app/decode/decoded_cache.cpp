// Decoding a capture once, in order, within a memory budget (see decoded_cache.h).
#include "decode/decoded_cache.h"

#include <algorithm>

namespace framescope::app {

namespace {

constexpr size_t kRowsPerClockCheck = 64;

size_t nodeBytes(const decoders::Node& node) {
    size_t bytes = sizeof(decoders::Node) + node.name.capacity() + node.value.capacity();
    for (const decoders::Node& child : node.children)
        bytes += nodeBytes(child);
    return bytes;
}

}  // namespace

size_t decodedBytes(const decoders::Decoded& d) {
    size_t bytes = sizeof(DecodedCache::Entry) + d.type.capacity() + d.summary.capacity() + nodeBytes(d.root);
    for (const decoders::Field& f : d.fields)
        bytes += sizeof(f) + f.name.capacity() + f.value.capacity();
    for (const decoders::PairKey& p : d.pairs)
        bytes += sizeof(p) + p.key.capacity();
    return bytes;
}

DecodedCache::DecodedCache(const CaptureStore& store, size_t budgetBytes)
    : store_(store), budget_(budgetBytes) {}

size_t DecodedCache::advance(size_t end, const QDeadlineTimer& deadline) {
    end = std::min(end, store_.size());
    size_t sinceCheck = 0;
    while (next_ < end) {
        if (auto result = decoder_.step(store_, next_)) add(next_, std::move(*result));
        ++next_;
        if (++sinceCheck == kRowsPerClockCheck) {
            sinceCheck = 0;
            if (deadline.hasExpired()) break;
        }
    }
    trim();
    return next_;
}

const DecodedCache::Entry* DecodedCache::find(size_t row) const {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), row,
                                     [](const auto& entry, size_t r) { return entry.first < r; });
    return it != entries_.end() && it->first == row ? &it->second : nullptr;
}

DecodedCache::Entry* DecodedCache::findMutable(size_t row) {
    return const_cast<Entry*>(find(row));
}

void DecodedCache::add(size_t row, StoreDecoder::Result&& result) {
    Entry entry;
    entry.decoded = std::move(result.decoded);
    entry.sender = result.sender;
    pair(row, entry);
    bytes_ += decodedBytes(entry.decoded);
    entries_.emplace_back(row, std::move(entry));
}

// A response pairs with the latest request of its key from the other side; that request, when it has no
// partner yet, is answered by this response.
void DecodedCache::pair(size_t row, Entry& entry) {
    const uint32_t connection = store_.record(row).connectionId;
    OpenRequests& open = requests_[connection];
    const decoders::Sender other =
        entry.sender == decoders::Sender::Client ? decoders::Sender::Server : decoders::Sender::Client;
    for (const decoders::PairKey& key : entry.decoded.pairs) {
        if (key.role == decoders::PairKey::Role::Request) {
            auto [it, inserted] = open.rows.insert_or_assign({key.key, entry.sender}, row);
            if (inserted) open.order.push_back(it->first);
            continue;
        }
        if (entry.pairedRow != kNoRow) continue;
        const auto it = open.rows.find({key.key, other});
        if (it == open.rows.end()) continue;
        entry.pairedRow = it->second;
        entry.pairLatencyUs = store_.record(row).timestampUs - store_.record(it->second).timestampUs;
        if (Entry* request = findMutable(it->second); request && request->pairedRow == kNoRow) {
            request->pairedRow = row;
            request->pairedIsResponse = true;
            request->pairLatencyUs = entry.pairLatencyUs;
        }
    }
    while (open.order.size() > kMaxOpenRequests) {
        open.rows.erase(open.order.front());
        open.order.pop_front();
    }
}

void DecodedCache::trim() {
    while (bytes_ > budget_ && !entries_.empty()) {
        bytes_ -= std::min(bytes_, decodedBytes(entries_.front().second.decoded));
        keptFrom_ = entries_.front().first + 1;
        entries_.pop_front();
    }
}

void DecodedCache::setChoice(uint32_t connection, DecoderChoice choice) {
    decoder_.setChoice(connection, choice);
    reset();
}

void DecodedCache::reset() {
    decoder_.restart();
    entries_.clear();
    requests_.clear();
    next_ = 0;
    keptFrom_ = 0;
    bytes_ = 0;
}

}  // namespace framescope::app
