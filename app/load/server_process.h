// A server of the end-to-end comparison, run as a child process: started with its stdout on a pipe, its
// first line must be "listening on ws://HOST:PORT/" (or tcp://). Its CPU time (every thread's, from
// /proc/PID/task/*/schedstat) and, when the malloc counter is preloaded into it, its malloc calls can be
// read at any time. Stopped with SIGTERM (then SIGKILL) when destroyed.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>

class QTemporaryFile;

namespace framescope::app {

struct MallocTotals {
    uint64_t calls = 0;
    uint64_t bytes = 0;
};

class ServerProcess {
public:
    // Starts `program` with `arguments`; `mallocCounter` (a path, may be empty) is preloaded into it.
    // Null with one sentence in `whyNot` when it does not start or says no port within 15 s.
    static std::unique_ptr<ServerProcess> start(const QString& program, const QStringList& arguments,
                                                const QString& mallocCounter, QString& whyNot);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    quint16 port() const noexcept { return port_; }
    qint64 pid() const noexcept { return process_.processId(); }
    bool running() const { return process_.state() == QProcess::Running; }
    // CPU time of all its threads so far, in ns; -1 when it cannot be read.
    int64_t cpuNs() const;
    // Its malloc calls so far; false when the counter is not preloaded into it.
    bool mallocTotals(MallocTotals& totals) const;

private:
    ServerProcess() = default;

    QProcess process_;
    std::unique_ptr<QTemporaryFile> countFile_;
    const void* counts_ = nullptr;  // the counter's shared page, mapped read-only
    quint16 port_ = 0;
};

}  // namespace framescope::app
