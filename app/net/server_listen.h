// What the built-in servers (the echo server, the reverse proxy) share around accepting: binding with the
// URL clients use, listening from the controller's thread, unbuffered plain TCP sockets, and refusing a
// client with a short answer.
#pragma once

#include <QAbstractSocket>
#include <QByteArray>
#include <QHostAddress>
#include <QMetaObject>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>

namespace framescope::app {

// Binds `server`; returns SCHEME://HOST:PORT/ or an empty URL with `error` set to one sentence.
QUrl listenForClients(QTcpServer& server, const QHostAddress& host, quint16 port, const char* scheme,
                      QString& error);

// Calls `worker->listen(error)` on the worker's thread and waits for it (the controllers' start()).
template <typename Worker>
QUrl listenOnWorkerThread(Worker* worker, QString& error) {
    QUrl url;
    QMetaObject::invokeMethod(
        worker, [&] { url = worker->listen(error); }, Qt::BlockingQueuedConnection);
    return url;
}

// Writes `response` (an HTTP refusal) to `socket`, which `owner` keeps until it has closed (or for at most
// 10 s), without reading what the client sent.
void refuseAndClose(QAbstractSocket* socket, QObject* owner, const QByteArray& response);

// A connected TCP socket for `descriptor` whose reads go straight to the kernel: each read() is one
// recv(), and Qt's read notification only emits readyRead. It is a QAbstractSocket, not a QTcpSocket:
// Qt 6 keeps a QTcpSocket buffered whatever mode setSocketDescriptor() is given (only connectToHost()
// honours Unbuffered). Two things differ from a buffered socket: bytesAvailable() asks the kernel
// (FIONREAD), and a read that meets the end of the stream or an error closes the socket without
// emitting disconnected() (SessionDriver::socketClosed() says it). Null if Qt refuses the descriptor.
QAbstractSocket* openUnbufferedSocket(qintptr descriptor, QObject* parent);

// A QTcpServer whose plain TCP clients are unbuffered sockets, handed to `accepted` as they come (the
// receiver owns them; nextPendingConnection() stays empty).
class UnbufferedTcpServer : public QTcpServer {
public:
    UnbufferedTcpServer(std::function<void(QAbstractSocket*)> accepted, QObject* parent)
        : QTcpServer(parent), accepted_(std::move(accepted)) {}

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::function<void(QAbstractSocket*)> accepted_;
};

}  // namespace framescope::app
