#include "window/session_controller.h"

#include <algorithm>

namespace framescope::ui {

namespace {

bool finished(app::ConnectionState state) {
    return state == app::ConnectionState::Closed || state == app::ConnectionState::Failed ||
           state == app::ConnectionState::Idle;
}

}  // namespace

app::RawFrame rawFrameOf(const RawFramePlanItem& item) {
    app::RawFrame frame;
    frame.fin = item.fin;
    frame.rsv1 = item.rsv1;
    frame.rsv2 = item.rsv2;
    frame.rsv3 = item.rsv3;
    frame.opcode = item.opcode;
    frame.masked = item.masked;
    if (item.masked && !item.randomMaskKey) frame.maskKey = item.maskKey;
    frame.payload = item.payload;
    if (item.overrideLength) frame.declaredLength = item.declaredLength;
    if (item.forceEncoding) frame.encoding = item.encoding;
    return frame;
}

SessionController::SessionController(const app::CaptureStoreOptions& storeOptions, QObject* parent)
    : QObject(parent), store_(storeOptions), model_(new app::CaptureModel(store_, this)) {
    repeatTimer_.setTimerType(Qt::PreciseTimer);
    connect(&repeatTimer_, &QTimer::timeout, this, &SessionController::sendRepeated);
}

SessionController::~SessionController() {
    repeatTimer_.stop();
    // Connections and the server quit and wait for their threads before the store they write to goes.
    const auto children = findChildren<app::Connection*>(QString(), Qt::FindDirectChildrenOnly);
    for (app::Connection* connection : children)
        delete connection;
    proxy_.reset();
    server_.reset();
    loadTarget_.reset();
    delete model_;  // before the store it reads (children are deleted after the members)
    model_ = nullptr;
}

bool SessionController::startServer(quint16 port, QString* error, QString* note, bool captureServerSide) {
    if (server_) return true;
    app::EchoServerOptions options;
    options.port = port;
    options.firstConnectionId = kServerConnectionBase;
    app::CaptureSink* sink = captureServerSide ? &serverSink_ : nullptr;
    auto server = std::make_unique<app::EchoServer>(options, sink);
    QString firstError;
    if (!server->start(&firstError)) {
        if (port == 0) {
            if (error) *error = firstError;
            return false;
        }
        options.port = 0;
        server = std::make_unique<app::EchoServer>(options, sink);
        if (!server->start(error)) return false;
        if (note) {
            *note = tr("Port %1 was not free (%2), so the built-in echo server listens on port %3 instead.")
                        .arg(port)
                        .arg(firstError)
                        .arg(server->port());
        }
    }
    server_ = std::move(server);
    serverSink_.open();
    return true;
}

bool SessionController::startProxy(const QUrl& upstream, quint16 port, QString* error, bool passPings) {
    stopProxy();
    app::ProxyOptions options;
    options.port = port;
    options.upstream = upstream;
    options.passPings = passPings;
    options.firstConnectionId = nextProxyBase_;
    auto proxy = std::make_unique<app::ProxyServer>(options, &store_);
    if (!proxy->start(error)) return false;
    nextProxyBase_ += kProxyIdsPerStart;
    proxy_ = std::move(proxy);
    emit proxyChanged();
    return true;
}

void SessionController::stopProxy() {
    if (!proxy_) return;
    proxy_.reset();  // quits the proxy's thread: its pairs' sockets close with it
    emit proxyChanged();
}

QUrl SessionController::loadTargetUrl() {
    if (!loadTarget_) {
        app::EchoServerOptions options;  // port 0: a free one
        auto server = std::make_unique<app::EchoServer>(options, nullptr);
        if (!server->start()) return {};
        loadTarget_ = std::move(server);
    }
    return loadTarget_->url();
}

QUrl SessionController::serverUrl() const {
    return server_ ? server_->url() : QUrl();
}

app::ConnectionState SessionController::state() const {
    return connection_ ? connection_->state() : app::ConnectionState::Idle;
}

bool SessionController::isActive() const {
    return connection_ && !finished(connection_->state());
}

void SessionController::connectTo(const app::ConnectionOptions& options) {
    stopRepeat();
    if (connection_) retire(connection_);
    app::ConnectionOptions effective = options;
    effective.notifyMessages = false;  // the capture has every message; no per-message signal needed
    auto* connection = new app::Connection(effective, &store_, nextConnectionId_++, this);
    connection_ = connection;
    connect(connection, &app::Connection::stateChanged, this, &SessionController::onStateChanged);
    connect(connection, &app::Connection::opened, this, &SessionController::opened);
    connect(connection, &app::Connection::timingUpdated, this, &SessionController::timingUpdated);
    connect(connection, &app::Connection::commandFailed, this, &SessionController::commandFailed);
    connection->open();
}

void SessionController::retire(app::Connection* connection) {
    disconnect(connection, nullptr, this, nullptr);
    if (finished(connection->state())) {
        connection->deleteLater();
        return;
    }
    connection->disconnectFromPeer();
    connect(connection, &app::Connection::stateChanged, connection, [connection](app::ConnectionState s) {
        if (finished(s)) connection->deleteLater();
    });
    // A peer that never answers the close: the worker's close timeout ends it; this is the backstop.
    QTimer::singleShot(connection->options().closeTimeoutMs + 2000, connection, &QObject::deleteLater);
}

void SessionController::disconnectFromPeer() {
    stopRepeat();
    if (connection_) connection_->disconnectFromPeer();
}

bool SessionController::closeConnection(uint32_t id) {
    if (id >= kProxyConnectionBase) {  // either leg of a proxied pair: both legs get 1000, other pairs go on
        if (!proxy_) return false;
        proxy_->closePair(id);
        return true;
    }
    if (id >= kServerConnectionBase) {
        if (!server_) return false;
        server_->closeClient(id, 1000, QStringLiteral("closed from the connections list"));
        return true;
    }
    if (connection_ && connection_->connectionId() == id) {
        disconnectFromPeer();
        return true;
    }
    const auto children = findChildren<app::Connection*>(QString(), Qt::FindDirectChildrenOnly);
    for (app::Connection* connection : children) {
        if (connection->connectionId() != id || finished(connection->state())) continue;
        connection->disconnectFromPeer();
        return true;
    }
    return false;
}

void SessionController::onStateChanged(app::ConnectionState state, const QString& sentence) {
    if (state != app::ConnectionState::Open) stopRepeat();
    emit stateChanged(state, sentence);
}

void SessionController::sendText(const QString& text) {
    if (connection_) connection_->sendText(text);
}

void SessionController::sendBinary(const QByteArray& data) {
    if (connection_) connection_->sendBinary(data);
}

void SessionController::sendPing(const QByteArray& payload) {
    if (connection_) connection_->sendPing(payload);
}

void SessionController::sendClose(quint16 code, const QString& reason) {
    if (connection_) connection_->sendClose(code, reason);
}

void SessionController::sendPlan(const FramePlan& plan) {
    if (!connection_) return;
    for (const RawFramePlanItem& item : plan)
        connection_->sendRaw(rawFrameOf(item));
}

void SessionController::startRepeat(bool text, const QByteArray& payload, int intervalMs) {
    repeatText_ = text;
    repeatPayload_ = payload;
    repeatCount_ = 0;
    if (!isOpen()) {
        emit commandFailed(QStringLiteral("Cannot repeat a message: the connection is not open."));
        emit repeatStopped();
        return;
    }
    repeatTimer_.start(std::max(1, intervalMs));
    sendRepeated();
}

void SessionController::stopRepeat() {
    if (!repeatTimer_.isActive()) return;
    repeatTimer_.stop();
    emit repeatStopped();
}

void SessionController::sendRepeated() {
    if (!isOpen()) return stopRepeat();
    ++repeatCount_;
    if (repeatText_) {
        sendText(QString::fromUtf8(repeatPayload_));
    } else {
        sendBinary(repeatPayload_);
    }
}

}  // namespace framescope::ui
