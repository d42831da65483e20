// Bounded retention: when the capture's memory passes a limit (default 2 GiB), its oldest rows (half of
// them) are appended to a session file on disk ("spilled", the file opens like any .fscap) or dropped, so
// that a session of hours keeps running. enforce() runs on the thread that reads the store (the model's
// timer in the window, a timer in the CLI). Qt-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/capture_store.h"

namespace framescope::app {

struct RetentionOptions {
    size_t limitBytes = size_t{2} << 30;  // the store's memory (records and arena)
    std::string spillPath;                // empty: the oldest rows are dropped
    double keepFraction = 0.5;            // of the rows, when the limit is passed
};

class CaptureRetention {
public:
    explicit CaptureRetention(RetentionOptions options) : options_(std::move(options)) {}

    // Spills or drops the oldest rows when the store is over the limit; true when it did.
    bool enforce(CaptureStore& store);

    // Appends every row to the spill file (a command ending with its capture spilled there); false on error.
    bool spillAll(const CaptureStore& store) { return spill(store, store.size()); }

    const RetentionOptions& options() const noexcept { return options_; }
    uint64_t spilledRows() const noexcept { return spilled_; }
    uint64_t droppedRows() const noexcept { return dropped_; }
    const std::string& error() const noexcept { return error_; }  // the last spill failure
    // "1,200,000 oldest rows spilled to /tmp/a.fscap" / "... dropped (capture limit 2 GiB)"; empty if none.
    std::string statusText() const;

private:
    bool spill(const CaptureStore& store, size_t rows);

    RetentionOptions options_;
    uint64_t spilled_ = 0;
    uint64_t dropped_ = 0;
    std::string error_;
};

}  // namespace framescope::app
