// An opaque CONNECT tunnel of the forward proxy: bytes copied both ways between the app's socket and the
// server's, never read as WebSocket (without TLS interception they are TLS records we cannot open). The
// capture gets notes only: that the tunnel opened, and when it ends how many bytes went each way.
#pragma once

#include <QObject>
#include <QString>
#include <QTcpSocket>

#include <cstdint>

#include "capture/capture_sink.h"

namespace framescope::app {

class TcpTunnel : public QObject {
    Q_OBJECT
public:
    // Takes both sockets, connected. `target` is the CONNECT's host:port, for the notes; `sink` (may be
    // null) gets them under connection `connectionId`.
    TcpTunnel(QTcpSocket* app, QTcpSocket* server, uint32_t connectionId, const QString& target,
              CaptureSink* sink, QObject* parent);

    uint64_t bytesFromApp() const noexcept { return fromApp_; }
    uint64_t bytesFromServer() const noexcept { return fromServer_; }

signals:
    // Both sockets closed; `sentence` says how many bytes went each way.
    void finished(const QString& sentence);

private:
    void pump(QTcpSocket* from, QTcpSocket* to, uint64_t& counted, bool drain);
    void onDisconnected(QTcpSocket* gone);

    QTcpSocket* app_;
    QTcpSocket* server_;
    uint32_t connectionId_;
    QString target_;
    CaptureSink* sink_;
    uint64_t fromApp_ = 0;
    uint64_t fromServer_ = 0;
    bool appGone_ = false;
    bool serverGone_ = false;
    bool finished_ = false;
};

}  // namespace framescope::app
