// EchoServer: the controller that owns the server's thread.
#include "net/echo_server.h"

#include <QMetaObject>

#include "net/echo_server_worker.h"
#include "net/epoll_dispatcher.h"
#include "net/memory_budget.h"
#include "net/server_listen.h"

namespace framescope::app {

EchoServer::EchoServer(EchoServerOptions options, CaptureSink* sink, QObject* parent)
    : QObject(parent), options_(options), counters_(std::make_shared<EchoServerCounters>()) {
    worker_ = new EchoServerWorker(std::move(options), sink, counters_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EchoServerWorker::clientConnected, this, &EchoServer::clientConnected);
    connect(worker_, &EchoServerWorker::clientDisconnected, this, &EchoServer::clientDisconnected);
    thread_.setObjectName("echo-server");
    // Many idle clients must not slow the busy ones: epoll instead of Qt's poll() over every socket.
    if (EpollEventDispatcher::available()) thread_.setEventDispatcher(new EpollEventDispatcher);
    thread_.start();
}

EchoServer::~EchoServer() {
    thread_.quit();
    thread_.wait();
}

QString checkEchoServerOptions(const EchoServerOptions& o) {
    constexpr uint64_t kMiB = 1ull << 20;
    if (o.maxMessageSize < 1 || o.maxMessageSize > (1ull << 31)) {
        return "The maximum message size must be from 1 byte to 2 GiB (2147483648 bytes).";
    }
    if (o.memoryBudget < 16 * kMiB || o.memoryBudget > (1ull << 40)) {
        return "The memory budget must be from 16 MiB (16777216 bytes) to 1 TiB.";
    }
    if (o.maxMessageSize > o.memoryBudget)
        return "The maximum message size must not exceed the memory budget.";
    if (o.handshakeTimeoutMs < 100 || o.handshakeTimeoutMs > 3600 * 1000) {
        return "The handshake timeout must be from 100 ms to 1 hour.";
    }
    if (o.idleTimeoutMs != 0 && (o.idleTimeoutMs < 1000 || o.idleTimeoutMs > 24 * 3600 * 1000)) {
        return "The idle timeout must be 0 (off) or from 1 second to 24 hours.";
    }
    if (o.maxConnections < 1 || o.maxConnections > 1000000) {
        return "The connection limit must be from 1 to 1000000.";
    }
    return {};
}

bool EchoServer::start(QString* error) {
    if (const QString problem = checkEchoServerOptions(options_); !problem.isEmpty()) {
        if (error) *error = problem;
        return false;
    }
    returnLargeBuffersToTheSystem();
    QString sentence;
    const QUrl url = listenOnWorkerThread(worker_, sentence);
    if (url.isEmpty()) {
        if (error) *error = sentence;
        return false;
    }
    url_ = url;
    emit listening(url_);
    return true;
}

void EchoServer::closeAll(quint16 code, const QString& reason) {
    QMetaObject::invokeMethod(
        worker_, [w = worker_, code, reason] { w->closeAll(code, reason); }, Qt::QueuedConnection);
}

void EchoServer::closeClient(quint32 connectionId, quint16 code, const QString& reason) {
    QMetaObject::invokeMethod(
        worker_, [w = worker_, connectionId, code, reason] { w->closeClient(connectionId, code, reason); },
        Qt::QueuedConnection);
}

void EchoServer::abortAll() {
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->abortAll(); }, Qt::QueuedConnection);
}

}  // namespace framescope::app
