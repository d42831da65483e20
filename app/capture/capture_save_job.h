// Writes captured rows to a file on a worker thread, so that saving or exporting a million rows never stalls
// the thread that shows them: File → Save (capture_files.h: session, pcapng, HAR, JSON Lines, CSV) and
// File → Export (capture_export.h: JSON Lines, CSV, text), of every row, the filtered rows or the selection.
// One job at a time. The worker holds a CaptureStore::ReadLease for the whole write: frames keep arriving
// (appends never wait for a lease), but clear() and dropOldest() wait until the job ends, so the owner
// cancels the job before clearing and holds back retention while it runs. The file is replaced atomically
// (QSaveFile): a failed or cancelled job leaves no partial file and an older file untouched.
#pragma once

#include <QObject>
#include <QString>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "capture/capture_export.h"
#include "capture/capture_files.h"
#include "capture/capture_store.h"
#include "capture/format_common.h"

namespace framescope::app {

class CaptureSaveJob final : public QObject {
    Q_OBJECT
public:
    explicit CaptureSaveJob(QObject* parent = nullptr);
    ~CaptureSaveJob() override;  // cancels the job running and joins its thread
    CaptureSaveJob(const CaptureSaveJob&) = delete;
    CaptureSaveJob& operator=(const CaptureSaveJob&) = delete;

    // Writes `rows` (ascending store rows; std::nullopt: every row published now) of `store` to `path`
    // in the format of its extension. False, with one sentence in `error`, when a job is still running.
    bool startSave(const CaptureStore& store, const QString& path, SaveOptions options,
                   std::optional<std::vector<size_t>> rows, QString* error = nullptr);
    // The same with an export's options (JSON Lines, CSV or text, whatever the extension).
    bool startExport(const CaptureStore& store, const QString& path, ExportOptions options,
                     std::optional<std::vector<size_t>> rows, QString* error = nullptr);

    bool isRunning() const { return running_; }
    QString path() const { return path_; }
    size_t rowsTotal() const { return total_; }
    // Rows handed to the writer so far; a pcapng file makes a quick first pass over the rows, then writes.
    size_t rowsReached() const;
    // Asks the worker to stop; finished() follows with cancelled = true (unless the write had just ended).
    void cancel();
    // Blocks until the worker is done (after cancel(): within one chunk of the file), then reports
    // finished() at once. Used before clearing the store, which waits for the worker's lease.
    void cancelAndWait();

signals:
    // Queued to the owner's thread when the worker is done: the rows written, or -1 with one sentence.
    void finished(qint64 rows, const QString& error, bool cancelled);

private:
    struct Outcome {
        qint64 rows = -1;
        QString error;
    };
    bool startWith(const CaptureStore& store, const QString& path, std::optional<std::vector<size_t>> rows,
                   QString* error);
    void launch(std::function<Outcome(const RowSet&)> write);
    void report(uint64_t id);
    void joinWorker();

    const CaptureStore* store_ = nullptr;
    QString path_;
    std::vector<size_t> rows_;  // the listed rows, or empty with allRows_
    bool allRows_ = false;
    size_t total_ = 0;
    uint64_t generation_ = 0;
    uint64_t jobId_ = 0;  // a finished() queued by a job waited for by cancelAndWait() is dropped
    bool running_ = false;
    std::unique_ptr<WriteProgress> progress_;
    Outcome outcome_;  // written by the worker before it queues report()
    std::thread worker_;
};

}  // namespace framescope::app
