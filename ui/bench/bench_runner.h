// Runs the bench/ suites on a worker thread (a BenchWorker moved to a QThread the runner owns) and
// reports progress and the finished run as queued signals. Qt Core only. cancel() returns at once: the
// runner is idle and reports finished() (cancelled, no rows) at once; the rows done so far follow in a
// second finished() (cancelled) when the worker ends its current row.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

#include "framescope/bench/suites.h"

namespace framescope::ui {

class BenchWorker : public QObject {
    Q_OBJECT
public:
    BenchWorker(bench::SuiteOptions options, std::shared_ptr<std::atomic<bool>> cancel);
    void run();

signals:
    void progress(const QString& row, int done, int total);
    void finished(const framescope::bench::SuiteRun& run);

private:
    bench::SuiteOptions options_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

class BenchRunner : public QObject {
    Q_OBJECT
public:
    explicit BenchRunner(QObject* parent = nullptr);
    ~BenchRunner() override;  // cancels and waits for the worker

    // False when a run (or a cancelled run's last row) is still going.
    bool start(bool quick, const QString& filter);
    void cancel();
    bool isRunning() const noexcept { return running_; }
    // The worker thread is still busy (a cancelled run's current row); start() waits for it to end.
    bool isBusy() const;

signals:
    void progress(const QString& row, int done, int total);
    void finished(const framescope::bench::SuiteRun& run);
    void busyChanged(bool busy);

private:
    void onWorkerFinished(const bench::SuiteRun& run);

    std::unique_ptr<QThread> thread_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    bool running_ = false;
};

}  // namespace framescope::ui

Q_DECLARE_METATYPE(framescope::bench::SuiteRun)
