// The window's decoded messages: every message of the capture decoded once, in order (StoreDecoder), kept by
// store row with its request/response partner, within a memory budget (the oldest rows are dropped first;
// callers then replay). The capture model advances it a few milliseconds per tick, off the capture path.
// Use it on the thread that reads the store.
#pragma once

#include <QDeadlineTimer>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>

#include "decode/store_decoder.h"

namespace framescope::app {

class DecodedCache {
public:
    static constexpr size_t kDefaultBudgetBytes = size_t{64} << 20;
    static constexpr size_t kNoRow = SIZE_MAX;
    static constexpr size_t kMaxOpenRequests = 65536;  // per connection; more are forgotten, oldest first

    struct Entry {
        decoders::Decoded decoded;
        decoders::Sender sender = decoders::Sender::Client;
        size_t pairedRow = kNoRow;      // the request/response partner's store row
        bool pairedIsResponse = false;  // the partner answers this message
        int64_t pairLatencyUs = 0;
    };

    explicit DecodedCache(const CaptureStore& store, size_t budgetBytes = kDefaultBudgetBytes);

    // Rows [0, decodedRows()) have been decoded (or dropped to stay within the budget).
    size_t decodedRows() const noexcept { return next_; }
    // Decodes rows [decodedRows(), end), stopping early when `deadline` expires. Returns decodedRows().
    size_t advance(size_t end, const QDeadlineTimer& deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // The decoded message `row` ends; nullptr when no decoder reads it, or not yet decoded, or dropped.
    const Entry* find(size_t row) const;
    // True when `row` was decoded and then dropped for the budget (its value must be replayed).
    bool dropped(size_t row) const noexcept { return row < keptFrom_; }
    size_t bytesUsed() const noexcept { return bytes_; }

    // The user's choice of decoder for a connection; everything is decoded again.
    void setChoice(uint32_t connection, DecoderChoice choice);
    DecoderChoice choice(uint32_t connection) const { return decoder_.choice(connection); }
    const StoreDecoder& decoder() const noexcept { return decoder_; }
    // Forgets every decoded message (the store was cleared or renumbered); the choices stay.
    void reset();

private:
    struct OpenRequests {
        std::map<std::pair<std::string, decoders::Sender>, size_t> rows;  // latest request row per key
        std::deque<std::pair<std::string, decoders::Sender>> order;
    };
    void add(size_t row, StoreDecoder::Result&& result);
    void pair(size_t row, Entry& entry);
    Entry* findMutable(size_t row);
    void trim();

    const CaptureStore& store_;
    size_t budget_;
    StoreDecoder decoder_;
    std::deque<std::pair<size_t, Entry>> entries_;  // ascending rows
    std::unordered_map<uint32_t, OpenRequests> requests_;
    size_t next_ = 0;
    size_t keptFrom_ = 0;  // rows below were dropped for the budget
    size_t bytes_ = 0;
};

// Approximate heap bytes of a decoded value (for budgets).
size_t decodedBytes(const decoders::Decoded& decoded);

}  // namespace framescope::app
