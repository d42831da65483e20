// wss:// between our client and our server with certificates made in the test by the openssl CLI: a CA
// file, mutual TLS, a bad certificate (the sentence names the failed check, subject and issuer), and the
// ignore-errors switch that records what it ignored.
#include <QSignalSpy>
#include <QTest>

#include "net/connection.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::RecordingSink;
using framescope::test::TestPki;

namespace {

constexpr int kWait = 30000;

bool waitSettled(const Connection& connection) {
    return QTest::qWaitFor(
        [&] {
            const ConnectionState s = connection.state();
            return s == ConnectionState::Open || s == ConnectionState::Failed || s == ConnectionState::Closed;
        },
        kWait);
}

}  // namespace

class TestTls : public QObject {
    Q_OBJECT

    TestPki pki_;

    EchoServerOptions serverOptions(const QString& name) {
        EchoServerOptions options;
        options.certificateFile = pki_.path(name + ".pem");
        options.keyFile = pki_.path(name + ".key");
        return options;
    }
    ConnectionOptions clientOptions(const EchoServer& server) {
        ConnectionOptions options;
        options.url = QUrl(QString("wss://localhost:%1/").arg(server.port()));
        options.ipVersion = IpVersion::IPv4;
        return options;
    }

private slots:
    void initTestCase() { QVERIFY2(pki_.create(), "the openssl CLI could not make the test certificates"); }

    void trustedThroughCaFile() {
        EchoServer server(serverOptions("server"));
        QVERIFY(server.start());
        QCOMPARE(server.url().scheme(), QString("wss"));
        RecordingSink sink;
        ConnectionOptions options = clientOptions(server);
        options.tls.caFile = pki_.path("ca.pem");
        options.deflate = DeflateOffer{};
        Connection connection(options, &sink, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        connection.open();
        QVERIFY(waitSettled(connection));
        QCOMPARE(connection.state(), ConnectionState::Open);
        QVERIFY(connection.timing().tlsUs >= 0);
        QVERIFY(sink.hasNote("TLS established"));
        QVERIFY(sink.hasNote("subject CN=localhost, O=FrameScope, issuer CN=FrameScope Test CA"));
        connection.sendText("over TLS");
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
        QCOMPARE(messages[0][1].toByteArray(), QByteArray("over TLS"));
        connection.disconnectFromPeer();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Closed, kWait);
    }

    void untrustedIssuerFails() {
        EchoServer server(serverOptions("server"));
        QVERIFY(server.start());
        RecordingSink sink;
        Connection connection(clientOptions(server), &sink, 1);  // the test CA is not trusted
        connection.open();
        QVERIFY(waitSettled(connection));
        QCOMPARE(connection.state(), ConnectionState::Failed);
        const QString sentence = connection.sentence();
        QVERIFY2(sentence.startsWith("TLS failure: the server's certificate failed verification"),
                 qPrintable(sentence));
        QVERIFY2(sentence.contains("check: UnableToGetLocalIssuerCertificate"), qPrintable(sentence));
        QVERIFY(sentence.contains("subject CN=localhost, O=FrameScope"));
        QVERIFY(sentence.contains("issuer CN=FrameScope Test CA, O=FrameScope"));
        QVERIFY(sink.hasNote("TLS failure"));
    }

    void selfSignedCertificateFails() {
        EchoServer server(serverOptions("bad"));
        QVERIFY(server.start());
        ConnectionOptions options = clientOptions(server);
        options.tls.caFile = pki_.path("ca.pem");
        Connection connection(options, nullptr, 1);
        connection.open();
        QVERIFY(waitSettled(connection));
        QCOMPARE(connection.state(), ConnectionState::Failed);
        const QString sentence = connection.sentence();
        QVERIFY2(sentence.contains("check: SelfSignedCertificate"), qPrintable(sentence));
        QVERIFY(sentence.contains("subject CN=Untrusted Test Server, O=Nobody"));
        QVERIFY(sentence.contains("issuer CN=Untrusted Test Server, O=Nobody"));
    }

    void ignoringErrorsRecordsWhatWasIgnored() {
        EchoServer server(serverOptions("bad"));
        QVERIFY(server.start());
        RecordingSink sink;
        ConnectionOptions options = clientOptions(server);
        options.tls.ignoreCertificateErrors = true;
        Connection connection(options, &sink, 1);
        connection.open();
        QVERIFY(waitSettled(connection));
        QCOMPARE(connection.state(), ConnectionState::Open);
        QVERIFY(sink.hasNote("TLS certificate errors ignored"));
        QVERIFY(sink.hasNote("TLS: ignoring certificate errors as asked"));
        QVERIFY(sink.hasNote("check: SelfSignedCertificate; subject CN=Untrusted Test Server"));
    }

    void mutualTls() {
        EchoServerOptions options = serverOptions("server");
        options.clientCaFile = pki_.path("ca.pem");
        EchoServer server(options);
        QVERIFY(server.start());
        ConnectionOptions client = clientOptions(server);
        client.tls.caFile = pki_.path("ca.pem");
        client.tls.certificateFile = pki_.path("client.pem");
        client.tls.keyFile = pki_.path("client.key");
        Connection connection(client, nullptr, 1);
        QSignalSpy messages(&connection, &Connection::messageReceived);
        connection.open();
        QVERIFY(waitSettled(connection));
        QCOMPARE(connection.state(), ConnectionState::Open);
        connection.sendBinary("mutual");
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
    }

    void mutualTlsWithoutClientCertificateFails() {
        EchoServerOptions options = serverOptions("server");
        options.clientCaFile = pki_.path("ca.pem");
        RecordingSink serverSink;
        EchoServer server(options, &serverSink);
        QVERIFY(server.start());
        ConnectionOptions client = clientOptions(server);
        client.tls.caFile = pki_.path("ca.pem");
        client.connectTimeoutMs = 10000;
        Connection connection(client, nullptr, 1);
        connection.open();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, kWait);
        QVERIFY(!connection.sentence().isEmpty());
        QCOMPARE(server.counters().clientsTotal.load(), 0u);
    }

    void missingCertificateFileSaysSo() {
        ConnectionOptions options;
        options.url = QUrl("wss://localhost:1/");
        options.tls.caFile = pki_.path("does-not-exist.pem");
        Connection connection(options, nullptr, 1);
        connection.open();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ConnectionState::Failed, kWait);
        QVERIFY(connection.sentence().startsWith("Cannot read the certificate file"));
        EchoServerOptions serverOptions;
        serverOptions.certificateFile = pki_.path("nope.pem");
        serverOptions.keyFile = pki_.path("nope.key");
        EchoServer server(serverOptions);
        QString error;
        QVERIFY(!server.start(&error));
        QVERIFY(error.startsWith("Cannot read the certificate file"));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
