// The window's link to app/: the capture store and its model, the built-in echo server, and the client
// Connection of the moment. Every command becomes a queued call on a Connection; nothing here touches a
// socket or a codec session. Each Connect makes a new Connection with the next connection id; a replaced
// one is closed and deleted once it has finished.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <memory>

#include "capture/capture_model.h"
#include "capture/capture_store.h"
#include "net/connection.h"
#include "net/echo_server.h"
#include "widgets/frame_plan.h"

namespace framescope::ui {

// A crafted plan item as the Connection's RawFrame; a randomMaskKey item leaves maskKey unset so the worker
// draws a fresh key from its secure source (RFC 6455 §5.3).
app::RawFrame rawFrameOf(const RawFramePlanItem& item);

class SessionController : public QObject {
    Q_OBJECT

public:
    explicit SessionController(const app::CaptureStoreOptions& storeOptions = {}, QObject* parent = nullptr);
    ~SessionController() override;

    // Starts the built-in echo server (loopback, permessage-deflate) on `port` (0: a free one). When that
    // port is taken it listens on a free port instead and says so in `note`. False and one sentence in
    // `error` when it cannot listen at all.
    bool startServer(quint16 port = 0, QString* error = nullptr, QString* note = nullptr);
    bool serverRunning() const { return server_ != nullptr; }
    QUrl serverUrl() const;
    const app::EchoServer* server() const { return server_.get(); }

    app::CaptureStore& store() { return store_; }
    app::CaptureModel* model() { return model_; }

    // Opens a new connection (the current one, if any, is closed and retired).
    void connectTo(const app::ConnectionOptions& options);
    // Closes the current connection with 1000 (or stops the attempt) and stops repeating.
    void disconnectFromPeer();
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

private:
    void retire(app::Connection* connection);
    void sendRepeated();
    void onStateChanged(app::ConnectionState state, const QString& sentence);

    app::CaptureStore store_;
    app::CaptureModel* model_ = nullptr;
    std::unique_ptr<app::EchoServer> server_;
    QPointer<app::Connection> connection_;
    uint32_t nextConnectionId_ = 1;
    QTimer repeatTimer_;
    bool repeatText_ = true;
    QByteArray repeatPayload_;
    quint64 repeatCount_ = 0;
};

}  // namespace framescope::ui
