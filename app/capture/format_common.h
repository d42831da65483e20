// What the capture file formats share (Qt-free): which rows to write, where written bytes go, the result of
// a read or a write, and interned violation sentences for frames reopened from a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture/capture_store.h"

namespace framescope::app {

// The rows a writer writes: every row published when the write starts, or only the listed ones (ascending,
// each below store.size()): the filtered rows or the selection.
class RowSet {
public:
    RowSet() = default;  // all rows
    explicit RowSet(const std::vector<size_t>* rows) : rows_(rows) {}
    size_t count(const CaptureStore& store) const { return rows_ ? rows_->size() : store.size(); }
    size_t at(size_t i) const { return rows_ ? (*rows_)[i] : i; }

private:
    const std::vector<size_t>* rows_ = nullptr;
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
