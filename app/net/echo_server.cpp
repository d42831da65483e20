// EchoServer: the controller that owns the server's thread.
#include "net/echo_server.h"

#include <QMetaObject>

#include "net/echo_server_worker.h"

namespace framescope::app {

EchoServer::EchoServer(EchoServerOptions options, CaptureSink* sink, QObject* parent)
    : QObject(parent), options_(options), counters_(std::make_shared<EchoServerCounters>()) {
    worker_ = new EchoServerWorker(std::move(options), sink, counters_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EchoServerWorker::clientConnected, this, &EchoServer::clientConnected);
    connect(worker_, &EchoServerWorker::clientDisconnected, this, &EchoServer::clientDisconnected);
    thread_.setObjectName("echo-server");
    thread_.start();
}

EchoServer::~EchoServer() {
    thread_.quit();
    thread_.wait();
}

bool EchoServer::start(QString* error) {
    QUrl url;
    QString sentence;
    QMetaObject::invokeMethod(
        worker_, [&] { url = worker_->listen(sentence); }, Qt::BlockingQueuedConnection);
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

void EchoServer::abortAll() {
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->abortAll(); }, Qt::QueuedConnection);
}

}  // namespace framescope::app
