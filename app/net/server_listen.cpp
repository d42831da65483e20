#include "net/server_listen.h"

#include <QTimer>

#include <unistd.h>

namespace framescope::app {

QUrl listenForClients(QTcpServer& server, const QHostAddress& host, quint16 port, const char* scheme,
                      QString& error) {
    if (!server.listen(host, port)) {
        error = QString("Cannot listen on %1 port %2: %3.")
                    .arg(host.toString())
                    .arg(port)
                    .arg(server.errorString());
        return {};
    }
    QUrl url;
    url.setScheme(scheme);
    url.setHost(server.serverAddress().toString());
    url.setPort(server.serverPort());
    url.setPath("/");
    return url;
}

void refuseAndClose(QAbstractSocket* socket, QObject* owner, const QByteArray& response) {
    socket->setParent(owner);
    // An unbuffered socket leaves the request in the kernel, and closing over unread bytes sends a reset
    // instead of a FIN: read what is there first (a buffered socket's Qt does that by itself).
    if (socket->openMode().testFlag(QIODevice::Unbuffered)) {
        char discarded[4096];
        while (socket->read(discarded, sizeof discarded) == qint64(sizeof discarded)) {
        }
        if (socket->state() != QAbstractSocket::ConnectedState) return socket->deleteLater();
    }
    socket->write(response);
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    QTimer::singleShot(10000, socket, [socket] { socket->abort(); });
}

QAbstractSocket* openUnbufferedSocket(qintptr descriptor, QObject* parent) {
    auto* socket = new QAbstractSocket(QAbstractSocket::TcpSocket, parent);
    if (socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                    QIODevice::ReadWrite | QIODevice::Unbuffered))
        return socket;
    delete socket;
    return nullptr;
}

void UnbufferedTcpServer::incomingConnection(qintptr descriptor) {
    if (QAbstractSocket* socket = openUnbufferedSocket(descriptor, this)) {
        accepted_(socket);
    } else {
        ::close(static_cast<int>(descriptor));  // not adopted (Qt leaves it open): not leaked either
    }
}

}  // namespace framescope::app
