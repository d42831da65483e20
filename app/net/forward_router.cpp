// ForwardRouter: the request head read line by line, then a ProxyPair, an opaque tunnel, an intercepted
// TLS session or a refusal. See forward_router.h.
#include "net/forward_router.h"

#include <QHostAddress>
#include <QNetworkProxy>
#include <QTimer>

#include <algorithm>

#include "net/local_ca.h"
#include "net/proxy_pair.h"
#include "net/session_driver.h"
#include "net/tcp_tunnel.h"

namespace framescope::app {

namespace {

constexpr int kDrainTimeoutMs = 10000;

const char* const kOnlyWebSocket =
    "FrameScope's forward proxy passes only WebSocket upgrades (and CONNECT); plain HTTP is not proxied.";

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

bool isUpgrade(const HttpHead& head) {
    return head.method == "GET" && head.headers.hasToken("Upgrade", "websocket");
}

// A host name of letters, digits, '-' and '.', or an IP address: what a certificate and a URL can carry
// without escaping (RFC 1123 §2.1 names; anything else in a CONNECT target is refused).
bool isPlainHost(const QString& host) {
    if (host.isEmpty() || host.size() > 253) return false;
    if (!QHostAddress(host).isNull()) return true;
    return std::all_of(host.begin(), host.end(), [](QChar c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '.';
    });
}

// RFC 9110 §9.3.6: CONNECT's target is authority-form, host ":" port; an IPv6 host in brackets.
bool splitAuthority(const QString& target, QString& host, quint16& port) {
    const qsizetype colon = target.lastIndexOf(':');
    if (colon <= 0) return false;
    host = target.left(colon);
    if (host.startsWith('[') && host.endsWith(']')) host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint number = target.mid(colon + 1).toUInt(&ok);
    port = static_cast<quint16>(number);
    return ok && number >= 1 && number <= 65535 && isPlainHost(host);
}

}  // namespace

void TlsCapableServer::incomingConnection(qintptr descriptor) {
    auto* socket = new QSslSocket(this);
    if (socket->setSocketDescriptor(descriptor)) {
        addPendingConnection(socket);
    } else {
        delete socket;
    }
}

ForwardRouter::ForwardRouter(QTcpSocket* socket, uint32_t connectionId, const ProxyOptions& options,
                             LocalCa* ca, CaptureSink* sink, ProxyCounters* counters, MemoryBudget* budget,
                             QObject* parent)
    : QObject(parent),
      socket_(socket),
      connectionId_(connectionId),
      options_(options),
      ca_(ca),
      sink_(sink),
      counters_(counters),
      budget_(budget),
      parser_(HttpHeadKind::Request) {
    socket_->setParent(this);
    // A line longer than this never completes: the timeout ends it, and memory stays bounded.
    socket_->setReadBufferSize(2 * static_cast<qint64>(kDefaultMaxHeadSize));
    peer_ = QString("%1:%2").arg(socket_->peerAddress().toString()).arg(socket_->peerPort());
    connect(socket_, &QIODevice::readyRead, this, &ForwardRouter::readHead);
    connect(socket_, &QAbstractSocket::disconnected, this, &ForwardRouter::onAppDisconnected);
    QTimer::singleShot(options_.handshakeTimeoutMs, this, &ForwardRouter::onTimeout);
    QTimer::singleShot(0, this, [this] {
        if (socket_->state() != QAbstractSocket::ConnectedState) return onAppDisconnected();
        readHead();
    });
}

void ForwardRouter::note(NoteKind kind, Direction direction, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    LegSink client(sink_, Leg::Client);
    addCaptureNote(sink_ ? &client : nullptr, connectionId_, kind, direction,
                   std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

// Whole lines only: the bytes after the head's empty line stay in the socket for whoever comes next (the
// TLS handshake, the tunnel, the pair).
void ForwardRouter::readHead() {
    if (stage_ == Stage::Sniff) return sniff();
    if (stage_ != Stage::Head && stage_ != Stage::InnerHead) return;
    while (socket_->canReadLine()) {
        const QByteArray line = socket_->readLine(static_cast<qint64>(kDefaultMaxHeadSize) + 1);
        const ParseResult result = parser_.feed(bytesOf(line));
        if (result.status == ParseStatus::Error) {
            note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(parser_.raw()));
            return refuse(parser_.tooLarge() ? 431 : 400,
                          "The request is not HTTP/1.1: " + QString::fromStdString(parser_.error()));
        }
        if (result.status == ParseStatus::Done) return routeHead();
    }
    if (socket_->bytesAvailable() > static_cast<qint64>(kDefaultMaxHeadSize)) {
        refuse(431, QString("The request head is longer than %1 bytes.").arg(kDefaultMaxHeadSize));
    }
}

void ForwardRouter::routeHead() {
    const HttpHead& head = parser_.head();
    if (stage_ == Stage::InnerHead) return routeInner(head);
    if (head.method == "CONNECT") return routeConnect(head);
    if (head.method != "GET") {
        note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(head.raw));
        return refuse(501, QString("The method %1 is not proxied: %2")
                               .arg(QString::fromStdString(head.method), kOnlyWebSocket));
    }
    routeAbsolute(head);
}

void ForwardRouter::routeAbsolute(const HttpHead& head) {
    const QString target = QString::fromStdString(head.target);
    QUrl url(target, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool known = scheme == "ws" || scheme == "wss" || scheme == "http" || scheme == "https";
    if (!url.isValid() || !known || url.host().isEmpty() || !url.userInfo().isEmpty()) {
        note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(head.raw));
        return refuse(400, QString("A forward proxy needs the server in the request (GET ws://host:port/path "
                                   "or CONNECT host:port), not '%1'.")
                               .arg(target));
    }
    if (!isUpgrade(head)) {
        note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(head.raw));
        return refuse(501, kOnlyWebSocket);
    }
    url.setScheme(scheme == "https" || scheme == "wss" ? "wss" : "ws");
    url.setFragment({});
    handToPair(url);
}

void ForwardRouter::routeConnect(const HttpHead& head) {
    note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(head.raw));
    const QString target = QString::fromStdString(head.target);
    if (!splitAuthority(target, connectHost_, connectPort_)) {
        return refuse(400,
                      QString("The CONNECT target must be host:port with a port from 1 to 65535, not '%1'.")
                          .arg(target));
    }
    if (ca_) return startInterception();
    openTunnel();
}

void ForwardRouter::openTunnel() {
    stage_ = Stage::TunnelConnecting;
    server_ = new QTcpSocket(this);
    server_->setProxy(QNetworkProxy::NoProxy);  // never through the system's proxy (that may be us)
    const QString target = QString("%1:%2").arg(connectHost_).arg(connectPort_);
    connect(server_, &QAbstractSocket::errorOccurred, this, [this, target] {
        if (stage_ != Stage::TunnelConnecting) return;
        refuse(502, QString("Cannot reach %1: %2.").arg(target, server_->errorString()));
    });
    QTimer::singleShot(options_.connectTimeoutMs, this, [this, target] {
        if (stage_ != Stage::TunnelConnecting) return;
        server_->abort();
        refuse(502, QString("%1 did not accept a connection within %2 ms.")
                        .arg(target)
                        .arg(options_.connectTimeoutMs));
    });
    connect(server_, &QAbstractSocket::connected, this, [this, target] {
        stage_ = Stage::Routed;
        socket_->disconnect(this);
        server_->disconnect(this);
        const QByteArray established = "HTTP/1.1 200 Connection Established\r\n\r\n";
        socket_->write(established);
        note(NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromLatin1(established));
        note(
            NoteKind::Status, Direction::Outgoing,
            QString("Opaque tunnel from the app %1 to %2: its bytes pass through unread (TLS interception is "
                    "off).")
                .arg(peer_, target));
        ++counters_->tunnelsTotal;
        auto* tunnel = new TcpTunnel(socket_, server_, connectionId_, target, sink_, this);
        connect(tunnel, &TcpTunnel::finished, this, &ForwardRouter::finish);
        emit opened(connectionId_, peer_);
    });
    server_->connectToHost(connectHost_, connectPort_);
}

void ForwardRouter::startInterception() {
    stage_ = Stage::Sniff;
    const QByteArray established = "HTTP/1.1 200 Connection Established\r\n\r\n";
    socket_->write(established);
    note(NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromLatin1(established));
    QTimer::singleShot(0, this, &ForwardRouter::sniff);
}

// What comes first in the tunnel: a TLS handshake record (RFC 8446 §5.1: content type 22) for wss://, else
// an HTTP request for ws:// (Chromium sends ws:// through CONNECT too), read in the clear.
void ForwardRouter::sniff() {
    char first = 0;
    if (stage_ != Stage::Sniff || socket_->peek(&first, 1) != 1) return;
    if (first == 0x16) return beginTls();
    innerScheme_ = "ws";
    stage_ = Stage::InnerHead;
    parser_ = HttpHeadParser(HttpHeadKind::Request);
    note(NoteKind::Status, Direction::Incoming,
         QString("The app %1 speaks plain HTTP inside its CONNECT to %2:%3: read as ws://.")
             .arg(peer_, connectHost_)
             .arg(connectPort_));
    readHead();
}

void ForwardRouter::beginTls() {
    auto* tls = qobject_cast<QSslSocket*>(socket_);
    QSslCertificate certificate;
    QSslKey key;
    QString error;
    if (!tls || !ca_->leafFor(connectHost_, certificate, key, error)) {
        return refuse(500, error.isEmpty() ? QString("This socket cannot carry TLS.") : error);
    }
    stage_ = Stage::TlsHandshake;
    innerScheme_ = "wss";
    note(NoteKind::Status, Direction::Outgoing,
         QString("Intercepting TLS to %1:%2 for the app %3 with a certificate for %1 signed by FrameScope's "
                 "local CA (%4).")
             .arg(connectHost_)
             .arg(connectPort_)
             .arg(peer_, ca_->certificateFile()));
    connect(tls, &QSslSocket::encrypted, this, [this] {
        stage_ = Stage::InnerHead;
        parser_ = HttpHeadParser(HttpHeadKind::Request);
        readHead();
    });
    tls->setLocalCertificateChain({certificate, ca_->certificate()});
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    tls->startServerEncryption();
}

void ForwardRouter::routeInner(const HttpHead& head) {
    note(NoteKind::HandshakeRequest, Direction::Incoming, QString::fromStdString(head.raw));
    if (!isUpgrade(head)) return refuse(501, kOnlyWebSocket);
    if (!head.target.starts_with('/')) {
        return refuse(400, "Inside a CONNECT tunnel the request target must be a path (origin-form).");
    }
    QUrl url;
    url.setScheme(innerScheme_);
    url.setHost(connectHost_);
    url.setPort(connectPort_);
    handToPair(QUrl(url.toString(QUrl::StripTrailingSlash) + QString::fromStdString(head.target)));
}

// The pair reads the handshake from the head we read (so the capture shows what the app sent) and
// connects to `upstream` as is.
void ForwardRouter::handToPair(const QUrl& upstream) {
    stage_ = Stage::Routed;
    socket_->disconnect(this);
    socket_->setReadBufferSize(0);  // the pair's session sets its own bound
    PairRoute route{upstream, QByteArray::fromStdString(parser_.raw())};
    auto* pair = new ProxyPair(socket_, connectionId_, options_, sink_, counters_, budget_, this, route);
    connect(pair, &ProxyPair::opened, this, &ForwardRouter::opened);
    connect(pair, &ProxyPair::finished, this, [this](quint32, const QString& sentence) { finish(sentence); });
}

void ForwardRouter::refuse(int status, const QString& sentence) {
    stage_ = Stage::Refusing;
    refusal_ = QString("Refused with %1: %2").arg(status).arg(sentence);
    ++counters_->forwardRefusals;
    const QByteArray response = proxyRefusal(status, sentence);
    note(NoteKind::HandshakeResponse, Direction::Outgoing, QString::fromUtf8(response));
    note(NoteKind::Status, Direction::Outgoing,
         QString("Refused the app %1 with %2: %3").arg(peer_).arg(status).arg(sentence));
    if (server_) server_->abort();
    socket_->write(response);
    socket_->disconnectFromHost();
    QTimer::singleShot(kDrainTimeoutMs, socket_, [socket = socket_] { socket->abort(); });
    if (socket_->state() == QAbstractSocket::UnconnectedState) finish(refusal_);
}

void ForwardRouter::onTimeout() {
    if (stage_ != Stage::Head && stage_ != Stage::Sniff && stage_ != Stage::TlsHandshake &&
        stage_ != Stage::InnerHead) {
        return;
    }
    const QString sentence =
        stage_ == Stage::TlsHandshake
            ? QString("The app did not complete the TLS handshake within %1 ms; the connection was dropped.")
                  .arg(options_.handshakeTimeoutMs)
            : QString("Handshake timeout: no complete request within %1 ms; the connection was dropped.")
                  .arg(options_.handshakeTimeoutMs);
    note(NoteKind::Status, Direction::Incoming, sentence);
    stage_ = Stage::Refusing;
    socket_->abort();
    finish(sentence);
}

void ForwardRouter::onAppDisconnected() {
    if (stage_ == Stage::Routed || stage_ == Stage::Done) return;
    if (server_) server_->abort();
    QString sentence = "The app went away before its request was answered.";
    if (stage_ == Stage::TlsHandshake) {
        sentence = QString(
                       "The app ended the TLS handshake for %1 (%2): does it trust FrameScope's CA "
                       "certificate %3?")
                       .arg(connectHost_, socket_->errorString(), ca_ ? ca_->certificateFile() : QString());
    } else if (stage_ == Stage::Refusing) {
        sentence = refusal_;
    }
    if (stage_ != Stage::Refusing) note(NoteKind::Status, Direction::Incoming, "Disconnected: " + sentence);
    finish(sentence);
}

void ForwardRouter::finish(const QString& sentence) {
    if (stage_ == Stage::Done) return;
    stage_ = Stage::Done;
    emit finished(connectionId_, sentence);
    deleteLater();
}

}  // namespace framescope::app
