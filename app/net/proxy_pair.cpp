// ProxyPair: the app's handshake held until the upstream answers, the relay step between the legs, closes
// and backpressure. See proxy_pair.h.
#include "net/proxy_pair.h"

#include <QTimer>

#include <algorithm>
#include <utility>

#include "capture/capture_endpoints.h"
#include "framescope/close_code.h"

namespace framescope::app {

namespace {

constexpr int kDrainTimeoutMs = 10000;
// A leg whose socket holds more unsent bytes than this stops the other leg's reading until it is down to
// half (TCP then slows the sender on the other side).
constexpr qint64 kRelayHighWater = 4 << 20;

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

std::string_view textOf(std::span<const uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Leg otherLeg(Leg leg) {
    return leg == Leg::Client ? Leg::Upstream : Leg::Client;
}

const char* legTitle(Leg leg) {
    return leg == Leg::Client ? "app's" : "upstream";
}

// Headers of the app's request that the upstream handshake makes itself (or that belong to one hop).
bool isHandshakeHeader(const std::string& name) {
    static const char* const kOwn[] = {"host",
                                       "upgrade",
                                       "connection",
                                       "sec-websocket-key",
                                       "sec-websocket-version",
                                       "origin",
                                       "sec-websocket-extensions",
                                       "sec-websocket-protocol",
                                       "content-length",
                                       "keep-alive",
                                       "transfer-encoding",
                                       "te",
                                       "trailer",
                                       "proxy-connection",
                                       "proxy-authorization"};
    const QString lower = QString::fromStdString(name).toLower();
    return std::any_of(std::begin(kOwn), std::end(kOwn), [&](const char* own) { return lower == own; });
}

QStringList offeredSubprotocols(const HttpHeaders& headers) {
    QStringList offered;
    for (const QString& part : QString::fromStdString(headers.joined("Sec-WebSocket-Protocol")).split(',')) {
        if (!part.trimmed().isEmpty()) offered << part.trimmed();
    }
    return offered;
}

// The upstream URL with the app's request target after its path.
QUrl upstreamUrlFor(const QUrl& upstream, const std::string& target) {
    QString path = upstream.path(QUrl::FullyEncoded);
    if (path.endsWith('/')) path.chop(1);
    const QString resource = target.starts_with('/') ? QString::fromStdString(target) : QString("/");
    const QString base = upstream.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                                           QUrl::StripTrailingSlash);
    return QUrl(base + path + resource);
}

}  // namespace

QByteArray proxyRefusal(int status, const QString& sentence) {
    const std::string_view known = httpReasonPhrase(status);
    const QByteArray reason = !known.empty()  ? QByteArray(known.data(), qsizetype(known.size()))
                              : status == 501 ? QByteArray("Not Implemented")
                              : status == 502 ? QByteArray("Bad Gateway")
                              : status == 503 ? QByteArray("Service Unavailable")
                                              : QByteArray("Refused");
    const QByteArray body = sentence.toUtf8() + "\r\n";
    return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
           "\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

ProxyPair::ProxyPair(QTcpSocket* socket, uint32_t clientId, const ProxyOptions& options, CaptureSink* sink,
                     ProxyCounters* counters, MemoryBudget* budget, QObject* parent, PairRoute route)
    : QObject(parent),
      socket_(socket),
      clientId_(clientId),
      options_(options),
      counters_(counters),
      budget_(budget),
      clientSink_(sink, Leg::Client),
      upstreamSink_(sink, Leg::Upstream),
      handshake_(ServerHandshakeOptions{}),
      route_(std::move(route)) {
    socket_->setParent(this);
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    driver_ = new SessionDriver(socket_, &clientSink_, clientId_, this);
    driver_->setEventHandler([this](const Event& event) { onClientEvent(event); });
    driver_->setMemoryBudget(budget_);
    reportEndpoints(&clientSink_, clientId_, *socket_, false);
    connect(driver_, &SessionDriver::failedLocally, this, [this](quint16, const QString& sentence) {
        endSentence_ = sentence;
        closeClientSoon();
    });
    connect(socket_, &QIODevice::readyRead, this, &ProxyPair::onClientReadyRead);
    connect(socket_, &QAbstractSocket::disconnected, this, &ProxyPair::onClientDisconnected);
    connect(socket_, &QIODevice::bytesWritten, this, &ProxyPair::updateBackpressure);
    QTimer::singleShot(options_.handshakeTimeoutMs, this, &ProxyPair::onHandshakeTimeout);
    peer_ = QString("%1:%2").arg(socket_->peerAddress().toString()).arg(socket_->peerPort());
    note(Leg::Client, NoteKind::Status, Direction::Incoming,
         QString("App %1 connected to the proxy.").arg(peer_));
    QTimer::singleShot(0, this, [this] {
        if (socket_->state() != QAbstractSocket::ConnectedState) return onClientDisconnected();
        onClientReadyRead();
    });
}

ProxyPair::~ProxyPair() {
    // The legs' objects capture into the LegSinks, members of this object: they go first.
    delete upstream_;
    socket_->disconnect(this);
    delete driver_;
    if (budget_) budget_->recharge(queuedCharged_, 0);  // held messages the pair still had
}

void ProxyPair::note(Leg leg, NoteKind kind, Direction direction, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    addCaptureNote(leg == Leg::Client ? &clientSink_ : &upstreamSink_, legId(leg), kind, direction,
                   std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

void ProxyPair::reportFate(Leg from, uint64_t messageIndex, RelayFate fate) {
    if (messageIndex == kNoMessage) return;
    (from == Leg::Client ? clientSink_ : upstreamSink_).addRelayFate({legId(from), messageIndex, fate});
}

void ProxyPair::onHandshakeTimeout() {
    if (upstream_ || answered_ || clientDone_) return;
    endSentence_ =
        QString("Handshake timeout: no complete upgrade request within %1 ms; the connection was dropped.")
            .arg(options_.handshakeTimeoutMs);
    socket_->abort();
}

void ProxyPair::onClientReadyRead() {
    if (driver_->started()) {
        driver_->readAvailable();
    } else if (!upstream_ && handshake_.state() == HandshakeState::InProgress) {
        readClientHandshake();
    }  // else: waiting for the upstream; the bytes wait in the socket (bounded read buffer)
}

void ProxyPair::readClientHandshake() {
    const QByteArray bytes = std::exchange(route_.readAhead, {}) + socket_->readAll();
    if (bytes.isEmpty()) return;
    const HandshakeStep step = handshake_.receive(bytesOf(bytes));
    if (step.state == HandshakeState::InProgress) return;
    note(Leg::Client, NoteKind::HandshakeRequest, Direction::Incoming,
         QString::fromStdString(handshake_.requestHead()));
    if (step.state == HandshakeState::Failed) {
        const std::string& response = handshake_.response();
        note(Leg::Client, NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromStdString(response));
        socket_->write(response.data(), static_cast<qint64>(response.size()));
        answered_ = true;
        endSentence_ = QString("Refused the app's handshake with %1: %2")
                           .arg(handshake_.responseStatus())
                           .arg(QString::fromStdString(handshake_.errorMessage()));
        return closeClientSoon();
    }
    leftover_ = bytes.mid(static_cast<qsizetype>(step.consumed));
    openUpstream();
}

ConnectionOptions ProxyPair::upstreamOptions() const {
    const HttpHeaders& request = handshake_.headers();
    ConnectionOptions o;
    o.url =
        route_.upstream.isEmpty() ? upstreamUrlFor(options_.upstream, handshake_.path()) : route_.upstream;
    o.subprotocols = offeredSubprotocols(request);
    o.origin = QString::fromStdString(std::string(request.first("Origin").value_or("")));
    for (const HttpHeader& header : request.all()) {
        if (!isHandshakeHeader(header.name))
            o.headers.append({QString::fromStdString(header.name), QString::fromStdString(header.value)});
    }
    for (const auto& header : options_.headers) {
        const QString& name = header.first;  // not a structured binding: clang 14 cannot capture one
        const QString& value = header.second;
        if (name.compare("Host", Qt::CaseInsensitive) == 0) {
            o.hostHeader = value;
        } else if (name.compare("Origin", Qt::CaseInsensitive) == 0) {
            o.origin = value;
        } else {
            o.headers.removeIf(
                [&](const auto& h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
            if (!value.isEmpty()) o.headers.append({name, value});
        }
    }
    const bool appOffered =
        request.joined("Sec-WebSocket-Extensions").find("permessage-deflate") != std::string::npos;
    if (options_.upstreamDeflate == UpstreamDeflate::Always ||
        (options_.upstreamDeflate == UpstreamDeflate::AsClient && appOffered)) {
        o.deflate = DeflateOffer{};
    }
    o.tls = options_.tls;
    o.connectTimeoutMs = options_.connectTimeoutMs;
    o.limits.maxMessageSize = options_.maxMessageSize;
    o.limits.maxFramePayload = options_.maxMessageSize;
    o.notifyMessages = false;
    o.autoPong = !options_.passPings;
    return o;
}

void ProxyPair::openUpstream() {
    upstream_ = new ConnectionWorker(upstreamOptions(), &upstreamSink_, clientId_ + 1);
    upstream_->setParent(this);
    upstream_->setEventObserver([this](const Event& event) { onUpstreamEvent(event); });
    connect(upstream_, &ConnectionWorker::opened, this,
            [this](const QString& subprotocol, const QString&) { onUpstreamOpened(subprotocol); });
    connect(upstream_, &ConnectionWorker::stateChanged, this, &ProxyPair::onUpstreamState);
    note(Leg::Upstream, NoteKind::Status, Direction::Outgoing,
         QString("Proxying the app %1 (connection %2) to the upstream; %3.")
             .arg(peer_)
             .arg(clientId_)
             .arg(options_.passPings ? "pings and pongs are passed through to the other leg"
                                     : "pings are answered on each leg (the app and the upstream do not "
                                       "see each other's)"));
    upstream_->open();
    if (SessionDriver* upstreamDriver = upstream_->driver()) {
        upstreamDriver->setMemoryBudget(budget_);
        connect(upstreamDriver->socket(), &QIODevice::bytesWritten, this, &ProxyPair::updateBackpressure);
    }
}

void ProxyPair::onUpstreamOpened(const QString& subprotocol) {
    ServerHandshakeOptions hs;
    hs.deflate.enabled = options_.clientDeflate;
    if (!subprotocol.isEmpty()) hs.subprotocols = {subprotocol.toStdString()};
    ServerHandshake answer(hs);  // the request validated above, answered with the upstream's choice
    answer.receive(std::string_view(handshake_.requestHead()));
    const std::string& response = answer.response();
    note(Leg::Client, NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromStdString(response));
    socket_->write(response.data(), static_cast<qint64>(response.size()));
    answered_ = true;
    opened_ = true;
    ++counters_->pairsOpen;
    ++counters_->pairsTotal;
    SessionOptions session;
    session.role = Role::Server;
    session.limits.maxFramePayload = options_.maxMessageSize;
    session.limits.maxMessageSize = options_.maxMessageSize;
    session.deflate = answer.deflate();
    session.autoPong = !options_.passPings;
    driver_->start(session, bytesOf(leftover_));
    leftover_.clear();
    emit opened(clientId_, peer_);
    if (socket_->bytesAvailable() > 0) driver_->readAvailable();
}

void ProxyPair::onUpstreamState(ConnectionState state, const QString& sentence) {
    if (state != ConnectionState::Failed && state != ConnectionState::Closed) return;
    if (upstreamDone_) return;
    upstreamDone_ = true;
    if (!answered_ && !clientDone_) {
        ++counters_->upstreamRefusals;
        const int status = upstream_->handshakeStatus();
        refuseClient(status >= 400 && status <= 599 ? status : 502,
                     "The upstream refused or failed: " + sentence);
    } else if (answered_) {
        closeOtherLeg(Leg::Upstream, sentence);
    }
    finishIfDone();
}

void ProxyPair::refuseClient(int status, const QString& sentence) {
    const QByteArray response = proxyRefusal(status, sentence);
    note(Leg::Client, NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromUtf8(response));
    endSentence_ = QString("Refused the app with %1. %2").arg(status).arg(sentence);
    note(Leg::Client, NoteKind::Status, Direction::Outgoing, endSentence_);
    socket_->write(response);
    answered_ = true;
    closeClientSoon();
}

void ProxyPair::onClientEvent(const Event& event) {
    switch (event.kind) {
        case EventKind::Message:
        case EventKind::Close:
            relay(Leg::Client, event);
            // The server closes TCP once the close handshake is complete (RFC 6455 §7.1.1).
            if (driver_->session().state() == SessionState::Closed) closeClientSoon();
            break;
        case EventKind::Ping:
        case EventKind::Pong:
            relayControl(Leg::Client, event);
            break;
        case EventKind::ProtocolError:
            endSentence_ = QString("The app broke the protocol, %1 (%2): %3")
                               .arg(event.closeCode)
                               .arg(closeCodeName(event.closeCode), QString::fromUtf8(event.error));
            closeClientSoon();
            break;
        default:
            break;
    }
}

void ProxyPair::onUpstreamEvent(const Event& event) {
    if (event.kind == EventKind::Message || event.kind == EventKind::Close) relay(Leg::Upstream, event);
    if (event.kind == EventKind::Ping || event.kind == EventKind::Pong) relayControl(Leg::Upstream, event);
}

// The one step every data message and close crossing the proxy takes, once per direction. Intercept
// holds or queues it here (proxy_pair_intercept.cpp); pings and pongs never come here (relayControl()).
void ProxyPair::relay(Leg from, const Event& event) {
    if (event.kind != EventKind::Message && event.kind != EventKind::Close) return;
    if (holdOrQueue(from, event)) return;
    if (event.kind == EventKind::Message) {
        relayMessage(from, event);
    } else {
        relayClose(from, event);
    }
}

void ProxyPair::relayMessage(Leg from, const Event& message) {
    const Leg to = otherLeg(from);
    const uint64_t size = message.payload.size();
    if (!legOpen(to)) {
        reportFate(from, message.messageIndex, RelayFate::NotSent);
        note(to, NoteKind::Status, Direction::Outgoing,
             QString("Not relayed: a %1-byte message from the %2 leg arrived after the %3 leg closed.")
                 .arg(size)
                 .arg(legTitle(from), legTitle(to)));
        return;
    }
    SessionDriver* target = driverOf(to);
    if (!target->canAfford(2 * size)) {  // the copy for the other leg, then the socket's
        reportFate(from, message.messageIndex, RelayFate::NotSent);
        return driverOf(from)->failLocally(
            close_code::kTryAgainLater,
            "The proxy's memory budget cannot hold this message for the other leg; closed with 1013.");
    }
    // The frames written for it are captured as its relay: the capture links them to it.
    target->setRelaySource(legId(from), message.messageIndex);
    const LocalError error = message.messageOpcode == opcode::kText
                                 ? target->sendText(textOf(message.payload))
                                 : target->sendBinary(message.payload);
    target->clearRelaySource();
    if (error != LocalError::None) {
        reportFate(from, message.messageIndex, RelayFate::NotSent);
        note(to, NoteKind::Status, Direction::Outgoing,
             QString("Not relayed: a %1-byte message from the %2 leg: %3.")
                 .arg(size)
                 .arg(legTitle(from), QString::fromStdString(make_error_code(error).message())));
        return;
    }
    ++(to == Leg::Upstream ? counters_->messagesToUpstream : counters_->messagesToClient);
    updateBackpressure();
}

void ProxyPair::relayClose(Leg from, const Event& close) {
    const Leg to = otherLeg(from);
    if (!legOpen(to)) return;  // that leg is closing already; each leg's close handshake completes on its own
    const std::string_view reason = textOf(close.payload);
    if (to == Leg::Upstream) {
        upstream_->sendClose(close.closeCode, QString::fromUtf8(reason.data(), qsizetype(reason.size())));
    } else {
        driver_->sendClose(close.closeCode, reason);
        QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
    }
}

// With passPings, a ping or pong goes on to the other leg at once, never behind held or queued messages (the
// pong to a passed ping comes back the same way). A ping whose other leg is no longer open is answered here,
// so its sender is not left waiting. Without passPings each leg's session has answered its own.
void ProxyPair::relayControl(Leg from, const Event& control) {
    if (!options_.passPings) return;
    const Leg to = otherLeg(from);
    const bool ping = control.kind == EventKind::Ping;
    const char* what = ping ? "ping" : "pong";
    if (!legOpen(to)) {
        if (ping && legOpen(from)) driverOf(from)->sendPong(control.payload);
        note(from, NoteKind::Status, Direction::Incoming,
             QString("Not passed on: a %1 from the %2 leg arrived after the %3 leg closed%4.")
                 .arg(what)
                 .arg(legTitle(from), legTitle(to))
                 .arg(ping ? "; the proxy answered it" : ""));
        return;
    }
    SessionDriver* target = driverOf(to);
    const LocalError error = ping ? target->sendPing(control.payload) : target->sendPong(control.payload);
    if (error != LocalError::None) {
        note(to, NoteKind::Status, Direction::Outgoing,
             QString("Not passed on: a %1 from the %2 leg: %3.")
                 .arg(what)
                 .arg(legTitle(from), QString::fromStdString(make_error_code(error).message())));
    }
}

// A leg that ended without passing its close on: the other leg is closed with a close that says so.
void ProxyPair::closeOtherLeg(Leg gone, const QString& sentence) {
    const Leg other = otherLeg(gone);
    if (!legOpen(other)) return;
    if (deferCloseWhileQueued(gone, sentence)) return;  // its held messages (and close) go first
    const quint16 code = gone == Leg::Client ? close_code::kGoingAway : quint16{1014};  // 1014: bad gateway
    const char* reason = gone == Leg::Client ? "the app went away" : "the upstream went away";
    note(other, NoteKind::Status, Direction::Outgoing,
         QString("The %1 leg ended (%2); closing the %3 leg with %4.")
             .arg(legTitle(gone), sentence, legTitle(other))
             .arg(code));
    if (other == Leg::Upstream) {
        upstream_->sendClose(code, reason);
    } else {
        driver_->sendClose(code, reason);
        QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
    }
}

void ProxyPair::closeBothLegs(quint16 code, const QString& reason) {
    const std::string why = reason.toStdString();  // the client leg's driver takes UTF-8
    for (const Leg leg : {Leg::Client, Leg::Upstream}) {
        if (!legOpen(leg)) continue;
        note(leg, NoteKind::Status, Direction::Outgoing,
             QString("Closing the %1 leg with %2 (%3): the user closed this proxied connection.")
                 .arg(legTitle(leg))
                 .arg(code)
                 .arg(reason));
        if (leg == Leg::Upstream) {
            upstream_->sendClose(code, reason);
        } else {
            driver_->sendClose(code, why);
            QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
        }
    }
}

SessionDriver* ProxyPair::driverOf(Leg leg) const {
    if (leg == Leg::Client) return driver_;
    return upstream_ ? upstream_->driver() : nullptr;
}

bool ProxyPair::legOpen(Leg leg) const {
    const SessionDriver* driver = driverOf(leg);
    return driver && driver->started() && driver->session().state() == SessionState::Open &&
           (leg == Leg::Client ? !clientDone_ : !upstreamDone_);
}

// Stops reading a leg while the other leg's socket is backed up; resumes at half.
void ProxyPair::updateBackpressure() {
    for (const Leg reading : {Leg::Client, Leg::Upstream}) {
        SessionDriver* reader = driverOf(reading);
        SessionDriver* writer = driverOf(otherLeg(reading));
        if (!reader || !writer || !reader->started()) continue;
        const qint64 backlog = writer->socket()->bytesToWrite();
        if (!reader->readPaused() && backlog > kRelayHighWater) {
            reader->setReadPaused(true);
        } else if (reader->readPaused() && backlog <= kRelayHighWater / 2) {
            reader->setReadPaused(false);
        }
    }
}

void ProxyPair::closeClientSoon() {
    // After the current read has flushed the replies.
    QTimer::singleShot(0, socket_, [socket = socket_] { socket->disconnectFromHost(); });
    QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
}

void ProxyPair::onClientDisconnected() {
    if (clientDone_) return;
    if (driver_->started() && socket_->bytesAvailable() > 0) driver_->readAvailable();
    driver_->setReadPaused(false);
    clientDone_ = true;
    QString sentence = endSentence_;
    if (sentence.isEmpty() && driver_->started()) {
        sentence = driver_->session().state() == SessionState::Closed
                       ? QString("The app's close handshake completed.")
                       : QString("The app went away without completing the close handshake (1006).");
    } else if (sentence.isEmpty()) {
        sentence = answered_ ? "The app went away." : "The app went away before its handshake was answered.";
    }
    note(Leg::Client, NoteKind::Status, Direction::Incoming, "Disconnected: " + sentence);
    if (endSentence_.isEmpty()) endSentence_ = sentence;
    if (!upstream_) {
        upstreamDone_ = true;
    } else if (!answered_) {
        upstream_->disconnectFromPeer();  // stops the attempt (or closes with 1000 if it just opened)
    } else {
        closeOtherLeg(Leg::Client, sentence);
    }
    finishIfDone();
}

void ProxyPair::finishIfDone() {
    if (!clientDone_ || !upstreamDone_ || finished_) return;
    finished_ = true;
    releaseAllHeld();
    if (opened_) --counters_->pairsOpen;
    emit finished(clientId_, endSentence_);
    deleteLater();
}

}  // namespace framescope::app
