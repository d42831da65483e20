// What the built-in servers (the echo server, the reverse proxy) share around accepting: binding with the
// URL clients use, listening from the controller's thread, and refusing a client with a short answer.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QMetaObject>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

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
void refuseAndClose(QTcpSocket* socket, QObject* owner, const QByteArray& response);

}  // namespace framescope::app
