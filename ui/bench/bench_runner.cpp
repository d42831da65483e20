// BenchRunner and its worker: the suites' progress callback becomes a queued signal.
#include "bench/bench_runner.h"

namespace framescope::ui {

BenchWorker::BenchWorker(bench::SuiteOptions options, std::shared_ptr<std::atomic<bool>> cancel)
    : options_(std::move(options)), cancel_(std::move(cancel)) {}

void BenchWorker::run() {
    options_.cancel = cancel_.get();
    options_.progress = [this](const std::string& row, size_t done, size_t total) {
        emit progress(QString::fromStdString(row), static_cast<int>(done), static_cast<int>(total));
    };
    bench::SuiteRun run = bench::runSuites(options_);
    if (cancel_->load()) run.cancelled = true;
    emit finished(run);
}

BenchRunner::BenchRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<bench::SuiteRun>();
}

BenchRunner::~BenchRunner() {
    if (cancel_) cancel_->store(true);
    if (thread_) {
        thread_->quit();
        thread_->wait();
    }
}

bool BenchRunner::isBusy() const {
    return thread_ && thread_->isRunning();
}

bool BenchRunner::start(bool quick, const QString& filter) {
    if (running_ || isBusy()) return false;
    if (thread_) thread_->wait();
    thread_ = std::make_unique<QThread>();
    thread_->setObjectName("bench");
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    bench::SuiteOptions options;
    options.quick = quick;
    options.filter = filter.toStdString();
    auto* worker = new BenchWorker(std::move(options), cancel_);
    worker->moveToThread(thread_.get());
    connect(thread_.get(), &QThread::started, worker, &BenchWorker::run);
    connect(thread_.get(), &QThread::finished, worker, &QObject::deleteLater);
    connect(thread_.get(), &QThread::finished, this, [this] { emit busyChanged(false); });
    connect(worker, &BenchWorker::finished, thread_.get(), &QThread::quit);
    connect(worker, &BenchWorker::progress, this, [this](const QString& row, int done, int total) {
        if (running_) emit progress(row, done, total);
    });
    connect(worker, &BenchWorker::finished, this, &BenchRunner::onWorkerFinished);
    running_ = true;
    thread_->start();
    emit busyChanged(true);
    return true;
}

void BenchRunner::cancel() {
    if (!running_) return;
    cancel_->store(true);
    running_ = false;
    bench::SuiteRun cancelled;
    cancelled.cancelled = true;
    emit finished(cancelled);
}

void BenchRunner::onWorkerFinished(const bench::SuiteRun& run) {
    if (!running_) {
        // A cancelled run's rows arrive after its cancellation was reported; report them as cancelled.
        if (!run.results.empty()) emit finished(run);
        return;
    }
    running_ = false;
    emit finished(run);
}

}  // namespace framescope::ui
