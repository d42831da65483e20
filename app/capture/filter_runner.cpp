// Theory of operation: the owner's thread puts a job in `next_` (replacing one not started yet) and bumps
// `currentId_`; the worker takes it and tests rows slice by slice. Before each slice it checks that its job
// is still the current one, then takes a ReadLease and checks the store's generation. Matches of a slice
// are appended to `progress_` only while the job is current, so a superseded job's rows never reach take().
#include "capture/filter_runner.h"

#include <QElapsedTimer>

#include <algorithm>

namespace framescope::app {

namespace {

constexpr size_t kRowsBetweenClockLooks = 256;

}  // namespace

FilterRunner::FilterRunner() : worker_([this] { run(); }) {}

FilterRunner::~FilterRunner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        ++currentId_;
        next_.reset();
    }
    wake_.notify_one();
    worker_.join();
}

void FilterRunner::start(const CaptureStore& store, const CaptureFilter& filter, size_t end) {
    {
        std::lock_guard lock(mutex_);
        Job job;
        job.id = ++currentId_;
        job.store = &store;
        job.filter = filter;
        job.end = end;
        job.generation = store.generation();
        next_ = std::move(job);
        progress_ = {};
    }
    wake_.notify_one();
}

void FilterRunner::cancel() {
    std::lock_guard lock(mutex_);
    ++currentId_;
    next_.reset();
    progress_ = {};
}

FilterRunner::Progress FilterRunner::take() {
    std::lock_guard lock(mutex_);
    Progress taken;
    taken.rows.swap(progress_.rows);
    taken.scanned = progress_.scanned;
    taken.done = progress_.done;
    taken.stale = progress_.stale;
    return taken;
}

bool FilterRunner::current(uint64_t id) const {
    std::lock_guard lock(mutex_);
    return id == currentId_;
}

void FilterRunner::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || next_.has_value(); });
            if (stopping_) return;
            job = std::move(*next_);
            next_.reset();
        }
        runJob(job);
    }
}

void FilterRunner::runJob(const Job& job) {
    const CaptureFilterMatcher matcher(job.filter);  // compiled here: nothing shared with other threads
    std::vector<uint32_t> found;
    size_t row = 0;
    while (row < job.end) {
        if (!current(job.id)) return;
        found.clear();
        const bool valid = scanSlice(job, matcher, row, found);
        std::lock_guard lock(mutex_);
        if (job.id != currentId_) return;
        if (!valid) {
            progress_.stale = true;
            return;
        }
        progress_.rows.insert(progress_.rows.end(), found.begin(), found.end());
        progress_.scanned = row;
    }
    std::lock_guard lock(mutex_);
    if (job.id == currentId_) progress_.done = true;
}

// Tests rows from `row` for up to kSliceMs under one lease; false when the store changed generation.
bool FilterRunner::scanSlice(const Job& job, const CaptureFilterMatcher& matcher, size_t& row,
                             std::vector<uint32_t>& found) const {
    const CaptureStore::ReadLease lease(*job.store);
    if (job.store->generation() != job.generation) return false;
    QElapsedTimer clock;
    clock.start();
    while (row < job.end) {
        const size_t stop = std::min(job.end, row + kRowsBetweenClockLooks);
        for (; row < stop; ++row) {
            if (matcher.matches(*job.store, row)) found.push_back(static_cast<uint32_t>(row));
        }
        if (clock.elapsed() >= kSliceMs) break;
    }
    return true;
}

}  // namespace framescope::app
