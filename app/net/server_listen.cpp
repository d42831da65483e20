#include "net/server_listen.h"

#include <QTimer>

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

void refuseAndClose(QTcpSocket* socket, QObject* owner, const QByteArray& response) {
    socket->setParent(owner);
    socket->write(response);
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    QTimer::singleShot(10000, socket, [socket] { socket->abort(); });
}

}  // namespace framescope::app
