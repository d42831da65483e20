// The Qt WebSockets peer server: QWebSocketServer echoing every message on one thread, TCP_NODELAY on (our
// own QTcpServer hands each socket to the server after setting it), no compression. Prints
// "listening on ws://127.0.0.1:PORT/" first; the port comes from argv[1] (default: any).
#include <QCoreApplication>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QWebSocketServer server(QStringLiteral("framescope-peer-qt"), QWebSocketServer::NonSecureMode);
    QTcpServer listener;
    const quint16 port = argc > 1 ? static_cast<quint16>(QString::fromLocal8Bit(argv[1]).toUInt()) : 0;
    if (!listener.listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(listener.errorString()));
        return 1;
    }
    QObject::connect(&listener, &QTcpServer::newConnection, &listener, [&] {
        while (QTcpSocket* socket = listener.nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            server.handleConnection(socket);
        }
    });
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket* socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray& message) { socket->sendBinaryMessage(message); });
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString& message) { socket->sendTextMessage(message); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    std::printf("listening on ws://127.0.0.1:%u/\n", static_cast<unsigned>(listener.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
