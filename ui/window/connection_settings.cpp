#include "window/connection_settings.h"

#include <QSettings>

#include <algorithm>

namespace framescope::ui {

namespace {

QStringList headerLines(const QList<QPair<QString, QString>>& headers) {
    QStringList lines;
    for (const auto& [name, value] : headers)
        lines << name + QStringLiteral(": ") + value;
    return lines;
}

QList<QPair<QString, QString>> headersOf(const QStringList& lines) {
    QList<QPair<QString, QString>> headers;
    for (const QString& line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) continue;
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

void saveAutomation(QSettings& s, const app::ConnectionOptions& o) {
    s.setValue("autoPong", o.autoPong);
    s.setValue("pingIntervalMs", o.keepAlive.pingIntervalMs);
    s.setValue("pingTimeoutMs", o.keepAlive.pingTimeoutMs);
    s.setValue("periodicIntervalMs", o.periodicSend.intervalMs);
    s.setValue("periodicPayload", o.periodicSend.payload);
    s.setValue("periodicBinary", o.periodicSend.binary);
    s.setValue("reconnect", o.reconnect.enabled);
    s.setValue("reconnectInitialMs", o.reconnect.initialDelayMs);
    s.setValue("reconnectMaxMs", o.reconnect.maxDelayMs);
    s.setValue("reconnectAttempts", o.reconnect.maxAttempts);
    s.setValue("connectTimeoutMs", o.connectTimeoutMs);
    s.setValue("closeTimeoutMs", o.closeTimeoutMs);
    s.setValue("ipVersion", int(o.ipVersion));
}

void loadAutomation(QSettings& s, app::ConnectionOptions& o) {
    o.autoPong = s.value("autoPong", o.autoPong).toBool();
    o.keepAlive.pingIntervalMs = s.value("pingIntervalMs", o.keepAlive.pingIntervalMs).toInt();
    o.keepAlive.pingTimeoutMs = s.value("pingTimeoutMs", o.keepAlive.pingTimeoutMs).toInt();
    o.periodicSend.intervalMs = s.value("periodicIntervalMs", o.periodicSend.intervalMs).toInt();
    o.periodicSend.payload = s.value("periodicPayload").toByteArray();
    o.periodicSend.binary = s.value("periodicBinary", false).toBool();
    o.reconnect.enabled = s.value("reconnect", false).toBool();
    o.reconnect.initialDelayMs = s.value("reconnectInitialMs", o.reconnect.initialDelayMs).toInt();
    o.reconnect.maxDelayMs = s.value("reconnectMaxMs", o.reconnect.maxDelayMs).toInt();
    o.reconnect.maxAttempts = s.value("reconnectAttempts", o.reconnect.maxAttempts).toInt();
    o.connectTimeoutMs = s.value("connectTimeoutMs", o.connectTimeoutMs).toInt();
    o.closeTimeoutMs = s.value("closeTimeoutMs", o.closeTimeoutMs).toInt();
    o.ipVersion = static_cast<app::IpVersion>(std::clamp(s.value("ipVersion", 0).toInt(), 0, 2));
}

}  // namespace

app::ConnectionOptions defaultWindowOptions() {
    app::ConnectionOptions options;
    options.deflate = DeflateOffer{};
    return options;
}

void saveConnectionOptions(QSettings& s, const app::ConnectionOptions& o) {
    s.beginGroup(QStringLiteral("connection"));
    s.setValue("headers", headerLines(o.headers));
    s.setValue("subprotocols", o.subprotocols);
    s.setValue("origin", o.origin);
    s.setValue("caFile", o.tls.caFile);
    s.setValue("certificateFile", o.tls.certificateFile);
    s.setValue("keyFile", o.tls.keyFile);
    s.setValue("ignoreCertificateErrors", o.tls.ignoreCertificateErrors);
    s.setValue("proxyType", int(o.proxy.type()));
    s.setValue("proxyHost", o.proxy.hostName());
    s.setValue("proxyPort", o.proxy.port());
    s.setValue("proxyUser", o.proxy.user());
    s.setValue("deflate", o.deflate.has_value());
    const DeflateOffer offer = o.deflate.value_or(DeflateOffer{});
    s.setValue("clientMaxWindowBits", offer.clientMaxWindowBits);
    s.setValue("serverMaxWindowBits", offer.serverMaxWindowBits);
    s.setValue("clientNoContextTakeover", offer.clientNoContextTakeover);
    s.setValue("serverNoContextTakeover", offer.serverNoContextTakeover);
    saveAutomation(s, o);
    s.endGroup();
}

app::ConnectionOptions loadConnectionOptions(QSettings& s) {
    app::ConnectionOptions o = defaultWindowOptions();
    s.beginGroup(QStringLiteral("connection"));
    o.headers = headersOf(s.value("headers").toStringList());
    o.subprotocols = s.value("subprotocols").toStringList();
    o.origin = s.value("origin").toString();
    o.tls.caFile = s.value("caFile").toString();
    o.tls.certificateFile = s.value("certificateFile").toString();
    o.tls.keyFile = s.value("keyFile").toString();
    o.tls.ignoreCertificateErrors = s.value("ignoreCertificateErrors", false).toBool();
    const auto type = static_cast<QNetworkProxy::ProxyType>(s.value("proxyType", 0).toInt());
    if (type == QNetworkProxy::HttpProxy || type == QNetworkProxy::Socks5Proxy) {
        o.proxy = QNetworkProxy(type, s.value("proxyHost").toString(),
                                static_cast<quint16>(s.value("proxyPort", 1080).toUInt()),
                                s.value("proxyUser").toString());
    }
    o.deflate.reset();
    if (s.value("deflate", true).toBool()) {
        DeflateOffer offer;
        offer.clientMaxWindowBits = s.value("clientMaxWindowBits", offer.clientMaxWindowBits).toInt();
        offer.serverMaxWindowBits = s.value("serverMaxWindowBits", offer.serverMaxWindowBits).toInt();
        offer.clientNoContextTakeover = s.value("clientNoContextTakeover", false).toBool();
        offer.serverNoContextTakeover = s.value("serverNoContextTakeover", false).toBool();
        o.deflate = offer;
    }
    loadAutomation(s, o);
    s.endGroup();
    return o;
}

}  // namespace framescope::ui
