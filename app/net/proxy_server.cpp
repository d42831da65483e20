// ProxyServer: the controller that owns the proxy's thread, and the options' ranges.
#include "net/proxy_server.h"

#include "net/epoll_dispatcher.h"
#include "net/proxy_server_worker.h"
#include "net/server_listen.h"

namespace framescope::app {

QString checkProxyOptions(const ProxyOptions& o) {
    const QUrl& up = o.upstream;
    if (o.forward && !up.isEmpty())
        return "A forward proxy takes its servers from the apps' requests, not an upstream URL.";
    if (!o.forward && o.interceptTls) return "TLS interception needs the forward proxy mode.";
    if (!o.forward &&
        (!up.isValid() || (up.scheme() != "ws" && up.scheme() != "wss") || up.host().isEmpty())) {
        return QString("The upstream must be a ws:// or wss:// URL with a host, not '%1'.")
            .arg(up.toString());
    }
    if (o.maxMessageSize < 1 || o.maxMessageSize > (1ull << 31)) {
        return "The maximum message size must be from 1 byte to 2 GiB (2147483648 bytes).";
    }
    if (o.memoryBudget < (16ull << 20) || o.memoryBudget > (1ull << 40)) {
        return "The memory budget must be from 16 MiB (16777216 bytes) to 1 TiB.";
    }
    if (o.handshakeTimeoutMs < 100 || o.connectTimeoutMs < 100) {
        return "The handshake and connect timeouts must be at least 100 ms.";
    }
    if (o.maxConnections < 1 || o.maxConnections > 1000000) {
        return "The connection limit must be from 1 to 1000000.";
    }
    return {};
}

ProxyServer::ProxyServer(ProxyOptions options, CaptureSink* sink, QObject* parent)
    : QObject(parent), options_(options), counters_(std::make_shared<ProxyCounters>()) {
    worker_ = new ProxyServerWorker(std::move(options), sink, counters_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ProxyServerWorker::pairOpened, this, &ProxyServer::pairOpened);
    connect(worker_, &ProxyServerWorker::pairFinished, this, &ProxyServer::pairFinished);
    qRegisterMetaType<HeldMessage>();
    connect(worker_, &ProxyServerWorker::messageHeld, this, &ProxyServer::messageHeld);
    connect(worker_, &ProxyServerWorker::heldReleased, this, &ProxyServer::heldReleased);
    connect(worker_, &ProxyServerWorker::interceptFailed, this, &ProxyServer::interceptFailed);
    thread_.setObjectName("proxy-server");
    if (EpollEventDispatcher::available()) thread_.setEventDispatcher(new EpollEventDispatcher);
    thread_.start();
}

ProxyServer::~ProxyServer() {
    thread_.quit();
    thread_.wait();
}

bool ProxyServer::start(QString* error) {
    if (const QString problem = checkProxyOptions(options_); !problem.isEmpty()) {
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

bool ProxyServer::setInterceptRules(const InterceptRules& rules, QString* error) {
    if (const QString problem = checkInterceptRules(rules); !problem.isEmpty()) {
        if (error) *error = problem;
        return false;
    }
    QMetaObject::invokeMethod(worker_, [worker = worker_, rules] { worker->setInterceptRules(rules); });
    return true;
}

void ProxyServer::resolveHeld(quint32 pairId, quint64 heldId, const InterceptAction& action) {
    QMetaObject::invokeMethod(
        worker_, [worker = worker_, pairId, heldId, action] { worker->resolveHeld(pairId, heldId, action); });
}

void ProxyServer::inject(quint32 pairId, Leg to, const InterceptAction& action) {
    QMetaObject::invokeMethod(worker_,
                              [worker = worker_, pairId, to, action] { worker->inject(pairId, to, action); });
}

void ProxyServer::closePair(quint32 connectionId) {
    QMetaObject::invokeMethod(worker_, [worker = worker_, connectionId] { worker->closePair(connectionId); });
}

}  // namespace framescope::app
