// The worker behind a client Connection: lives on the connection's QThread and is the only code that
// touches its socket, its ClientHandshake and its Session. The controller (connection.h) calls it with
// queued calls and listens to its signals.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSslError>
#include <QSslSocket>
#include <QString>
#include <QTimer>

#include <memory>

#include "capture/capture_sink.h"
#include "framescope/handshake.h"
#include "framescope/secure_random.h"
#include "net/connection_types.h"
#include "net/session_driver.h"

namespace framescope::app {

class ConnectionWorker : public QObject {
    Q_OBJECT
public:
    ConnectionWorker(ConnectionOptions options, CaptureSink* sink, uint32_t connectionId);
    ~ConnectionWorker() override;

    // Commands (call on the worker's thread).
    void open();
    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    void sendPing(const QByteArray& payload);
    void sendPong(const QByteArray& payload);
    void sendClose(quint16 code, const QString& reason);
    void sendRaw(const RawFrame& frame);
    void sendFragmented(const FragmentedMessage& message);
    // Closes with 1000 when open, else stops the attempt; no reconnect follows.
    void disconnectFromPeer();

    // For a caller on the worker's thread that relays this connection (the proxy's upstream leg): sees
    // every session event before the worker handles it (views valid during the call).
    void setEventObserver(SessionDriver::EventHandler observer) { observer_ = std::move(observer); }
    // The session's driver once open() ran (null before); its socket's backlog drives backpressure.
    SessionDriver* driver() const noexcept { return driver_; }
    ConnectionState state() const noexcept { return state_; }
    // The HTTP status of the server's answer to the upgrade request (0 before one arrived).
    int handshakeStatus() const noexcept { return handshake_ ? handshake_->response().status : 0; }

signals:
    void stateChanged(framescope::app::ConnectionState state, const QString& sentence);
    void opened(const QString& subprotocol, const QString& extensions);
    void timingUpdated(const framescope::app::ConnectionTiming& timing);
    void messageReceived(bool text, const QByteArray& payload);
    void closeReceived(quint16 code, const QString& reason);
    void commandFailed(const QString& sentence);

private:
    void resetSocket();
    void setState(ConnectionState state, const QString& sentence);
    // Enters Failed with one sentence; the socket is closed after the pending close frame, or at once.
    void fail(const QString& sentence, bool abortNow = false);
    void connectAttempt();
    bool configureTls();
    void noteOptions();
    bool refusalBodyComplete() const;
    QString closedSentence() const;
    RawFrameSpec toSpec(const RawFrame& frame);
    void note(NoteKind kind, Direction direction, const QString& text);
    void onConnected();
    void onEncrypted();
    void onSslErrors(const QList<QSslError>& errors);
    void onErrorOccurred(QAbstractSocket::SocketError error);
    void onReadyRead();
    void onDisconnected();
    void beginWsHandshake();
    void readHandshake();
    void onHandshakeSucceeded(const QByteArray& leftover);
    void finishRefusal();
    void onEvent(const Event& event);
    void onCloseEvent(const Event& event);
    void onPeerGone();
    void onCloseTimeout();
    void startTimers();
    void stopTimers();
    void sendKeepAlivePing();
    void sendPeriodic();
    void scheduleReconnect();
    bool requireOpen(const char* what);
    void reportSendError(LocalError error, const char* what);
    QString hostPort() const;

    ConnectionOptions options_;
    CaptureSink* sink_;
    uint32_t connectionId_;
    ConnectionState state_ = ConnectionState::Idle;
    QSslSocket* socket_ = nullptr;
    SessionDriver* driver_ = nullptr;
    SessionDriver::EventHandler observer_;
    std::unique_ptr<ClientHandshake> handshake_;
    SecureRandom random_;
    QString tlsFailure_;  // the certificate checks that failed, for the TLS failure sentence
    bool refusalPending_ = false;
    bool userDisconnect_ = false;
    bool closeSent_ = false;
    quint16 peerCloseCode_ = 0;
    QString peerCloseReason_;
    int reconnectAttempts_ = 0;
    uint64_t keepAliveCount_ = 0;

    QTimer connectTimer_;
    QTimer refusalTimer_;
    QTimer closeTimer_;
    QTimer pingTimer_;
    QTimer pingTimeoutTimer_;
    QTimer periodicTimer_;
    QTimer reconnectTimer_;
    QElapsedTimer phaseClock_;
    QElapsedTimer openClock_;
    ConnectionTiming timing_;
};

}  // namespace framescope::app
