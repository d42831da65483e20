// ConnectionWorker: connecting (TCP, TLS, WebSocket handshake), faults as states with one sentence, and
// the close handshake. Sending, timers and reconnecting live in connection_worker_send.cpp.
#include "net/connection_worker.h"

#include <QSslCipher>
#include <QSslConfiguration>

#include "capture/capture_endpoints.h"
#include "framescope/close_code.h"
#include "net/client_handshake_options.h"
#include "net/tls.h"

namespace framescope::app {

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

QString ms(int64_t us) {
    return QString::number(static_cast<double>(us) / 1000.0, 'f', 3) + " ms";
}

QAbstractSocket::NetworkLayerProtocol layerOf(IpVersion version) {
    switch (version) {
        case IpVersion::IPv4:
            return QAbstractSocket::IPv4Protocol;
        case IpVersion::IPv6:
            return QAbstractSocket::IPv6Protocol;
        case IpVersion::Any:
            break;
    }
    return QAbstractSocket::AnyIPProtocol;
}

}  // namespace

const char* connectionStateName(ConnectionState state) noexcept {
    switch (state) {
        case ConnectionState::Idle:
            return "Idle";
        case ConnectionState::Connecting:
            return "Connecting";
        case ConnectionState::TlsHandshake:
            return "TlsHandshake";
        case ConnectionState::WsHandshake:
            return "WsHandshake";
        case ConnectionState::Open:
            return "Open";
        case ConnectionState::Closing:
            return "Closing";
        case ConnectionState::Closed:
            return "Closed";
        case ConnectionState::Failed:
            return "Failed";
    }
    return "Unknown";
}

ConnectionWorker::ConnectionWorker(ConnectionOptions options, CaptureSink* sink, uint32_t connectionId)
    : options_(std::move(options)),
      sink_(sink),
      connectionId_(connectionId),
      connectTimer_(this),
      refusalTimer_(this),
      closeTimer_(this),
      pingTimer_(this),
      pingTimeoutTimer_(this),
      periodicTimer_(this),
      reconnectTimer_(this) {
    for (QTimer* timer : {&connectTimer_, &refusalTimer_, &closeTimer_, &pingTimeoutTimer_, &reconnectTimer_})
        timer->setSingleShot(true);
    connect(&connectTimer_, &QTimer::timeout, this, [this] {
        fail(QString("Connect timeout: %1 was not open within %2 ms (still in %3).")
                 .arg(options_.url.toString())
                 .arg(options_.connectTimeoutMs)
                 .arg(connectionStateName(state_)));
    });
    connect(&refusalTimer_, &QTimer::timeout, this, &ConnectionWorker::finishRefusal);
    connect(&closeTimer_, &QTimer::timeout, this, &ConnectionWorker::onCloseTimeout);
    connect(&pingTimer_, &QTimer::timeout, this, &ConnectionWorker::sendKeepAlivePing);
    connect(&pingTimeoutTimer_, &QTimer::timeout, this, [this] {
        fail(QString("Ping timeout: no pong arrived within %1 ms of our ping.")
                 .arg(options_.keepAlive.pingTimeoutMs),
             true);
    });
    connect(&periodicTimer_, &QTimer::timeout, this, &ConnectionWorker::sendPeriodic);
    connect(&reconnectTimer_, &QTimer::timeout, this, &ConnectionWorker::connectAttempt);
}

ConnectionWorker::~ConnectionWorker() {
    if (!socket_) return;
    socket_->disconnect(this);
    // The wire's truth: what the log shows as sent leaves before the connection is torn down.
    if (driver_ && driver_->started()) driver_->flush();
    if (socket_->state() == QAbstractSocket::ConnectedState && socket_->bytesToWrite() > 0) {
        socket_->waitForBytesWritten(1000);
    }
    if (socket_->bytesToWrite() > 0) {
        note(
            NoteKind::Status, Direction::Outgoing,
            QString("Not sent: %1 bytes of frames captured above were never written (the connection was torn "
                    "down first).")
                .arg(socket_->bytesToWrite()));
    }
}

QString ConnectionWorker::hostPort() const {
    const bool secure = options_.url.scheme() == "wss";
    const QString host = options_.url.host();
    const QString shown = host.contains(':') ? "[" + host + "]" : host;
    return QString("%1:%2").arg(shown).arg(options_.url.port(secure ? 443 : 80));
}

void ConnectionWorker::note(NoteKind kind, Direction direction, const QString& text) {
    if (!sink_) return;
    const QByteArray utf8 = text.toUtf8();
    CapturedNote captured;
    captured.timestampUs = nowUs();
    captured.connectionId = connectionId_;
    captured.direction = direction;
    captured.kind = kind;
    captured.text = std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()));
    sink_->addNote(captured);
}

void ConnectionWorker::setState(ConnectionState state, const QString& sentence) {
    state_ = state;
    note(NoteKind::Status, Direction::Incoming, QString("%1: %2").arg(connectionStateName(state), sentence));
    emit stateChanged(state, sentence);
}

void ConnectionWorker::fail(const QString& sentence, bool abortNow) {
    if (state_ == ConnectionState::Failed || state_ == ConnectionState::Closed) return;
    stopTimers();
    connectTimer_.stop();
    refusalTimer_.stop();
    closeTimer_.stop();
    refusalPending_ = false;
    if (socket_) {
        // The close frame the session queued goes to the kernel before anyone hears of the failure, so a
        // caller that exits on it does not lose it (issue 10).
        if (driver_ && driver_->started() && !abortNow) driver_->flush();
        socket_->disconnect(this);
        QSslSocket* socket = socket_;
        if (abortNow) {
            socket->abort();
        } else {
            // After the close frame the session queued (flushed when the current read returns).
            QTimer::singleShot(0, socket, [socket] { socket->disconnectFromHost(); });
            QTimer::singleShot(options_.closeTimeoutMs, socket, [socket] { socket->abort(); });
        }
    }
    setState(ConnectionState::Failed, sentence);
    scheduleReconnect();
}

void ConnectionWorker::resetSocket() {
    if (socket_) {
        socket_->disconnect(this);
        socket_->abort();
        socket_->deleteLater();
    }
    socket_ = new QSslSocket(this);
    socket_->setProxy(options_.proxy);
    driver_ = new SessionDriver(socket_, sink_, connectionId_, socket_);
    if (options_.url.scheme() == "ws") driver_->setNeverEncrypts();
    driver_->setEventHandler([this](const Event& event) { onEvent(event); });
    connect(driver_, &SessionDriver::failedLocally, this,
            [this](quint16, const QString& sentence) { fail(sentence); });
    connect(socket_, &QAbstractSocket::connected, this, &ConnectionWorker::onConnected);
    connect(socket_, &QSslSocket::encrypted, this, &ConnectionWorker::onEncrypted);
    connect(socket_, &QSslSocket::sslErrors, this, &ConnectionWorker::onSslErrors);
    connect(socket_, &QAbstractSocket::errorOccurred, this, &ConnectionWorker::onErrorOccurred);
    connect(socket_, &QIODevice::readyRead, this, &ConnectionWorker::onReadyRead);
    connect(socket_, &QAbstractSocket::disconnected, this, &ConnectionWorker::onDisconnected);
    handshake_.reset();
    tlsFailure_.clear();
    refusalPending_ = false;
    closeSent_ = false;
    peerCloseCode_ = 0;
    peerCloseReason_.clear();
    timing_ = {};
}

void ConnectionWorker::open() {
    userDisconnect_ = false;
    reconnectAttempts_ = 0;
    reconnectTimer_.stop();
    noteOptions();
    connectAttempt();
}

bool ConnectionWorker::configureTls() {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QString error;
    if (!options_.tls.caFile.isEmpty()) {
        const QList<QSslCertificate> cas = loadCertificates(options_.tls.caFile, error);
        if (cas.isEmpty()) return fail(error), false;
        config.addCaCertificates(cas);
    }
    if (!options_.tls.certificateFile.isEmpty() || !options_.tls.keyFile.isEmpty()) {
        const QList<QSslCertificate> chain = loadCertificates(options_.tls.certificateFile, error);
        if (chain.isEmpty()) return fail(error), false;
        const QSslKey key = loadPrivateKey(options_.tls.keyFile, error);
        if (key.isNull()) return fail(error), false;
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    socket_->setSslConfiguration(config);
    return true;
}

void ConnectionWorker::connectAttempt() {
    resetSocket();
    state_ = ConnectionState::Idle;
    const QUrl& url = options_.url;
    const bool secure = url.scheme() == "wss";
    if (!url.isValid() || (url.scheme() != "ws" && !secure) || url.host().isEmpty()) {
        fail(QString("Invalid URL '%1': it must look like ws://host[:port]/path or wss://...")
                 .arg(url.toString()));
        return;
    }
    if (secure && !configureTls()) return;
    const quint16 port = static_cast<quint16>(url.port(secure ? 443 : 80));
    setState(ConnectionState::Connecting, QString("Connecting to %1 (%2).").arg(url.toString(), hostPort()));
    connectTimer_.start(options_.connectTimeoutMs);
    phaseClock_.start();
    if (secure) {
        socket_->connectToHostEncrypted(url.host(), port, QIODevice::ReadWrite, layerOf(options_.ipVersion));
    } else {
        socket_->connectToHost(url.host(), port, QIODevice::ReadWrite, layerOf(options_.ipVersion));
    }
}

void ConnectionWorker::onConnected() {
    timing_.tcpConnectUs = phaseClock_.nsecsElapsed() / 1000;
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    reportEndpoints(sink_, connectionId_, *socket_, true);
    if (options_.url.scheme() == "wss") {
        phaseClock_.start();
        setState(ConnectionState::TlsHandshake,
                 QString("TCP connected to %1 in %2; TLS handshake.")
                     .arg(socket_->peerAddress().toString(), ms(timing_.tcpConnectUs)));
        return;
    }
    beginWsHandshake();
}

void ConnectionWorker::onSslErrors(const QList<QSslError>& errors) {
    const QString described = describeSslErrors(errors);
    if (options_.tls.ignoreCertificateErrors) {
        note(NoteKind::Status, Direction::Incoming,
             QString("TLS: ignoring certificate errors as asked: %1.").arg(described));
        socket_->ignoreSslErrors();
        return;
    }
    tlsFailure_ = QString("TLS failure: the server's certificate failed verification: %1.").arg(described);
}

void ConnectionWorker::onEncrypted() {
    timing_.tlsUs = phaseClock_.nsecsElapsed() / 1000;
    const QSslCertificate peer = socket_->peerCertificate();
    const QSslCipher cipher = socket_->sessionCipher();
    note(NoteKind::Status, Direction::Incoming,
         QString("TLS established in %1: %2, cipher %3; server certificate subject %4, issuer %5.")
             .arg(ms(timing_.tlsUs), cipher.protocolString(), cipher.name(), certificateSubject(peer),
                  certificateIssuer(peer)));
    beginWsHandshake();
}

void ConnectionWorker::onErrorOccurred(QAbstractSocket::SocketError error) {
    if (state_ == ConnectionState::Failed || state_ == ConnectionState::Closed) return;
    const QString host = options_.url.host();
    switch (error) {
        case QAbstractSocket::RemoteHostClosedError:
            return;  // onDisconnected() tells what it means in the current state
        case QAbstractSocket::ConnectionRefusedError:
            return fail(QString("Connection refused: nothing accepts connections at %1.").arg(hostPort()));
        case QAbstractSocket::HostNotFoundError:
            return fail(
                QString("DNS failure: host not found, the name '%1' could not be resolved.").arg(host));
        case QAbstractSocket::SslHandshakeFailedError:
            return fail(tlsFailure_.isEmpty() ? QString("TLS failure: %1.").arg(socket_->errorString())
                                              : tlsFailure_);
        case QAbstractSocket::ProxyConnectionRefusedError:
        case QAbstractSocket::ProxyConnectionClosedError:
        case QAbstractSocket::ProxyConnectionTimeoutError:
        case QAbstractSocket::ProxyNotFoundError:
        case QAbstractSocket::ProxyProtocolError:
        case QAbstractSocket::ProxyAuthenticationRequiredError:
            return fail(QString("Proxy error: %1.").arg(socket_->errorString()));
        default:
            return fail(QString("Network error: %1.").arg(socket_->errorString()));
    }
}

void ConnectionWorker::beginWsHandshake() {
    handshake_ = std::make_unique<ClientHandshake>(clientHandshakeOptions(options_), random_);
    if (handshake_->state() == HandshakeState::Failed) {
        fail(
            QString("Invalid handshake options: %1").arg(QString::fromStdString(handshake_->errorMessage())));
        return;
    }
    setState(ConnectionState::WsHandshake, "Sending the WebSocket upgrade request.");
    const std::string& request = handshake_->request();
    note(NoteKind::HandshakeRequest, Direction::Outgoing, QString::fromStdString(request));
    phaseClock_.start();
    socket_->write(request.data(), static_cast<qint64>(request.size()));
}

void ConnectionWorker::onReadyRead() {
    if (state_ == ConnectionState::WsHandshake) {
        readHandshake();
    } else if (driver_->started()) {
        driver_->readAvailable();
    }
}

bool ConnectionWorker::refusalBodyComplete() const {
    const std::string& excerpt = handshake_->bodyExcerpt();
    if (excerpt.size() >= ClientHandshake::kBodyExcerptSize) return true;
    const auto length = handshake_->response().headers.first("Content-Length");
    if (!length) return false;
    bool ok = false;
    const qulonglong expected =
        QByteArray(length->data(), static_cast<qsizetype>(length->size())).toULongLong(&ok);
    return ok && excerpt.size() >= expected;
}

void ConnectionWorker::readHandshake() {
    const QByteArray bytes = socket_->readAll();
    if (refusalPending_) {
        handshake_->receive(bytesOf(bytes));
        if (refusalBodyComplete()) finishRefusal();
        return;
    }
    const HandshakeStep step = handshake_->receive(bytesOf(bytes));
    if (step.state == HandshakeState::InProgress) return;
    if (step.state == HandshakeState::Succeeded) {
        onHandshakeSucceeded(bytes.mid(static_cast<qsizetype>(step.consumed)));
        return;
    }
    if (handshake_->error() == HandshakeError::UnexpectedStatus) {
        refusalPending_ = true;  // wait a moment for the body of the error page
        if (refusalBodyComplete()) return finishRefusal();
        refusalTimer_.start(500);
        return;
    }
    note(NoteKind::HandshakeResponse, Direction::Incoming,
         QString::fromStdString(handshake_->responseHead()));
    fail(QString("Handshake failed: %1").arg(QString::fromStdString(handshake_->errorMessage())));
}

void ConnectionWorker::finishRefusal() {
    if (!refusalPending_) return;
    refusalTimer_.stop();
    const QString excerpt = QString::fromUtf8(handshake_->bodyExcerpt()).simplified();
    note(NoteKind::HandshakeResponse, Direction::Incoming,
         QString::fromStdString(handshake_->responseHead() + handshake_->bodyExcerpt()));
    QString sentence =
        QString("Handshake refused: %1").arg(QString::fromStdString(handshake_->errorMessage()));
    if (!excerpt.isEmpty()) sentence += QString(" Body: \"%1\"").arg(excerpt.left(200));
    fail(sentence);
}

void ConnectionWorker::onHandshakeSucceeded(const QByteArray& leftover) {
    timing_.handshakeUs = phaseClock_.nsecsElapsed() / 1000;
    connectTimer_.stop();
    reconnectAttempts_ = 0;
    note(NoteKind::HandshakeResponse, Direction::Incoming,
         QString::fromStdString(handshake_->responseHead()));
    SessionOptions session;
    session.role = Role::Client;
    session.limits = options_.limits;
    session.autoPong = options_.autoPong;
    session.deflate = handshake_->deflate();
    const QString subprotocol = QString::fromStdString(handshake_->subprotocol());
    const QString extensions =
        QString::fromStdString(handshake_->response().headers.joined("Sec-WebSocket-Extensions"));
    QString timing = QString("TCP connect %1").arg(ms(timing_.tcpConnectUs));
    if (timing_.tlsUs >= 0) timing += QString(", TLS %1").arg(ms(timing_.tlsUs));
    timing += QString(", WebSocket handshake %1").arg(ms(timing_.handshakeUs));
    note(NoteKind::Status, Direction::Incoming, "Timing: " + timing + ".");
    setState(ConnectionState::Open, QString("Open; subprotocol %1; extensions %2.")
                                        .arg(subprotocol.isEmpty() ? "none" : subprotocol,
                                             extensions.isEmpty() ? "none" : extensions));
    emit opened(subprotocol, extensions);
    emit timingUpdated(timing_);
    openClock_.start();
    startTimers();
    driver_->start(session, bytesOf(leftover));
}

void ConnectionWorker::onEvent(const Event& event) {
    if (observer_) observer_(event);
    switch (event.kind) {
        case EventKind::Frame:
            if (timing_.firstFrameUs < 0) {
                timing_.firstFrameUs = openClock_.nsecsElapsed() / 1000;
                note(NoteKind::Status, Direction::Incoming,
                     QString("Timing: first frame %1 after the connection opened.")
                         .arg(ms(timing_.firstFrameUs)));
                emit timingUpdated(timing_);
            }
            break;
        case EventKind::Message:
            if (options_.notifyMessages) {
                emit messageReceived(event.messageOpcode == opcode::kText,
                                     QByteArray(reinterpret_cast<const char*>(event.payload.data()),
                                                static_cast<qsizetype>(event.payload.size())));
            }
            break;
        case EventKind::Pong:
            pingTimeoutTimer_.stop();
            break;
        case EventKind::Close:
            onCloseEvent(event);
            break;
        case EventKind::ProtocolError:
            fail(QString("Protocol error %1 (%2): %3")
                     .arg(event.closeCode)
                     .arg(closeCodeName(event.closeCode), QString::fromUtf8(event.error)));
            break;
        case EventKind::Ping:
            break;
    }
}

QString ConnectionWorker::closedSentence() const {
    QString sentence = QString("The close handshake completed with %1 (%2)")
                           .arg(peerCloseCode_)
                           .arg(closeCodeName(peerCloseCode_));
    if (!peerCloseReason_.isEmpty()) sentence += QString(", reason \"%1\"").arg(peerCloseReason_);
    return sentence + ".";
}

void ConnectionWorker::onCloseEvent(const Event& event) {
    peerCloseCode_ = event.closeCode;
    peerCloseReason_ = QString::fromUtf8(reinterpret_cast<const char*>(event.payload.data()),
                                         static_cast<qsizetype>(event.payload.size()));
    emit closeReceived(peerCloseCode_, peerCloseReason_);
    stopTimers();
    if (closeSent_) return;  // our close was answered; the server closes the TCP connection (RFC 6455 §7.1.1)
    closeTimer_.start(options_.closeTimeoutMs);
    setState(ConnectionState::Closing,
             QString("The server sent close %1 (%2); answering and waiting for the TCP close.")
                 .arg(peerCloseCode_)
                 .arg(closeCodeName(peerCloseCode_)));
}

void ConnectionWorker::onDisconnected() {
    if (state_ == ConnectionState::Failed || state_ == ConnectionState::Closed) return;
    if (refusalPending_) {
        readHandshake();
        return finishRefusal();
    }
    if (state_ == ConnectionState::Open || state_ == ConnectionState::Closing) {
        if (socket_->bytesAvailable() > 0) driver_->readAvailable();
        if (state_ == ConnectionState::Failed) return;
        if (driver_->session().state() == SessionState::Closed) {
            stopTimers();
            closeTimer_.stop();
            return setState(ConnectionState::Closed, closedSentence());
        }
        return onPeerGone();
    }
    if (state_ == ConnectionState::WsHandshake) {
        return fail(
            "Handshake failed: the server closed the connection before answering the upgrade request.");
    }
    if (state_ == ConnectionState::TlsHandshake) {
        return fail(tlsFailure_.isEmpty()
                        ? "TLS failure: the server closed the connection during the TLS handshake."
                        : tlsFailure_);
    }
    fail(QString("The connection to %1 closed before it was established.").arg(hostPort()));
}

void ConnectionWorker::onPeerGone() {
    const uint64_t inFrames = driver_->partialMessageBytes();
    const uint64_t cut = driver_->partialFrameBytes();
    if (closeSent_) {
        return fail(
            "Peer gone: the server closed the TCP connection without answering our close frame (1006).");
    }
    if (inFrames + cut > 0) {
        return fail(
            QString("Peer gone mid-message: the connection closed without a close frame after %1 bytes of "
                    "an unfinished message had arrived (%2 payload bytes in complete frames, %3 bytes of "
                    "a cut frame) (1006).")
                .arg(inFrames + cut)
                .arg(inFrames)
                .arg(cut));
    }
    fail("Peer gone: the connection closed without a close frame (abnormal closure, 1006).");
}

void ConnectionWorker::onCloseTimeout() {
    if (!socket_ || state_ == ConnectionState::Failed || state_ == ConnectionState::Closed) return;
    const bool closed = driver_->started() && driver_->session().state() == SessionState::Closed;
    socket_->disconnect(this);
    socket_->abort();
    if (closed) {
        setState(ConnectionState::Closed, closedSentence() + " (the TCP connection was dropped by us)");
    } else {
        fail(QString("Close timeout: the peer did not answer our close frame within %1 ms.")
                 .arg(options_.closeTimeoutMs));
    }
}

}  // namespace framescope::app
