// The echo server's worker: listening (plain or TLS), per-client handshake, echo and close handling.
#include "net/echo_server_worker.h"

#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>
#include <utility>

#include "capture/capture_endpoints.h"
#include "framescope/close_code.h"
#include "net/demo_page.h"
#include "net/server_listen.h"
#include "net/tls.h"

namespace framescope::app {

namespace {

constexpr int kDrainTimeoutMs = 10000;
constexpr qint64 kHandshakeReadChunk = 4096;

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

ServerHandshakeOptions handshakeOptions(const EchoServerOptions& options) {
    ServerHandshakeOptions hs;
    hs.deflate.enabled = options.deflate;
    return hs;
}

}  // namespace

EchoClient::EchoClient(QAbstractSocket* socket, uint32_t connectionId, const EchoServerOptions& options,
                       CaptureSink* sink, EchoServerCounters* counters, MemoryBudget* budget, QObject* parent)
    : QObject(parent),
      socket_(socket),
      connectionId_(connectionId),
      options_(options),
      sink_(sink),
      counters_(counters),
      handshake_(handshakeOptions(options)) {
    socket_->setParent(this);
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    driver_ = new SessionDriver(socket_, sink_, connectionId_, this);
    driver_->setEventHandler([this](const Event& event) { onEvent(event); });
    driver_->setEchoMode([this](uint64_t messages, uint64_t bytes) { countEchoed(messages, bytes); });
    reportEndpoints(sink_, connectionId_, *socket_, false);
    driver_->setMemoryBudget(budget);
    connect(driver_, &SessionDriver::failedLocally, this, &EchoClient::onFailedLocally);
    connect(driver_, &SessionDriver::socketClosed, this, &EchoClient::onDisconnected);
    QTimer::singleShot(options_.handshakeTimeoutMs, this, &EchoClient::onHandshakeTimeout);
    connect(socket_, &QIODevice::readyRead, this, &EchoClient::onReadyRead);
    connect(socket_, &QAbstractSocket::disconnected, this, &EchoClient::onDisconnected);
    note(NoteKind::Status, Direction::Incoming,
         QString("Client %1:%2 connected.")
             .arg(socket_->peerAddress().toString())
             .arg(socket_->peerPort())
             .toStdString());
    // A TLS socket may hold bytes already; a socket that went away before we saw it is finished now.
    QTimer::singleShot(0, this, [this] {
        if (socket_->state() != QAbstractSocket::ConnectedState) return onDisconnected();
        if (driver_->socketHoldsBytes()) onReadyRead();
    });
}

void EchoClient::note(NoteKind kind, Direction direction, const std::string& text) {
    addCaptureNote(sink_, connectionId_, kind, direction, text);
}

void EchoClient::onHandshakeTimeout() {
    if (driver_->started() || handshake_.state() != HandshakeState::InProgress) return;
    ++counters_->handshakeTimeouts;
    endSentence_ =
        QString("Handshake timeout: no complete upgrade request within %1 ms; the connection was dropped.")
            .arg(options_.handshakeTimeoutMs);
    socket_->abort();
}

void EchoClient::onIdleTick() {
    if (!driver_->started() || driver_->session().state() != SessionState::Open) return;
    // Reads the driver made without a readyRead (see SessionDriver::readReady()) are traffic too.
    if (const uint64_t reads = driver_->readsWithBytes(); reads != readsSeen_) {
        readsSeen_ = reads;
        quiet_.restart();
        idlePingSent_ = false;
    }
    if (quiet_.elapsed() >= options_.idleTimeoutMs) {
        ++counters_->idleTimeouts;
        endSentence_ =
            QString("Idle timeout: nothing from the client for %1 ms, not even a pong; closed with 1001.")
                .arg(options_.idleTimeoutMs);
        idleTimer_->stop();
        closeWith(close_code::kGoingAway, "idle timeout");
        closeSoon();
    } else if (quiet_.elapsed() >= options_.idleTimeoutMs / 2 && !idlePingSent_) {
        idlePingSent_ = true;  // RFC 6455 §5.5.2: a ping as a keepalive; the pong counts as traffic
        driver_->sendPing({});
        driver_->flush();
    }
}

void EchoClient::onFailedLocally(quint16 code, const QString& sentence) {
    if (code == close_code::kMessageTooBig || code == close_code::kTryAgainLater)
        ++counters_->closedOverBudget;
    endSentence_ = sentence;
    note(NoteKind::Status, Direction::Outgoing, sentence.toStdString());
    closeSoon();
}

void EchoClient::onReadyRead() {
    quiet_.restart();
    idlePingSent_ = false;
    if (driver_->started()) {
        driver_->readAvailable();
    } else if (handshake_.state() == HandshakeState::InProgress) {
        readHandshake();
    }
}

// What the socket has now, read in chunks until one comes back short (an unbuffered socket's kernel
// buffer is then empty: no read more, which would cost a recv() and could meet the end of the stream
// before the answer to these bytes is written).
QByteArray EchoClient::readSome() {
    QByteArray bytes;
    qint64 got = 0;
    do {
        const qsizetype at = bytes.size();
        bytes.resize(at + kHandshakeReadChunk);
        got = socket_->read(bytes.data() + at, kHandshakeReadChunk);
        bytes.resize(at + std::max<qint64>(got, 0));
    } while (got == kHandshakeReadChunk);
    return bytes;
}

void EchoClient::readHandshake() {
    const QByteArray bytes = readSome();
    // An unbuffered socket's read that met the end closed it without disconnected() (server_listen.h).
    if (socket_->state() == QAbstractSocket::UnconnectedState)
        QTimer::singleShot(0, this, &EchoClient::onDisconnected);
    if (bytes.isEmpty()) return;
    const HandshakeStep step = handshake_.receive(bytesOf(bytes));
    if (step.state == HandshakeState::InProgress) return;
    note(NoteKind::HandshakeRequest, Direction::Incoming, handshake_.requestHead());
    if (isDemoPageRequest(handshake_)) return serveDemoPage();
    const std::string& response = handshake_.response();
    note(NoteKind::HandshakeResponse, Direction::Outgoing, response);
    socket_->write(response.data(), static_cast<qint64>(response.size()));
    if (step.state == HandshakeState::Failed) {
        ++counters_->handshakesRefused;
        endSentence_ = QString("Refused the handshake with %1: %2")
                           .arg(handshake_.responseStatus())
                           .arg(QString::fromStdString(handshake_.errorMessage()));
        return closeSoon();
    }
    SessionOptions session;
    session.role = Role::Server;
    session.limits.maxFramePayload = options_.maxMessageSize;
    session.limits.maxMessageSize = options_.maxMessageSize;
    session.deflate = handshake_.deflate();
    // The echo acts on whole messages and control frames only: without a capture, no Frame events.
    session.frameEvents = sink_ != nullptr;
    opened_ = true;
    ++counters_->clientsConnected;
    ++counters_->clientsTotal;
    emit opened(connectionId_,
                QString("%1:%2").arg(socket_->peerAddress().toString()).arg(socket_->peerPort()));
    if (options_.idleTimeoutMs > 0) {
        idleTimer_ = new QTimer(this);
        connect(idleTimer_, &QTimer::timeout, this, &EchoClient::onIdleTick);
        idleTimer_->start(std::max(options_.idleTimeoutMs / 4, 250));
        quiet_.start();
    }
    driver_->start(session, bytesOf(bytes).subspan(step.consumed));
    if (driver_->socketHoldsBytes()) driver_->readAvailable();
}

// A browser opened the server's address: the demo page (demo_page.h), then the connection closes.
void EchoClient::serveDemoPage() {
    const QByteArray& head = demoPageResponseHead();
    note(NoteKind::HandshakeResponse, Direction::Outgoing, head.toStdString());
    socket_->write(head);
    socket_->write(demoPageHtml());
    endSentence_ =
        QString("Served the demo page (%1 bytes of HTML) over plain HTTP; no WebSocket was opened.")
            .arg(demoPageHtml().size());
    closeSoon();
}

void EchoClient::onEvent(const Event& event) {
    if (event.kind == EventKind::Message) return echo(event);
    if (event.kind == EventKind::Close) {
        closeSoon();  // the session has queued its reply; the server closes TCP first (RFC 6455 §7.1.1)
    } else if (event.kind == EventKind::ProtocolError) {
        endSentence_ = QString("Protocol error %1 (%2): %3")
                           .arg(event.closeCode)
                           .arg(closeCodeName(event.closeCode), QString::fromUtf8(event.error));
        closeSoon();
    }
}

// Once per message the driver's echo mode did not echo itself (fragmented, compressed, past the budget, or
// any message while a capture records every frame): its echo, if the memory budget can hold it.
void EchoClient::echo(const Event& event) {
    // The echo costs its size twice (the frame, then the socket's copy) until it is written.
    if (!driver_->canAfford(2 * event.payload.size())) return refuseEcho();
    const LocalError error =
        event.messageOpcode == opcode::kText
            ? driver_->sendText(
                  std::string_view(reinterpret_cast<const char*>(event.payload.data()), event.payload.size()))
            : driver_->sendBinary(event.payload);
    if (error == LocalError::None) countEchoed(1, event.payload.size());
}

void EchoClient::countEchoed(uint64_t messages, uint64_t bytes) {
    // Only the server's thread writes the counters: a plain store, no locked read-modify-write.
    auto& echoedMessages = counters_->messagesEchoed;
    auto& echoedBytes = counters_->bytesEchoed;
    echoedMessages.store(echoedMessages.load(std::memory_order_relaxed) + messages,
                         std::memory_order_relaxed);
    echoedBytes.store(echoedBytes.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
}

void EchoClient::refuseEcho() {
    driver_->failLocally(close_code::kTryAgainLater,
                         "The server's memory budget cannot hold this message's echo; the connection was "
                         "closed with 1013.");
}

void EchoClient::closeSoon() {
    // After the current read has flushed the replies.
    QTimer::singleShot(0, socket_, [socket = socket_] { socket->disconnectFromHost(); });
    QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
}

void EchoClient::closeWith(quint16 code, const QString& reason) {
    if (!driver_->started()) return;
    const QByteArray utf8 = reason.toUtf8();
    driver_->sendClose(code, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
    driver_->flush();
}

void EchoClient::abort() {
    socket_->abort();
}

void EchoClient::onDisconnected() {
    if (std::exchange(finished_, true)) return;
    if (driver_->started() && driver_->socketHoldsBytes()) driver_->readAvailable();
    if (opened_) --counters_->clientsConnected;
    QString sentence = endSentence_;
    if (sentence.isEmpty() && driver_->started()) {
        const SessionState state = driver_->session().state();
        sentence = state == SessionState::Closed
                       ? QString("The close handshake completed.")
                       : QString("The client went away without completing the close handshake (1006).");
    } else if (sentence.isEmpty()) {
        sentence = "The client went away during the handshake.";
    }
    note(NoteKind::Status, Direction::Incoming, ("Disconnected: " + sentence).toStdString());
    emit finished(connectionId_, sentence);
    socket_->disconnect(this);
    driver_->disconnect(this);
    deleteLater();
}

EchoServerWorker::EchoServerWorker(EchoServerOptions options, CaptureSink* sink,
                                   std::shared_ptr<EchoServerCounters> counters)
    : options_(std::move(options)),
      sink_(sink),
      counters_(std::move(counters)),
      nextId_(options_.firstConnectionId),
      budget_(options_.memoryBudget) {}

void EchoServerWorker::serverNote(const QString& text) {
    addCaptureNote(sink_, 0, NoteKind::Status, Direction::Incoming, text.toStdString());
}

bool EchoServerWorker::configureTls(QSslConfiguration& config, QString& error) {
    const QList<QSslCertificate> chain = loadCertificates(options_.certificateFile, error);
    if (chain.isEmpty()) return false;
    const QSslKey key = loadPrivateKey(options_.keyFile, error);
    if (key.isNull()) return false;
    config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!options_.clientCaFile.isEmpty()) {
        const QList<QSslCertificate> cas = loadCertificates(options_.clientCaFile, error);
        if (cas.isEmpty()) return false;
        config.setCaCertificates(cas);
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    }
    return true;
}

QUrl EchoServerWorker::listen(QString& error) {
    const bool secure = !options_.certificateFile.isEmpty() || !options_.keyFile.isEmpty();
    if (secure) {
        QSslConfiguration config;
        if (!configureTls(config, error)) return {};
        auto* server = new QSslServer(this);
        server->setSslConfiguration(config);
        connect(server, &QSslServer::errorOccurred, this,
                [this](QSslSocket* socket, QAbstractSocket::SocketError) {
                    serverNote(QString("TLS handshake with %1 failed: %2.")
                                   .arg(socket->peerAddress().toString(), socket->errorString()));
                });
        connect(server, &QSslServer::sslErrors, this, [this](QSslSocket*, const QList<QSslError>& errors) {
            serverNote(QString("TLS: client certificate errors: %1.").arg(describeSslErrors(errors)));
        });
        server_ = server;
        connect(server_, &QTcpServer::pendingConnectionAvailable, this, &EchoServerWorker::acceptPending);
    } else {
        server_ = new UnbufferedTcpServer([this](QAbstractSocket* socket) { acceptClient(socket); }, this);
    }
    const QUrl url = listenForClients(*server_, options_.host, options_.port, secure ? "wss" : "ws", error);
    if (url.isEmpty()) return {};
    serverNote(
        QString("Echo server listening on %1 (permessage-deflate %2, max message %3 bytes, memory "
                "budget %4 bytes, handshake timeout %5 ms, idle timeout %6, at most %7 connections).")
            .arg(url.toString(), options_.deflate ? "on" : "off")
            .arg(options_.maxMessageSize)
            .arg(options_.memoryBudget)
            .arg(options_.handshakeTimeoutMs)
            .arg(options_.idleTimeoutMs > 0 ? QString("%1 ms").arg(options_.idleTimeoutMs) : QString("off"))
            .arg(options_.maxConnections));
    return url;
}

// TLS clients; plain TCP ones come straight from UnbufferedTcpServer.
void EchoServerWorker::acceptPending() {
    while (server_->hasPendingConnections())
        acceptClient(server_->nextPendingConnection());
}

void EchoServerWorker::acceptClient(QAbstractSocket* socket) {
    if (live_ >= options_.maxConnections) return refuseBusy(socket);
    auto* client = new EchoClient(socket, nextId_++, options_, sink_, counters_.get(), &budget_, this);
    ++live_;
    connect(client, &EchoClient::opened, this, &EchoServerWorker::clientConnected);
    connect(client, &EchoClient::finished, this, &EchoServerWorker::clientDisconnected);
    connect(client, &EchoClient::finished, this, [this] { --live_; });
}

// Past the connection limit: a short 503 (RFC 7231 §6.6.4), then close, without reading the request.
void EchoServerWorker::refuseBusy(QAbstractSocket* socket) {
    ++counters_->connectionsRefused;
    serverNote(
        QString("Refused a client from %1:%2 with 503: the server already has %3 connections (the limit).")
            .arg(socket->peerAddress().toString())
            .arg(socket->peerPort())
            .arg(live_));
    static const QByteArray kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: "
        "text/plain\r\n"
        "Content-Length: 40\r\n\r\nThe server is at its connection limit.\r\n";
    refuseAndClose(socket, this, kBusy);
}

void EchoServerWorker::closeAll(quint16 code, const QString& reason) {
    for (EchoClient* client : findChildren<EchoClient*>(Qt::FindDirectChildrenOnly))
        client->closeWith(code, reason);
}

void EchoServerWorker::closeClient(quint32 connectionId, quint16 code, const QString& reason) {
    for (EchoClient* client : findChildren<EchoClient*>(Qt::FindDirectChildrenOnly)) {
        if (client->connectionId() == connectionId) client->closeWith(code, reason);
    }
}

void EchoServerWorker::abortAll() {
    for (EchoClient* client : findChildren<EchoClient*>(Qt::FindDirectChildrenOnly))
        client->abort();
}

}  // namespace framescope::app
