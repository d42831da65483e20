// ServerProcess: start, read the "listening on" line, read CPU time and malloc counts, stop.
#include "load/server_process.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryFile>

#include <signal.h>
#include <sys/mman.h>

#include <atomic>

#include "framescope/bench/malloc_count_api.h"

namespace framescope::app {

namespace {

constexpr int kStartTimeoutMs = 15000;
constexpr size_t kCountPage = 4096;

// The first field of /proc/PID/task/TID/schedstat: nanoseconds that thread ran on a CPU.
int64_t schedNs(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return -1;
    bool ok = false;
    const int64_t ns = file.readLine().split(' ').value(0).toLongLong(&ok);
    return ok ? ns : -1;
}

quint16 portFromLine(const QByteArray& line) {
    static const QRegularExpression pattern(R"(^listening on (?:ws|tcp)://[^ ]*:(\d+)/)");
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(line));
    return match.hasMatch() ? static_cast<quint16>(match.captured(1).toUInt()) : 0;
}

}  // namespace

std::unique_ptr<ServerProcess> ServerProcess::start(const QString& program, const QStringList& arguments,
                                                    const QString& mallocCounter, QString& whyNot) {
    std::unique_ptr<ServerProcess> server(new ServerProcess());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!mallocCounter.isEmpty() && QFile::exists(mallocCounter)) {
        server->countFile_ = std::make_unique<QTemporaryFile>(QDir::tempPath() + "/framescope-malloc-XXXXXX");
        if (server->countFile_->open() && server->countFile_->resize(kCountPage)) {
            void* page = mmap(nullptr, kCountPage, PROT_READ, MAP_SHARED, server->countFile_->handle(), 0);
            if (page != MAP_FAILED) server->counts_ = page;
        }
        if (server->counts_ != nullptr) {
            environment.insert("LD_PRELOAD", mallocCounter);
            environment.insert(FRAMESCOPE_MALLOC_COUNT_FILE_ENV, server->countFile_->fileName());
        }
    }
    server->process_.setProcessEnvironment(environment);
    server->process_.setProcessChannelMode(QProcess::SeparateChannels);
    server->process_.setStandardErrorFile(QProcess::nullDevice());
    server->process_.start(program, arguments);
    if (!server->process_.waitForStarted(kStartTimeoutMs)) {
        whyNot = QString("%1 did not start: %2").arg(program, server->process_.errorString());
        return nullptr;
    }
    QByteArray line;
    while (!line.contains('\n') && server->process_.waitForReadyRead(kStartTimeoutMs))
        line += server->process_.readLine();
    server->port_ = portFromLine(line);
    if (server->port_ == 0) {
        whyNot = QString("%1 did not say which port it listens on (it said: %2)")
                     .arg(program, QString::fromUtf8(line.trimmed()));
        return nullptr;
    }
    return server;
}

ServerProcess::~ServerProcess() {
    if (process_.state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(process_.processId()), SIGTERM);
        if (!process_.waitForFinished(3000)) {
            process_.kill();
            process_.waitForFinished(3000);
        }
    }
    if (counts_ != nullptr) munmap(const_cast<void*>(counts_), kCountPage);
}

int64_t ServerProcess::cpuNs() const {
    const QString tasks = QString("/proc/%1/task").arg(process_.processId());
    int64_t total = 0;
    const QStringList threads = QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (threads.isEmpty()) return -1;
    for (const QString& thread : threads) {
        const int64_t ns = schedNs(tasks + "/" + thread + "/schedstat");
        if (ns >= 0) total += ns;
    }
    return total;
}

bool ServerProcess::mallocTotals(MallocTotals& totals) const {
    if (counts_ == nullptr) return false;
    const auto* counters = static_cast<const std::atomic<uint64_t>*>(counts_);
    totals.calls = counters[0].load(std::memory_order_relaxed);
    totals.bytes = counters[1].load(std::memory_order_relaxed);
    return totals.calls > 0;  // zero: the counter never mapped the page (not preloaded after all)
}

}  // namespace framescope::app
