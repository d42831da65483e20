// The reverse proxy: a worker on its own QThread listens (loopback, ephemeral port by default) and
// forwards every WebSocket connection an app opens to one upstream ws:// or wss:// URL. Each proxied
// connection is a pair of full sessions (proxy_pair.h): the client leg (the proxy is the server toward the
// app) and the upstream leg (the proxy is the client toward the real server), each with its own
// permessage-deflate negotiation and close handshake, each captured with its own wire bytes. Pings are
// answered on each leg, or passed through (ProxyOptions::passPings).
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <cstdint>
#include <memory>

#include "capture/capture_sink.h"
#include "net/connection_types.h"
#include "net/intercept.h"

namespace framescope::app {

class ProxyServerWorker;

// Whether the upstream leg offers permessage-deflate.
enum class UpstreamDeflate : uint8_t {
    AsClient,  // when the app offered it (the default: the upstream sees the conversation the app asked for)
    Always,
    Never,
};

struct ProxyOptions {
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 0;  // 0 = an ephemeral port
    // The forward proxy (forward_router.h): apps configured to use an HTTP proxy name their server in each
    // request (absolute-URI GET or CONNECT), so `upstream` stays empty. CONNECT tunnels pass through
    // untouched unless `interceptTls`, which answers them with certificates minted by the local CA kept in
    // `caDir` (local_ca.h; empty = its default directory).
    bool forward = false;
    bool interceptTls = false;
    QString caDir;
    // The reverse proxy's server, ws:// or wss://. The app's request target is appended to its path: upstream
    // ws://h/api and an app asking for /chat?x=1 connects to ws://h/api/chat?x=1.
    QUrl upstream;
    bool clientDeflate = true;  // accept permessage-deflate from the app
    // Pings. Off (the default): each leg's session answers its own peer's pings, so the app and the
    // upstream never see each other's. On: neither leg answers; a ping from one side is sent on to the other
    // at once (ahead of held or queued messages) and the pong that comes back is passed back the same way,
    // as are unsolicited pongs.
    bool passPings = false;
    UpstreamDeflate upstreamDeflate = UpstreamDeflate::AsClient;
    TlsOptions tls;  // toward the upstream (--ca, --insecure, client certificate)
    // Applied to the request passed upstream: a header of the same name (ASCII case-insensitive) is
    // replaced, else added; an empty value removes it. "Host" overrides the upstream's Host (by default
    // Host is the upstream URL's); "Origin" the app's Origin (passed through by default).
    QList<QPair<QString, QString>> headers;
    uint64_t maxMessageSize = 64ull << 20;  // per message (after inflation) and per frame, on both legs
    uint64_t memoryBudget = 1ull << 30;     // all legs' buffers together (see memory_budget.h)
    int handshakeTimeoutMs = 10000;         // the app's upgrade request must be complete within this
    int connectTimeoutMs = 10000;           // the upstream must be open within this
    int maxConnections = 10000;             // pairs, handshaking ones included; past it apps get 503
    // Each pair takes two connection ids: the client leg's (from here, odd steps) and the next one for
    // the upstream leg.
    uint32_t firstConnectionId = 1;
};

// Ranges of the options above. Returns one sentence about the first option out of range, or empty.
QString checkProxyOptions(const ProxyOptions& options);

// Counters the tests and the benchmarks read from any thread.
struct ProxyCounters {
    std::atomic<uint64_t> pairsOpen{0};   // both legs open now
    std::atomic<uint64_t> pairsTotal{0};  // since start, both legs opened
    std::atomic<uint64_t> messagesToUpstream{0};
    std::atomic<uint64_t> messagesToClient{0};
    std::atomic<uint64_t> upstreamRefusals{0};    // the upstream refused or could not be reached
    std::atomic<uint64_t> connectionsRefused{0};  // 503: past maxConnections
    // The forward proxy: opaque CONNECT tunnels opened, and requests it refused (not an upgrade, a bad
    // target, a tunnel's server unreachable).
    std::atomic<uint64_t> tunnelsTotal{0};
    std::atomic<uint64_t> forwardRefusals{0};
};

class ProxyServer : public QObject {
    Q_OBJECT
public:
    // `sink` (may be null) receives every frame and note of both legs from the proxy's thread, each with
    // its leg, and must outlive the proxy.
    explicit ProxyServer(ProxyOptions options, CaptureSink* sink = nullptr, QObject* parent = nullptr);
    ~ProxyServer() override;
    ProxyServer(const ProxyServer&) = delete;
    ProxyServer& operator=(const ProxyServer&) = delete;

    // Starts listening and waits until the socket is bound. On failure returns false and sets `error` to
    // one sentence.
    bool start(QString* error = nullptr);
    // ws://HOST:PORT/ once started (http://HOST:PORT/ for the forward proxy).
    QUrl url() const { return url_; }
    quint16 port() const noexcept { return static_cast<quint16>(url_.port()); }
    const ProxyCounters& counters() const noexcept { return *counters_; }
    bool passesPings() const noexcept { return options_.passPings; }

    // Intercept (intercept.h), from the controller's thread: each call is queued to the proxy's thread.
    // The rules apply to the messages relayed from then on. False with one sentence in `error` when the
    // rules are invalid.
    bool setInterceptRules(const InterceptRules& rules, QString* error = nullptr);
    // Decides the held message `heldId` of pair `pairId` (its client-leg id).
    void resolveHeld(quint32 pairId, quint64 heldId, const InterceptAction& action);
    // Sends a message (Kind::Message) or crafted frames (Kind::Frames) into leg `to` of pair `pairId` now.
    void inject(quint32 pairId, Leg to, const InterceptAction& action);
    // Closes one proxied conversation (either leg's id) with 1000 toward the app and toward the upstream,
    // from the proxy's thread; the other pairs go on. A pair that has already ended is left alone.
    void closePair(quint32 connectionId);

signals:
    void listening(const QUrl& url);
    // Both legs are open: the pair's client-leg id (the upstream leg's is the next one).
    void pairOpened(quint32 connectionId, const QString& peer);
    void pairFinished(quint32 connectionId, const QString& sentence);
    // A breakpoint held a message; it waits for resolveHeld().
    void messageHeld(const framescope::app::HeldMessage& message);
    // A held message was decided, or discarded with its pair.
    void heldReleased(quint32 connectionId, quint64 heldId);
    // A resolveHeld() or inject() that could not be done, as one sentence.
    void interceptFailed(const QString& sentence);

private:
    ProxyOptions options_;
    std::shared_ptr<ProxyCounters> counters_;
    QThread thread_;
    ProxyServerWorker* worker_;
    QUrl url_;
};

}  // namespace framescope::app
