// LoadRunner: splits the connections over the worker threads, samples them, and sums up the run.
#include "load/load_runner.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>

#include "load/load_worker.h"

namespace framescope::app {

namespace {

constexpr int kMaxConnections = 100000;

double us(uint64_t ns) {
    return static_cast<double>(ns) / 1e3;
}

}  // namespace

const char* payloadKindName(PayloadKind kind) noexcept {
    switch (kind) {
        case PayloadKind::Text:
            return "text";
        case PayloadKind::Binary:
            return "binary";
        case PayloadKind::Random:
            return "random";
        case PayloadKind::Repeated:
            return "repeated";
    }
    return "binary";
}

bool payloadKindFromName(const QString& name, PayloadKind& kind) noexcept {
    for (const PayloadKind candidate :
         {PayloadKind::Text, PayloadKind::Binary, PayloadKind::Random, PayloadKind::Repeated}) {
        if (name == QLatin1String(payloadKindName(candidate))) {
            kind = candidate;
            return true;
        }
    }
    return false;
}

LoadRunner::LoadRunner(QObject* parent) : QObject(parent), sampleTimer_(this), durationTimer_(this) {
    qRegisterMetaType<LoadSample>();
    qRegisterMetaType<LoadSummary>();
    sampleTimer_.setTimerType(Qt::PreciseTimer);
    durationTimer_.setSingleShot(true);
    durationTimer_.setTimerType(Qt::PreciseTimer);
    connect(&sampleTimer_, &QTimer::timeout, this, [this] { takeSample(); });
    connect(&durationTimer_, &QTimer::timeout, this, &LoadRunner::stop);
}

LoadRunner::~LoadRunner() {
    shutDownThreads();
}

bool LoadRunner::validate(const LoadOptions& options, QString& error) {
    const QUrl& url = options.connection.url;
    if (!url.isValid() || (url.scheme() != "ws" && url.scheme() != "wss") || url.host().isEmpty()) {
        error = QString("Invalid URL '%1': it must look like ws://host[:port]/path or wss://...")
                    .arg(url.toString());
    } else if (options.connections < 1 || options.connections > kMaxConnections) {
        error = QString("Connections must be between 1 and %1.").arg(kMaxConnections);
    } else if (options.messageSize < 0 || options.messageSize > (64 << 20)) {
        error = "The message size must be between 0 and 64 MiB.";
    } else if (options.rate <= 0 && (options.inFlight < 1 || options.inFlight > 100000)) {
        error = "Messages in flight must be between 1 and 100000 per connection.";
    } else if (options.durationSec <= 0 || options.rampUpSec < 0 || options.rampUpSec > options.durationSec) {
        error = "The duration must be positive and the ramp-up no longer than the duration.";
    } else if (options.sampleIntervalMs < 50) {
        error = "The sample interval must be at least 50 ms.";
    } else {
        return true;
    }
    return false;
}

bool LoadRunner::start(const LoadOptions& options, QString* error) {
    QString sentence;
    QSslConfiguration tls;
    if (running_) sentence = "A load run is already running.";
    if (sentence.isEmpty() && validate(options, sentence) && options.connection.url.scheme() == "wss")
        loadTlsConfiguration(options.connection.tls, tls, sentence);
    if (!sentence.isEmpty()) {
        if (error) *error = sentence;
        return false;
    }
    shutDownThreads();
    options_ = options;
    samples_.clear();
    summary_ = LoadSummary{};
    const int cores = std::max(1, QThread::idealThreadCount());
    const int threads = std::clamp(options.threads > 0 ? options.threads : cores, 1, options.connections);
    const int64_t startNs = loadClockNs();
    int first = 0;
    for (int t = 0; t < threads; ++t) {
        const int count = options.connections / threads + (t < options.connections % threads ? 1 : 0);
        const double share = options.rate * count / options.connections;
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QString("load-%1").arg(t));
        auto* worker = new LoadWorker(options, tls, first, count, share);
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &LoadWorker::stopped, this, &LoadRunner::onWorkerStopped);
        thread->start();
        QMetaObject::invokeMethod(
            worker, [worker, startNs] { worker->start(startNs); }, Qt::QueuedConnection);
        workers_.push_back(worker);
        threads_.push_back(std::move(thread));
        first += count;
    }
    workersRunning_ = threads;
    running_ = true;
    stopRequested_ = false;
    lastSampleSec_ = 0;
    lastCpuSec_ = 0;
    steadySec_ = 0;
    steadyReceived_ = 0;
    steadyBytes_ = 0;
    clock_.start();
    sampleTimer_.start(options.sampleIntervalMs);
    durationTimer_.start(static_cast<int>(std::lround(options.durationSec * 1000)));
    return true;
}

void LoadRunner::stop() {
    if (!running_ || stopRequested_) return;
    stopRequested_ = true;
    durationTimer_.stop();
    stopSec_ = static_cast<double>(clock_.nsecsElapsed()) / 1e9;
    for (LoadWorker* worker : workers_)
        QMetaObject::invokeMethod(
            worker, [worker] { worker->stop(); }, Qt::QueuedConnection);
    emit stopping();
}

double LoadRunner::cpuSeconds() const {
    double total = 0;
    for (const LoadWorker* worker : workers_)
        total += worker->cpuSeconds();
    return total;
}

void LoadRunner::takeSample(bool last) {
    const double now = static_cast<double>(clock_.nsecsElapsed()) / 1e9;
    const double interval = now - lastSampleSec_;
    if (interval <= 0) return;
    LoadTally sum;
    for (LoadWorker* worker : workers_) {
        LoadTally tally = worker->take();
        sum.sent += tally.sent;
        sum.received += tally.received;
        sum.bytesReceived += tally.bytesReceived;
        sum.errors += tally.errors;
        sum.closes += tally.closes;
        sum.opened += tally.opened;
        sum.openNow += tally.openNow;
        sum.latency.merge(tally.latency);
        for (const QString& sentence : tally.errorSentences) {
            if (summary_.errorSentences.size() < 8 && !summary_.errorSentences.contains(sentence))
                summary_.errorSentences.push_back(sentence);
        }
    }
    summary_.sent += sum.sent;
    summary_.received += sum.received;
    summary_.bytesReceived += sum.bytesReceived;
    summary_.errors += sum.errors;
    summary_.closes += sum.closes;
    summary_.connectionsOpened += sum.opened;
    summary_.histogram.merge(sum.latency);
    const double cpu = cpuSeconds();
    LoadSample sample;
    sample.timeSec = now;
    sample.intervalSec = interval;
    sample.messagesPerSec = static_cast<double>(sum.received) / interval;
    sample.sentPerSec = static_cast<double>(sum.sent) / interval;
    sample.mbPerSec = static_cast<double>(sum.bytesReceived) / interval / 1e6;
    sample.p50Us = us(sum.latency.percentileNs(0.5));
    sample.p90Us = us(sum.latency.percentileNs(0.9));
    sample.p99Us = us(sum.latency.percentileNs(0.99));
    sample.maxUs = us(sum.latency.maxNs());
    sample.messages = summary_.received;
    sample.errors = summary_.errors;
    sample.closes = summary_.closes;
    sample.connectionsOpen = sum.openNow;
    sample.generatorCpu = (cpu - lastCpuSec_) / interval;
    if (lastSampleSec_ >= options_.rampUpSec - 1e-3 && !stopRequested_) {
        steadySec_ += interval;
        steadyReceived_ += sum.received;
        steadyBytes_ += sum.bytesReceived;
    }
    lastSampleSec_ = now;
    lastCpuSec_ = cpu;
    if (last && interval < 0.25 * options_.sampleIntervalMs / 1000.0) return;
    samples_.push_back(sample);
    emit sampled(sample);
}

void LoadRunner::onWorkerStopped() {
    if (--workersRunning_ == 0) finish();
}

void LoadRunner::finish() {
    sampleTimer_.stop();
    takeSample(true);
    running_ = false;
    const LatencyHistogram& h = summary_.histogram;
    summary_.elapsedSec = stopSec_;
    const bool steady = steadySec_ > 0.2 * std::max(0.0, stopSec_ - options_.rampUpSec);
    const double seconds = steady ? steadySec_ : std::max(1e-9, stopSec_);
    summary_.messagesPerSec = static_cast<double>(steady ? steadyReceived_ : summary_.received) / seconds;
    summary_.mbPerSec = static_cast<double>(steady ? steadyBytes_ : summary_.bytesReceived) / seconds / 1e6;
    summary_.p50Us = us(h.percentileNs(0.5));
    summary_.p90Us = us(h.percentileNs(0.9));
    summary_.p99Us = us(h.percentileNs(0.99));
    summary_.maxUs = us(h.maxNs());
    summary_.meanUs = h.meanNs() / 1e3;
    summary_.generatorCpu = lastCpuSec_ / std::max(1e-9, lastSampleSec_);
    shutDownThreads();
    emit finished(summary_);
}

void LoadRunner::shutDownThreads() {
    if (running_) {
        // Destroyed mid-run: the workers close nothing gracefully; their sockets are aborted on delete.
        running_ = false;
        sampleTimer_.stop();
        durationTimer_.stop();
    }
    for (const auto& thread : threads_) {
        thread->quit();
        thread->wait();
    }
    threads_.clear();
    workers_.clear();
}

}  // namespace framescope::app
