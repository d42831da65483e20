// The reverse proxy's worker: listening and accepting apps, one ProxyPair each.
#include "net/proxy_server_worker.h"

#include "framescope/close_code.h"
#include "net/forward_router.h"
#include "net/proxy_pair.h"
#include "net/server_listen.h"

namespace framescope::app {

ProxyServerWorker::ProxyServerWorker(ProxyOptions options, CaptureSink* sink,
                                     std::shared_ptr<ProxyCounters> counters)
    : options_(std::move(options)),
      sink_(sink),
      counters_(std::move(counters)),
      nextId_(options_.firstConnectionId),
      budget_(options_.memoryBudget) {}

void ProxyServerWorker::proxyNote(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    addCaptureNote(sink_, 0, NoteKind::Status, Direction::Incoming,
                   std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

QUrl ProxyServerWorker::listen(QString& error) {
    if (options_.interceptTls) {
        ca_ = std::make_unique<LocalCa>();
        if (!ca_->open(options_.caDir, error)) return {};
    }
    // Intercepting needs QSslSocket objects from the start (the app's TLS begins on its CONNECT socket).
    server_ = options_.interceptTls ? new TlsCapableServer(this) : new QTcpServer(this);
    connect(server_, &QTcpServer::pendingConnectionAvailable, this, &ProxyServerWorker::acceptPending);
    const QUrl url =
        listenForClients(*server_, options_.host, options_.port, options_.forward ? "http" : "ws", error);
    if (url.isEmpty()) return {};
    if (options_.forward) {
        proxyNote(QString("Forward proxy listening on %1 (WebSocket upgrades and CONNECT; %2).")
                      .arg(url.toString(),
                           ca_ ? QString("wss intercepted with the local CA %1").arg(ca_->certificateFile())
                               : QString("CONNECT tunnels pass through unread")));
        return url;
    }
    proxyNote(QString("Proxy listening on %1, forwarding to %2 (permessage-deflate toward the app %3, toward "
                      "the upstream %4; max message %5 bytes, memory budget %6 bytes).")
                  .arg(url.toString(), options_.upstream.toString(), options_.clientDeflate ? "on" : "off",
                       options_.upstreamDeflate == UpstreamDeflate::AsClient ? "as the app offers"
                       : options_.upstreamDeflate == UpstreamDeflate::Always ? "on"
                                                                             : "off")
                  .arg(options_.maxMessageSize)
                  .arg(options_.memoryBudget));
    return url;
}

void ProxyServerWorker::acceptPending() {
    while (server_->hasPendingConnections()) {
        QTcpSocket* socket = server_->nextPendingConnection();
        if (live_ >= options_.maxConnections) {
            refuseBusy(socket);
            continue;
        }
        routeApp(socket);
        nextId_ += 2;  // the client leg's id and the upstream leg's
        ++live_;
    }
}

// A pair to the upstream, or for the forward proxy a router that reads where the app wants to go.
QObject* ProxyServerWorker::routeApp(QTcpSocket* socket) {
    if (options_.forward) {
        auto* router =
            new ForwardRouter(socket, nextId_, options_, ca_.get(), sink_, counters_.get(), &budget_, this);
        connect(router, &ForwardRouter::opened, this, &ProxyServerWorker::pairOpened);
        connect(router, &ForwardRouter::finished, this, &ProxyServerWorker::pairFinished);
        connect(router, &ForwardRouter::finished, this, [this] { --live_; });
        return router;
    }
    auto* pair = new ProxyPair(socket, nextId_, options_, sink_, counters_.get(), &budget_, this);
    connect(pair, &ProxyPair::opened, this, &ProxyServerWorker::pairOpened);
    connect(pair, &ProxyPair::finished, this, &ProxyServerWorker::pairFinished);
    connect(pair, &ProxyPair::finished, this, [this](quint32 id) {
        --live_;
        pairs_.remove(id);
    });
    // Intercept applies to the reverse proxy's pairs (the forward proxy's are not held).
    pair->setInterceptMatcher(&matcher_);
    connect(pair, &ProxyPair::messageHeld, this, &ProxyServerWorker::messageHeld);
    connect(pair, &ProxyPair::heldReleased, this, &ProxyServerWorker::heldReleased);
    pairs_.insert(pair->connectionId(), pair);
    return pair;
}

// Past the connection limit: a short 503 (RFC 7231 §6.6.4), then close, without reading the request.
void ProxyServerWorker::refuseBusy(QTcpSocket* socket) {
    ++counters_->connectionsRefused;
    proxyNote(QString("Refused an app from %1:%2 with 503: the proxy already has %3 connections (the limit).")
                  .arg(socket->peerAddress().toString())
                  .arg(socket->peerPort())
                  .arg(live_));
    refuseAndClose(socket, this, proxyRefusal(503, "The proxy is at its connection limit."));
}

void ProxyServerWorker::setInterceptRules(const InterceptRules& rules) {
    matcher_ = InterceptMatcher(rules);
}

void ProxyServerWorker::resolveHeld(quint32 pairId, quint64 heldId, const InterceptAction& action) {
    QString error;
    ProxyPair* pair = pairs_.value(pairId);
    if (!pair) {
        error = QString("Connection %1 of the proxy has ended; its held messages are gone.").arg(pairId);
    } else if (pair->resolveHeld(heldId, action, error)) {
        return;
    }
    emit interceptFailed(error);
}

void ProxyServerWorker::inject(quint32 pairId, Leg to, const InterceptAction& action) {
    QString error;
    ProxyPair* pair = pairs_.value(pairId);
    if (!pair) {
        error = QString("Cannot inject: connection %1 of the proxy has ended.").arg(pairId);
    } else if (pair->inject(to, action, error)) {
        return;
    }
    emit interceptFailed(error);
}

void ProxyServerWorker::closePair(quint32 connectionId) {
    // The client leg's id names the pair; the upstream leg's is the next one.
    ProxyPair* pair = pairs_.value(connectionId);
    if (!pair) pair = pairs_.value(connectionId - 1);
    if (pair) pair->closeBothLegs(close_code::kNormal, QStringLiteral("closed from FrameScope"));
}

}  // namespace framescope::app
