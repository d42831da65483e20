// The built-in echo server: FrameScope's default target and the peer of the benchmarks and conformance
// tests. A worker on its own QThread listens (loopback, ephemeral port by default; TLS with a certificate
// and key), serves many clients, echoes every message with its opcode, answers pings and completes
// closes, and captures every frame of every client under the client's own connection id. A browser that
// opens its address (a plain GET of "/") gets the demo page (demo_page.h).
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <cstdint>
#include <memory>

#include "capture/capture_sink.h"

namespace framescope::app {

class EchoServerWorker;

struct EchoServerOptions {
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 0;                       // 0 = an ephemeral port
    bool deflate = true;                    // accept permessage-deflate offers
    uint64_t maxMessageSize = 64ull << 20;  // per message (after inflation) and per frame
    QString certificateFile;                // PEM; with keyFile, the server speaks wss://
    QString keyFile;
    QString clientCaFile;  // when set, clients must present a certificate signed by one of these CAs
    uint32_t firstConnectionId = 1;  // connection ids are given to clients from here on
    // Hostile clients. Past the memory budget (all clients' buffers together) a client is closed with 1009
    // or 1013 and the others go on; a client without a complete upgrade request after the handshake timeout
    // is dropped; with an idle timeout, a quiet client is pinged after half of it and closed (1001) after
    // all of it; past maxConnections (handshaking clients included) new clients get 503.
    uint64_t memoryBudget = 1ull << 30;
    int handshakeTimeoutMs = 10000;
    int idleTimeoutMs = 0;  // 0 = off
    int maxConnections = 10000;
};

// Ranges of the options above. Returns one sentence about the first option out of range, or empty.
QString checkEchoServerOptions(const EchoServerOptions& options);

// Counters the tests and the load runner read from any thread; only the server's thread writes them.
struct EchoServerCounters {
    std::atomic<uint64_t> clientsConnected{0};  // now
    std::atomic<uint64_t> clientsTotal{0};      // since start, handshake completed
    std::atomic<uint64_t> messagesEchoed{0};
    std::atomic<uint64_t> bytesEchoed{0};  // message bytes, before compression
    std::atomic<uint64_t> handshakesRefused{0};
    std::atomic<uint64_t> connectionsRefused{0};  // 503: past maxConnections
    std::atomic<uint64_t> handshakeTimeouts{0};
    std::atomic<uint64_t> idleTimeouts{0};
    std::atomic<uint64_t> closedOverBudget{0};  // 1009 / 1013: past the memory budget or out of memory
};

class EchoServer : public QObject {
    Q_OBJECT
public:
    // `sink` (may be null) receives every frame and note from the server's thread and must outlive it.
    explicit EchoServer(EchoServerOptions options, CaptureSink* sink = nullptr, QObject* parent = nullptr);
    ~EchoServer() override;
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    // Starts listening and waits until the socket is bound. On failure returns false and sets `error` to
    // one sentence.
    bool start(QString* error = nullptr);
    // ws://HOST:PORT/ or wss://HOST:PORT/ once started.
    QUrl url() const { return url_; }
    quint16 port() const noexcept { return static_cast<quint16>(url_.port()); }
    const EchoServerCounters& counters() const noexcept { return *counters_; }

    // Sends a close frame to every client (queued to the server's thread).
    void closeAll(quint16 code, const QString& reason);
    // Sends a close frame to one client (queued); the others go on. Nothing happens for an unknown id.
    void closeClient(quint32 connectionId, quint16 code, const QString& reason);
    // Drops every client's TCP connection without a close frame (queued).
    void abortAll();

signals:
    void listening(const QUrl& url);
    void clientConnected(quint32 connectionId, const QString& peer);
    void clientDisconnected(quint32 connectionId, const QString& sentence);

private:
    EchoServerOptions options_;
    std::shared_ptr<EchoServerCounters> counters_;
    QThread thread_;
    EchoServerWorker* worker_;
    QUrl url_;
};

}  // namespace framescope::app
