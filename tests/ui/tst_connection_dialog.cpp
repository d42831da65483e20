// The connection dialog maps every field to ConnectionOptions and back; ignoring certificate errors shows
// a warning; options survive QSettings (the proxy password is never written).
#include <QCheckBox>
#include <QLabel>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "window/connection_dialog.h"
#include "window/connection_settings.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

app::ConnectionOptions everything() {
    app::ConnectionOptions o;
    o.headers = {{"Authorization", "Bearer abc"}, {"X-Trace", "1"}};
    o.subprotocols = {"graphql-transport-ws", "v2.json"};
    o.origin = "https://example.com";
    o.tls.caFile = "/tmp/ca.pem";
    o.tls.certificateFile = "/tmp/client.pem";
    o.tls.keyFile = "/tmp/client.key";
    o.tls.ignoreCertificateErrors = true;
    o.proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, "proxy.local", 1081, "me", "secret");
    DeflateOffer offer;
    offer.clientMaxWindowBits = 12;
    offer.serverMaxWindowBits = 10;
    offer.clientNoContextTakeover = true;
    offer.serverNoContextTakeover = true;
    o.deflate = offer;
    o.keepAlive.pingIntervalMs = 1500;
    o.keepAlive.pingTimeoutMs = 700;
    o.autoPong = false;
    o.periodicSend.intervalMs = 900;
    o.periodicSend.payload = "heartbeat";
    o.periodicSend.binary = true;
    o.reconnect.enabled = true;
    o.reconnect.initialDelayMs = 300;
    o.reconnect.maxDelayMs = 9000;
    o.reconnect.maxAttempts = 7;
    o.connectTimeoutMs = 4000;
    o.closeTimeoutMs = 1200;
    o.ipVersion = app::IpVersion::IPv6;
    return o;
}

void compareOptions(const app::ConnectionOptions& a, const app::ConnectionOptions& b, bool password) {
    QCOMPARE(a.headers, b.headers);
    QCOMPARE(a.subprotocols, b.subprotocols);
    QCOMPARE(a.origin, b.origin);
    QCOMPARE(a.tls.caFile, b.tls.caFile);
    QCOMPARE(a.tls.certificateFile, b.tls.certificateFile);
    QCOMPARE(a.tls.keyFile, b.tls.keyFile);
    QCOMPARE(a.tls.ignoreCertificateErrors, b.tls.ignoreCertificateErrors);
    QCOMPARE(a.proxy.type(), b.proxy.type());
    QCOMPARE(a.proxy.hostName(), b.proxy.hostName());
    QCOMPARE(a.proxy.port(), b.proxy.port());
    QCOMPARE(a.proxy.user(), b.proxy.user());
    if (password) QCOMPARE(a.proxy.password(), b.proxy.password());
    QCOMPARE(a.deflate.has_value(), b.deflate.has_value());
    QCOMPARE(a.deflate->clientMaxWindowBits, b.deflate->clientMaxWindowBits);
    QCOMPARE(a.deflate->serverMaxWindowBits, b.deflate->serverMaxWindowBits);
    QCOMPARE(a.deflate->clientNoContextTakeover, b.deflate->clientNoContextTakeover);
    QCOMPARE(a.deflate->serverNoContextTakeover, b.deflate->serverNoContextTakeover);
    QCOMPARE(a.keepAlive.pingIntervalMs, b.keepAlive.pingIntervalMs);
    QCOMPARE(a.keepAlive.pingTimeoutMs, b.keepAlive.pingTimeoutMs);
    QCOMPARE(a.autoPong, b.autoPong);
    QCOMPARE(a.periodicSend.intervalMs, b.periodicSend.intervalMs);
    QCOMPARE(a.periodicSend.payload, b.periodicSend.payload);
    QCOMPARE(a.periodicSend.binary, b.periodicSend.binary);
    QCOMPARE(a.reconnect.enabled, b.reconnect.enabled);
    QCOMPARE(a.reconnect.initialDelayMs, b.reconnect.initialDelayMs);
    QCOMPARE(a.reconnect.maxDelayMs, b.reconnect.maxDelayMs);
    QCOMPARE(a.reconnect.maxAttempts, b.reconnect.maxAttempts);
    QCOMPARE(a.connectTimeoutMs, b.connectTimeoutMs);
    QCOMPARE(a.closeTimeoutMs, b.closeTimeoutMs);
    QCOMPARE(a.ipVersion, b.ipVersion);
}

}  // namespace

class TstConnectionDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        test::isolateSettings(settingsDir_);
    }

    void everyFieldRoundTrips() {
        ConnectionDialog dialog;
        const app::ConnectionOptions options = everything();
        dialog.setOptions(options);
        compareOptions(dialog.options(), options, true);
        QCOMPARE(dialog.headersTable()->rowCount(), 2);
    }

    void defaultsOfferDeflateLikeBrowsers() {
        ConnectionDialog dialog;
        const app::ConnectionOptions options = dialog.options();
        QVERIFY(options.deflate.has_value());
        QCOMPARE(options.deflate->clientMaxWindowBits, -1);
        QVERIFY(options.autoPong);
        QVERIFY(!options.tls.ignoreCertificateErrors);
        QCOMPARE(options.proxy.type(), QNetworkProxy::NoProxy);
        QVERIFY(!options.reconnect.enabled);
    }

    void ignoringCertificateErrorsWarns() {
        ConnectionDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.tabs()->setCurrentIndex(1);
        QVERIFY(!dialog.insecureWarning()->isVisible());
        QTest::mouseClick(
            dialog.ignoreCertificateErrors(), Qt::LeftButton, {},
            QPoint(6, dialog.ignoreCertificateErrors()->height() / 2));  // the box, not the blank
        QVERIFY(dialog.options().tls.ignoreCertificateErrors);
        QVERIFY(dialog.insecureWarning()->isVisible());
        QVERIFY(dialog.insecureWarning()->text().contains("Insecure"));
    }

    void emptyHeaderNamesAreDropped() {
        ConnectionDialog dialog;
        app::ConnectionOptions options;
        options.headers = {{"", "orphan"}, {"  X-Ok ", "yes"}};
        dialog.setOptions(options);
        QCOMPARE(dialog.options().headers, (QList<QPair<QString, QString>>{{"X-Ok", "yes"}}));
    }

    void settingsKeepEverythingButThePassword() {
        QSettings settings;
        saveConnectionOptions(settings, everything());
        const app::ConnectionOptions loaded = loadConnectionOptions(settings);
        compareOptions(loaded, everything(), false);
        QVERIFY(loaded.proxy.password().isEmpty());
        QVERIFY(!settings.allKeys().join(' ').contains("assword"));
    }

private:
    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstConnectionDialog)
#include "tst_connection_dialog.moc"
