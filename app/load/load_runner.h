// A load run against a live WebSocket server, controlled from any thread with an event loop (the UI's,
// the CLI's). Connections are spread over a small pool of worker threads (one per core by default), each
// running many connections; the runner takes their tallies once per interval and reports a LoadSample,
// then a LoadSummary with the run's latency histogram. Nothing is captured: counting only.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

#include "load/load_types.h"

namespace framescope::app {

class LoadWorker;

class LoadRunner : public QObject {
    Q_OBJECT
public:
    explicit LoadRunner(QObject* parent = nullptr);
    ~LoadRunner() override;  // stops a run, quits and waits for the worker threads
    LoadRunner(const LoadRunner&) = delete;
    LoadRunner& operator=(const LoadRunner&) = delete;

    // Starts a run. False with one sentence in `error` on bad options (nothing started).
    bool start(const LoadOptions& options, QString* error = nullptr);
    // Ends the run early: stops sending, closes the connections, then reports finished().
    void stop();
    bool isRunning() const noexcept { return running_; }

    const LoadOptions& options() const noexcept { return options_; }
    const QList<LoadSample>& samples() const noexcept { return samples_; }
    const LoadSummary& summary() const noexcept { return summary_; }

    // Checks `options` and fills `error` with one sentence; true when they can run.
    static bool validate(const LoadOptions& options, QString& error);

signals:
    void sampled(const framescope::app::LoadSample& sample);
    void stopping();
    void finished(const framescope::app::LoadSummary& summary);

private:
    // The last interval of a run, when shorter than a quarter of the others, counts in the summary only.
    void takeSample(bool last = false);
    void onWorkerStopped();
    void finish();
    void shutDownThreads();
    double cpuSeconds() const;

    LoadOptions options_;
    std::vector<std::unique_ptr<QThread>> threads_;
    std::vector<LoadWorker*> workers_;
    QTimer sampleTimer_;
    QTimer durationTimer_;
    QElapsedTimer clock_;
    double lastSampleSec_ = 0;
    double lastCpuSec_ = 0;
    double stopSec_ = 0;
    double steadySec_ = 0;         // sampled time after the ramp-up
    uint64_t steadyReceived_ = 0;  // echoes received in that time
    uint64_t steadyBytes_ = 0;
    int workersRunning_ = 0;
    bool running_ = false;
    bool stopRequested_ = false;
    QList<LoadSample> samples_;
    LoadSummary summary_;
};

}  // namespace framescope::app
