// The forward proxy's first step for each app, on the proxy's thread: reads the app's request head (core's
// HttpHeadParser, line by line so no byte past the head is taken) within the handshake timeout, and
// routes it:
// - GET with an absolute URI (ws://, http://, wss:// or https://host:port/path) and an Upgrade: websocket:
//   a ProxyPair to that server, with the head already read (the upstream request is origin-form, its Host
//   the URI's).
// - CONNECT host:port: answered 200, then either an opaque TcpTunnel to host:port, or, with TLS
//   interception, a TLS handshake toward the app with a certificate for host minted by the LocalCa, the
//   WebSocket upgrade read inside, and a ProxyPair to wss://host:port/path (ws:// when what the app sends
//   first in the tunnel is not TLS).
// - Anything else (a plain HTTP request, another method, a bad target): an HTTP refusal with one sentence.
#pragma once

#include <QObject>
#include <QSslSocket>
#include <QTcpServer>
#include <QUrl>

#include "framescope/http_head.h"
#include "net/memory_budget.h"
#include "net/proxy_server.h"

namespace framescope::app {

class LocalCa;

// Accepts QSslSocket objects (unencrypted until told otherwise) so a CONNECT can be intercepted on the
// socket the app connected with.
class TlsCapableServer : public QTcpServer {
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override;
};

class ForwardRouter : public QObject {
    Q_OBJECT
public:
    // Takes `socket`. `connectionId` and the next id are the pair's (or the tunnel's, which uses the
    // first). `ca` is null without interception.
    ForwardRouter(QTcpSocket* socket, uint32_t connectionId, const ProxyOptions& options, LocalCa* ca,
                  CaptureSink* sink, ProxyCounters* counters, MemoryBudget* budget, QObject* parent);

signals:
    void opened(quint32 connectionId, const QString& peer);
    void finished(quint32 connectionId, const QString& sentence);

private:
    enum class Stage : uint8_t {
        Head,
        TunnelConnecting,
        Sniff,
        TlsHandshake,
        InnerHead,
        Routed,
        Refusing,
        Done
    };

    void readHead();
    void routeHead();
    void routeAbsolute(const HttpHead& head);
    void routeConnect(const HttpHead& head);
    void routeInner(const HttpHead& head);
    void openTunnel();
    void startInterception();
    void sniff();
    void beginTls();
    void handToPair(const QUrl& upstream);
    void refuse(int status, const QString& sentence);
    void onTimeout();
    void onAppDisconnected();
    void note(NoteKind kind, Direction direction, const QString& text);
    void finish(const QString& sentence);

    QTcpSocket* socket_;
    uint32_t connectionId_;
    const ProxyOptions& options_;
    LocalCa* ca_;
    CaptureSink* sink_;
    ProxyCounters* counters_;
    MemoryBudget* budget_;
    HttpHeadParser parser_;
    Stage stage_ = Stage::Head;
    QString peer_;
    QString refusal_;
    QString connectHost_;
    QString innerScheme_;  // of the request inside an intercepted CONNECT: wss, or ws when it was not TLS
    quint16 connectPort_ = 0;
    QTcpSocket* server_ = nullptr;  // the tunnel's, while connecting
};

}  // namespace framescope::app
