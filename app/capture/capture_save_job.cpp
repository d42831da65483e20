// Theory of operation: start*() copies everything the worker reads (rows, options, the store's generation)
// into the job before its thread starts, and nothing changes them until the thread is joined, so the
// worker reads them without locks. The worker writes `outcome_` last and then queues report() to the owner's
// thread; the queued call (or cancelAndWait(), after joining) hands it out once, as finished().
#include "capture/capture_save_job.h"

#include <QMetaObject>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace framescope::app {

namespace {

// The worker yields to the GUI thread and the connections' threads: on a busy machine a long write takes
// the CPU they leave rather than stalling the window (Linux nices threads one by one).
void lowerThisThreadsPriority() {
#ifdef __linux__
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
#endif
}

}  // namespace

CaptureSaveJob::CaptureSaveJob(QObject* parent) : QObject(parent) {}

CaptureSaveJob::~CaptureSaveJob() {
    if (progress_) progress_->cancelled.store(true);
    joinWorker();
}

bool CaptureSaveJob::startSave(const CaptureStore& store, const QString& path, SaveOptions options,
                               std::optional<std::vector<size_t>> rows, QString* error) {
    if (!startWith(store, path, std::move(rows), error)) return false;
    launch([this, options = std::move(options)](const RowSet& rowSet) {
        SaveOptions withRows = options;
        withRows.rows = rowSet;
        Outcome outcome;
        outcome.rows = saveCaptureFile(*store_, path_, withRows, &outcome.error);
        return outcome;
    });
    return true;
}

bool CaptureSaveJob::startExport(const CaptureStore& store, const QString& path, ExportOptions options,
                                 std::optional<std::vector<size_t>> rows, QString* error) {
    if (!startWith(store, path, std::move(rows), error)) return false;
    launch([this, options = std::move(options)](const RowSet& rowSet) {
        Outcome outcome;
        outcome.rows = exportCaptureToFile(*store_, path_, options, &outcome.error, rowSet);
        return outcome;
    });
    return true;
}

size_t CaptureSaveJob::rowsReached() const {
    return progress_ ? progress_->reached.load(std::memory_order_relaxed) : 0;
}

void CaptureSaveJob::cancel() {
    if (running_ && progress_) progress_->cancelled.store(true);
}

void CaptureSaveJob::cancelAndWait() {
    if (!running_) return;
    cancel();
    joinWorker();
    report(jobId_);
}

bool CaptureSaveJob::startWith(const CaptureStore& store, const QString& path,
                               std::optional<std::vector<size_t>> rows, QString* error) {
    if (running_) {
        if (error) *error = QStringLiteral("%1 is still being written; wait for it or cancel it.").arg(path_);
        return false;
    }
    joinWorker();  // the last job reported already; its thread may still be returning
    store_ = &store;
    path_ = path;
    allRows_ = !rows.has_value();
    rows_ = rows ? std::move(*rows) : std::vector<size_t>();
    total_ = allRows_ ? store.size() : rows_.size();
    generation_ = store.generation();
    progress_ = std::make_unique<WriteProgress>();
    outcome_ = {};
    return true;
}

void CaptureSaveJob::launch(std::function<Outcome(const RowSet&)> write) {
    running_ = true;
    const uint64_t id = ++jobId_;
    worker_ = std::thread([this, id, write = std::move(write)] {
        lowerThisThreadsPriority();
        RowSet rowSet = allRows_ ? RowSet::firstRows(total_) : RowSet(&rows_);
        rowSet.setProgress(progress_.get());
        Outcome outcome;
        {
            const CaptureStore::ReadLease lease(*store_);
            if (store_->generation() != generation_) {
                outcome.error =
                    QStringLiteral("The capture was cleared before %1 could be written.").arg(path_);
            } else {
                outcome = write(rowSet);
            }
        }
        outcome_ = std::move(outcome);
        QMetaObject::invokeMethod(
            this, [this, id] { report(id); }, Qt::QueuedConnection);
    });
}

void CaptureSaveJob::report(uint64_t id) {
    if (id != jobId_ || !running_) return;  // handed out already (cancelAndWait) or superseded
    running_ = false;
    const bool cancelled = outcome_.rows < 0 && progress_->cancelled.load();
    emit finished(outcome_.rows, outcome_.error, cancelled);
}

void CaptureSaveJob::joinWorker() {
    if (worker_.joinable()) worker_.join();
}

}  // namespace framescope::app
