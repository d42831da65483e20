// The Qt WebSockets peer: an echo server on 127.0.0.1 (port from argv[1], default any) that prints
// "listening on ws://127.0.0.1:PORT/" first. Run by the bench as a child process; Qt stays out of bench/.
#include <QCoreApplication>
#include <QHostAddress>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QWebSocketServer server(QStringLiteral("framescope-peer-qt-echo"), QWebSocketServer::NonSecureMode);
    const quint16 port = argc > 1 ? static_cast<quint16>(QString::fromLocal8Bit(argv[1]).toUInt()) : 0;
    if (!server.listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket* socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray& message) { socket->sendBinaryMessage(message); });
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString& message) { socket->sendTextMessage(message); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    std::printf("listening on ws://127.0.0.1:%u/\n", static_cast<unsigned>(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
