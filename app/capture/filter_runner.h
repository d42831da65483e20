// Builds a filter's index of visible rows on a worker thread, so that a search over millions of captured
// rows never stalls the thread that shows them. One job at a time: a new start() supersedes the job
// running, which stops at its next slice (a few milliseconds), and its matches are never handed out.
// A job tests rows [0, end) of the store as published when it started, slice by slice, each slice under a
// CaptureStore::ReadLease; when the store's generation changes (clear, dropOldest) the job stops and its
// owner starts a new one over the renumbered rows.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "capture/capture_filter.h"
#include "capture/capture_store.h"

namespace framescope::app {

class FilterRunner {
public:
    static constexpr int kSliceMs = 4;  // rows tested under one lease, between two looks at cancellation

    struct Progress {
        std::vector<uint32_t> rows;  // matches found since the last take(), ascending
        size_t scanned = 0;          // rows of [0, end) tested so far
        bool done = false;           // every row of [0, end) tested
        bool stale = false;          // stopped: the store was cleared or renumbered under it
    };

    FilterRunner();
    ~FilterRunner();  // stops the job running and joins the worker
    FilterRunner(const FilterRunner&) = delete;
    FilterRunner& operator=(const FilterRunner&) = delete;

    // Tests rows [0, end) of `store` (which must outlive the job) against `filter`. Any earlier job is
    // superseded. The filter must not need decoded messages (those live on the model's thread).
    void start(const CaptureStore& store, const CaptureFilter& filter, size_t end);
    // Supersedes the current job without starting another.
    void cancel();
    // What the current job found since the last call (moved out), and how far it got.
    Progress take();

private:
    struct Job {
        uint64_t id = 0;
        const CaptureStore* store = nullptr;
        CaptureFilter filter;
        size_t end = 0;
        uint64_t generation = 0;
    };

    void run();
    void runJob(const Job& job);
    bool scanSlice(const Job& job, const CaptureFilterMatcher& matcher, size_t& row,
                   std::vector<uint32_t>& found) const;
    bool current(uint64_t id) const;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<Job> next_;  // waiting for the worker
    uint64_t currentId_ = 0;   // the job whose progress take() hands out
    Progress progress_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace framescope::app
