// The window's link to app/: the capture store and its model, the built-in echo server, and the client
// Connection of the moment. Every command becomes a queued call on a Connection; nothing here touches a
// socket or a codec session. Each Connect makes a new Connection with the next connection id; a replaced
// one is closed and deleted once it has finished. The built-in server captures its own side of every
// conversation into the same store, under ids from kServerConnectionBase (never a client's id). A reverse
// proxy started from the window captures both legs of each pair under ids from kProxyConnectionBase.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>

#include "capture/capture_model.h"
#include "capture/capture_store.h"
#include "net/connection.h"
#include "net/echo_server.h"
#include "net/proxy_server.h"
#include "widgets/frame_plan.h"

namespace framescope::ui {

// A crafted plan item as the Connection's RawFrame; a randomMaskKey item leaves maskKey unset so the worker
// draws a fresh key from its secure source (RFC 6455 §5.3).
app::RawFrame rawFrameOf(const RawFramePlanItem& item);

class SessionController : public QObject {
    Q_OBJECT

public:
    // The built-in server numbers its clients from here; the window's own connections count from 1.
    static constexpr uint32_t kServerConnectionBase = 1'000'001;
    // The window's reverse proxy numbers its pairs from here (client leg N, upstream leg N + 1); each start
    // moves on by kProxyIdsPerStart so a restarted proxy never reuses an id of the capture.
    static constexpr uint32_t kProxyConnectionBase = 2'000'001;
    static constexpr uint32_t kProxyIdsPerStart = 100'000;

    explicit SessionController(const app::CaptureStoreOptions& storeOptions = {}, QObject* parent = nullptr);
    ~SessionController() override;

    // Starts the built-in echo server (loopback, permessage-deflate) on `port` (0: a free one). When that
    // port is taken it listens on a free port instead and says so in `note`. False and one sentence in
    // `error` when it cannot listen at all. With `captureServerSide`, the server's frames and notes go to
    // the store too.
    bool startServer(quint16 port = 0, QString* error = nullptr, QString* note = nullptr,
                     bool captureServerSide = true);
    bool serverRunning() const { return server_ != nullptr; }
    QUrl serverUrl() const;
    const app::EchoServer* server() const { return server_.get(); }

    // A second built-in echo server that captures nothing, started on first use on a free port: the load
    // runs' default target, so a million-message run does not flood the capture. Empty when it cannot
    // listen.
    QUrl loadTargetUrl();

    // Starts the reverse proxy (loopback, `port`, 0: a free one) toward the ws:// or wss:// `upstream`,
    // replacing a running one; both legs of every pair go to the store. With `passPings` its pairs pass
    // pings and pongs through instead of answering them per leg. False with one sentence in `error`.
    bool startProxy(const QUrl& upstream, quint16 port = 0, QString* error = nullptr, bool passPings = false);
    void stopProxy();
    app::ProxyServer* proxy() const { return proxy_.get(); }

    app::CaptureStore& store() { return store_; }
    app::CaptureModel* model() { return model_; }

    // Opens a new connection (the current one, if any, is closed and retired).
    void connectTo(const app::ConnectionOptions& options);
    // Closes the current connection with 1000 (or stops the attempt) and stops repeating.
    void disconnectFromPeer();
    // Closes one connection of the capture with 1000: the window's own (current or retiring) or one of
    // the built-in server's clients; the others go on. False when no live connection has that id.
    bool closeConnection(uint32_t id);
    app::Connection* connection() const { return connection_; }
    uint32_t connectionId() const { return connection_ ? connection_->connectionId() : 0; }
    app::ConnectionState state() const;
    // Connecting, handshaking, open or closing.
    bool isActive() const;
    bool isOpen() const { return state() == app::ConnectionState::Open; }

    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    void sendPing(const QByteArray& payload);
    void sendClose(quint16 code, const QString& reason);
    void sendPlan(const FramePlan& plan);  // each item through Connection::sendRaw, in order

    // Sends the message now and then every `intervalMs` until stopRepeat() or the connection ends.
    void startRepeat(bool text, const QByteArray& payload, int intervalMs);
    void stopRepeat();
    bool isRepeating() const { return repeatTimer_.isActive(); }
    quint64 repeatCount() const { return repeatCount_; }

signals:
    void stateChanged(framescope::app::ConnectionState state, const QString& sentence);
    void opened(const QString& subprotocol, const QString& extensions);
    void timingUpdated(const framescope::app::ConnectionTiming& timing);
    void commandFailed(const QString& sentence);
    void repeatStopped();
    void proxyChanged();  // started or stopped

private:
    void retire(app::Connection* connection);
    void sendRepeated();
    void onStateChanged(app::ConnectionState state, const QString& sentence);

    // Forwards the server's frames and notes to the store once it listens (its start-up line is not a
    // conversation: the log's empty text shows the URL instead).
    class ServerSink final : public app::CaptureSink {
    public:
        explicit ServerSink(app::CaptureSink& target) : target_(target) {}
        void open() { open_.store(true, std::memory_order_release); }
        void addFrame(const app::CapturedFrame& frame) override { target_.addFrame(frame); }
        void addNote(const app::CapturedNote& note) override {
            if (open_.load(std::memory_order_acquire)) target_.addNote(note);
        }
        void addConnection(const app::CapturedConnection& c) override { target_.addConnection(c); }

    private:
        app::CaptureSink& target_;
        std::atomic<bool> open_{false};
    };

    app::CaptureStore store_;
    app::CaptureModel* model_ = nullptr;
    ServerSink serverSink_{store_};  // outlives server_ (declared before it)
    std::unique_ptr<app::EchoServer> server_;
    std::unique_ptr<app::EchoServer> loadTarget_;
    std::unique_ptr<app::ProxyServer> proxy_;
    uint32_t nextProxyBase_ = kProxyConnectionBase;
    QPointer<app::Connection> connection_;
    uint32_t nextConnectionId_ = 1;
    QTimer repeatTimer_;
    bool repeatText_ = true;
    QByteArray repeatPayload_;
    quint64 repeatCount_ = 0;
};

}  // namespace framescope::ui
