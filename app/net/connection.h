// A client WebSocket connection, controlled from any thread that has an event loop (the UI's, the CLI's).
// The socket, handshake and session live in a ConnectionWorker on the connection's own QThread; every
// command is a queued call to it and every report is a signal. The destructor quits and waits.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <cstdint>

#include "capture/capture_sink.h"
#include "net/connection_types.h"

namespace framescope::app {

class ConnectionWorker;

class Connection : public QObject {
    Q_OBJECT
public:
    // `sink` receives every frame and note from the worker's thread and must outlive the connection.
    Connection(ConnectionOptions options, CaptureSink* sink, uint32_t connectionId,
               QObject* parent = nullptr);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const ConnectionOptions& options() const noexcept { return options_; }
    uint32_t connectionId() const noexcept { return connectionId_; }
    // The last state and sentence reported by the worker (updated when this object's thread runs events).
    ConnectionState state() const noexcept { return state_; }
    const QString& sentence() const noexcept { return sentence_; }
    const ConnectionTiming& timing() const noexcept { return timing_; }

    // Commands: queued to the worker, which reports failures through commandFailed().
    void open();
    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    void sendPing(const QByteArray& payload = {});
    void sendPong(const QByteArray& payload = {});
    void sendClose(quint16 code, const QString& reason = {});
    void sendRaw(const RawFrame& frame);
    void sendFragmented(const FragmentedMessage& message);
    void disconnectFromPeer();

signals:
    void stateChanged(framescope::app::ConnectionState state, const QString& sentence);
    void opened(const QString& subprotocol, const QString& extensions);
    void timingUpdated(const framescope::app::ConnectionTiming& timing);
    void messageReceived(bool text, const QByteArray& payload);
    void closeReceived(quint16 code, const QString& reason);
    void commandFailed(const QString& sentence);

private:
    template <typename F>
    void post(F&& call);

    ConnectionOptions options_;
    uint32_t connectionId_;
    QThread thread_;
    ConnectionWorker* worker_;
    ConnectionState state_ = ConnectionState::Idle;
    QString sentence_;
    ConnectionTiming timing_;
};

}  // namespace framescope::app
