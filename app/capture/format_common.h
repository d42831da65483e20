// What the capture file formats share (Qt-free): which rows to write, where written bytes go, the result of
// a read or a write, and interned violation sentences for frames reopened from a file.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/capture_store.h"

namespace framescope::app {

// Progress and cancellation of a file written on a worker thread: the writer notes how far it got through
// its rows, the owner's thread reads that and may set `cancelled`; the writer then fails at its next chunk.
struct WriteProgress {
    std::atomic<size_t> reached{0};  // rows of the current pass handed to the writer (some formats make 2)
    std::atomic<bool> cancelled{false};
};

// The rows a writer writes: every row published when the write starts, or only the listed ones (ascending,
// each below store.size()): the filtered rows or the selection.
class RowSet {
public:
    RowSet() = default;  // all rows
    explicit RowSet(const std::vector<size_t>* rows) : rows_(rows) {}
    // Rows [0, count): every row published at one moment, so that a writer making several passes while
    // frames keep arriving writes the same rows in each.
    static RowSet firstRows(size_t count) {
        RowSet set;
        set.prefix_ = count;
        set.hasPrefix_ = true;
        return set;
    }
    size_t count(const CaptureStore& store) const {
        return rows_ ? rows_->size() : (hasPrefix_ ? prefix_ : store.size());
    }
    size_t at(size_t i) const {
        if (progress_) progress_->reached.store(i + 1, std::memory_order_relaxed);
        return rows_ ? (*rows_)[i] : i;
    }
    void setProgress(WriteProgress* progress) { progress_ = progress; }
    bool cancelled() const { return progress_ && progress_->cancelled.load(std::memory_order_relaxed); }

private:
    const std::vector<size_t>* rows_ = nullptr;
    size_t prefix_ = 0;
    bool hasPrefix_ = false;
    WriteProgress* progress_ = nullptr;
};

// Receives the bytes of a file being written, in order; returns false when the write failed.
using ChunkWriter = std::function<bool(std::span<const uint8_t>)>;

struct FormatResult {
    bool ok = true;
    std::string error;  // one sentence when !ok
    uint64_t rows = 0;  // rows written or read
    static FormatResult failure(std::string sentence) { return {false, std::move(sentence), 0}; }
};

// A stable pointer to `sentence` (frames keep violations as static C strings).
const char* internViolation(std::string_view sentence);

// Microseconds since the epoch as a readable UTC time, e.g. "2026-11-30T10:41:00.123456Z".
std::string formatUtc(int64_t timestampUs);

}  // namespace framescope::app
