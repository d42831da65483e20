// Connections through real proxies on loopback: a minimal HTTP CONNECT proxy and a minimal SOCKS5 proxy
// written here relay the bytes to our echo server; the connection must open through them, echo, and the
// proxy must have seen the tunnel request for the echo server's port.
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "net/connection.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::RecordingSink;

namespace {

constexpr int kWait = 20000;

// Joins two sockets both ways once the proxy protocol is done.
void relay(QTcpSocket* a, QTcpSocket* b) {
    QObject::connect(a, &QTcpSocket::readyRead, b, [a, b] { b->write(a->readAll()); });
    QObject::connect(b, &QTcpSocket::readyRead, a, [a, b] { a->write(b->readAll()); });
    QObject::connect(a, &QTcpSocket::disconnected, b, &QTcpSocket::disconnectFromHost);
    QObject::connect(b, &QTcpSocket::disconnected, a, &QTcpSocket::disconnectFromHost);
}

// A proxy on 127.0.0.1 that parses its protocol's request, connects upstream and relays. `requests`
// records "host:port" of every tunnel asked for.
class TestProxy : public QTcpServer {
public:
    enum class Kind { HttpConnect, Socks5 };
    explicit TestProxy(Kind kind) : kind_(kind) {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* client = nextPendingConnection()) {
                connect(client, &QTcpSocket::readyRead, this, [this, client] { onClientData(client); });
            }
        });
    }
    QStringList requests;

private:
    void onClientData(QTcpSocket* client) {
        if (client->property("relaying").toBool()) return;
        buffers_[client] += client->readAll();
        QByteArray& buffer = buffers_[client];
        if (kind_ == Kind::HttpConnect) {
            handleHttp(client, buffer);
        } else {
            handleSocks(client, buffer);
        }
    }

    void handleHttp(QTcpSocket* client, QByteArray& buffer) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        const QByteArray rest = buffer.mid(end + 4);
        if (requestLine.value(0) != "CONNECT") {
            client->write("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
            client->disconnectFromHost();
            return;
        }
        const QByteArray target = requestLine.value(1);
        requests << QString::fromLatin1(target);
        const qsizetype colon = target.lastIndexOf(':');
        openUpstream(client, QString::fromLatin1(target.left(colon)), quint16(target.mid(colon + 1).toUInt()),
                     "HTTP/1.1 200 Connection established\r\n\r\n", rest);
    }

    // RFC 1928: greeting (no authentication), then CONNECT to an IPv4 address or a domain name.
    void handleSocks(QTcpSocket* client, QByteArray& buffer) {
        if (!client->property("greeted").toBool()) {
            if (buffer.size() < 2 || buffer.size() < 2 + uchar(buffer[1])) return;
            buffer.remove(0, 2 + uchar(buffer[1]));
            client->setProperty("greeted", true);
            client->write(QByteArray("\x05\x00", 2));
        }
        if (buffer.size() < 5) return;
        const uchar type = uchar(buffer[3]);
        QString host;
        qsizetype addressEnd = 0;
        if (type == 0x01) {
            addressEnd = 8;
            if (buffer.size() < addressEnd + 2) return;
            host = QStringLiteral("%1.%2.%3.%4")
                       .arg(uchar(buffer[4]))
                       .arg(uchar(buffer[5]))
                       .arg(uchar(buffer[6]))
                       .arg(uchar(buffer[7]));
        } else if (type == 0x03) {
            addressEnd = 5 + uchar(buffer[4]);
            if (buffer.size() < addressEnd + 2) return;
            host = QString::fromLatin1(buffer.mid(5, uchar(buffer[4])));
        } else {
            client->disconnectFromHost();
            return;
        }
        const quint16 port = quint16(uchar(buffer[addressEnd]) << 8 | uchar(buffer[addressEnd + 1]));
        requests << QStringLiteral("%1:%2").arg(host).arg(port);
        const QByteArray rest = buffer.mid(addressEnd + 2);
        openUpstream(client, host, port, QByteArray("\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10), rest);
    }

    void openUpstream(QTcpSocket* client, const QString& host, quint16 port, const QByteArray& reply,
                      const QByteArray& early) {
        client->setProperty("relaying", true);
        auto* upstream = new QTcpSocket(client);
        connect(upstream, &QTcpSocket::connected, client, [client, upstream, reply, early] {
            client->write(reply);
            if (!early.isEmpty()) upstream->write(early);
            relay(client, upstream);
            if (client->bytesAvailable() > 0) upstream->write(client->readAll());
        });
        upstream->connectToHost(host == "localhost" ? QStringLiteral("127.0.0.1") : host, port);
    }

    Kind kind_;
    QHash<QTcpSocket*, QByteArray> buffers_;
};

}  // namespace

Q_DECLARE_METATYPE(QNetworkProxy::ProxyType)

class TestProxyConnections : public QObject {
    Q_OBJECT

private slots:
    void throughProxy_data() {
        QTest::addColumn<QNetworkProxy::ProxyType>("type");
        QTest::newRow("http connect") << QNetworkProxy::HttpProxy;
        QTest::newRow("socks5") << QNetworkProxy::Socks5Proxy;
    }

    void throughProxy() {
        QFETCH(QNetworkProxy::ProxyType, type);
        TestProxy proxy(type == QNetworkProxy::HttpProxy ? TestProxy::Kind::HttpConnect
                                                         : TestProxy::Kind::Socks5);
        QVERIFY(proxy.listen(QHostAddress::LocalHost));
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        RecordingSink sink;
        ConnectionOptions options;
        options.url = server.url();
        options.proxy = QNetworkProxy(type, QStringLiteral("127.0.0.1"), proxy.serverPort());
        Connection connection(options, &sink, 3);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        connection.open();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Open, kWait);
        connection.sendText(QStringLiteral("through the proxy"));
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
        QCOMPARE(messages[0][1].toByteArray(), QByteArray("through the proxy"));
        QCOMPARE(proxy.requests.size(), 1);
        QVERIFY2(proxy.requests[0].endsWith(QStringLiteral(":%1").arg(server.port())),
                 qPrintable(proxy.requests[0]));
        QCOMPARE(server.counters().messagesEchoed.load(), uint64_t(1));
    }

    void proxyRefusingIsAClearFault() {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 deadPort = closed.serverPort();
        closed.close();
        RecordingSink sink;
        ConnectionOptions options;
        options.url = QUrl(QStringLiteral("ws://127.0.0.1:9/"));
        options.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), deadPort);
        Connection connection(options, &sink, 4);
        connection.open();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, kWait);
        QVERIFY2(connection.sentence().contains(QStringLiteral("proxy"), Qt::CaseInsensitive),
                 qPrintable(connection.sentence()));
    }
};

QTEST_GUILESS_MAIN(TestProxyConnections)
#include "tst_proxy.moc"
