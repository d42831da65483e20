#include "window/connection_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "widgets/icons.h"
#include "window/connection_settings.h"

namespace framescope::ui {

namespace {

QSpinBox* msSpin(int max, const QString& special = {}) {
    auto* spin = new QSpinBox;
    spin->setRange(0, max);
    spin->setSingleStep(100);
    spin->setSuffix(QStringLiteral(" ms"));
    spin->setAccelerated(true);
    if (!special.isEmpty()) spin->setSpecialValueText(special);
    return spin;
}

// Window bits combo: data -2 = not offered, -1 = parameter without a value (client only), 9-15.
QComboBox* windowBitsCombo(bool allowNoValue) {
    auto* combo = new QComboBox;
    combo->addItem(QObject::tr("not sent"), 0);
    if (allowNoValue) combo->addItem(QObject::tr("sent without a value (any limit)"), -1);
    for (int bits = 15; bits >= 9; --bits)
        combo->addItem(QString::number(bits), bits);
    return combo;
}

QWidget* page(QLayout* layout) {
    auto* widget = new QWidget;
    widget->setLayout(layout);
    return widget;
}

}  // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Connection options"));
    tabs_ = new QTabWidget;
    tabs_->addTab(buildHandshakeTab(), tr("Handshake"));
    tabs_->addTab(buildTlsTab(), tr("TLS"));
    tabs_->addTab(buildProxyTab(), tr("Proxy"));
    tabs_->addTab(buildCompressionTab(), tr("Compression"));
    tabs_->addTab(buildKeepAliveTab(), tr("Keep-alive"));
    tabs_->addTab(buildReconnectTab(), tr("Reconnect && timeouts"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setOptions(defaultWindowOptions()); });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs_);
    layout->addWidget(buttons);
    setOptions(defaultWindowOptions());
    resize(620, 480);
}

QWidget* ConnectionDialog::buildHandshakeTab() {
    headers_ = new QTableWidget(0, 2);
    headers_->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    headers_->horizontalHeader()->setStretchLastSection(true);
    headers_->verticalHeader()->setVisible(false);
    headers_->setToolTip(
        tr("Extra headers of the upgrade request, sent as given (e.g. Authorization, "
           "Cookie)."));
    auto* add = new QPushButton(tr("Add header"));
    auto* remove = new QPushButton(tr("Remove"));
    connect(add, &QPushButton::clicked, this, [this] {
        addHeaderRow(QString(), QString());
        headers_->editItem(headers_->item(headers_->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (headers_->currentRow() >= 0) headers_->removeRow(headers_->currentRow());
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    subprotocols_ = new QLineEdit;
    subprotocols_->setPlaceholderText(tr("e.g. graphql-transport-ws, v2.json"));
    subprotocols_->setToolTip(
        tr("Sec-WebSocket-Protocol: the subprotocols offered, in order of preference, "
           "separated by commas."));
    origin_ = new QLineEdit;
    origin_->setPlaceholderText(tr("none (e.g. https://example.com)"));
    origin_->setToolTip(tr("The Origin header; browsers always send one, some servers require it."));
    auto* form = new QFormLayout;
    form->addRow(tr("Subprotocols"), subprotocols_);
    form->addRow(tr("Origin"), origin_);
    auto* layout = new QVBoxLayout;
    layout->addWidget(new QLabel(tr("Extra headers")));
    layout->addWidget(headers_, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    return page(layout);
}

QLineEdit* ConnectionDialog::fileField(QWidget* parentPage, const QString& caption, QWidget** row) {
    auto* edit = new QLineEdit;
    edit->setPlaceholderText(tr("none"));
    auto* browse = new QToolButton;
    browse->setIcon(icon(QStringLiteral("open")));
    browse->setToolTip(tr("Choose a file"));
    connect(browse, &QToolButton::clicked, parentPage, [this, edit, caption] {
        const QString path = QFileDialog::getOpenFileName(this, caption, edit->text(),
                                                          tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!path.isEmpty()) edit->setText(path);
    });
    auto* box = new QWidget;
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    *row = box;
    return edit;
}

QWidget* ConnectionDialog::buildTlsTab() {
    auto* form = new QFormLayout;
    auto* widget = page(form);
    QWidget* row = nullptr;
    caFile_ = fileField(widget, tr("CA certificates"), &row);
    caFile_->setToolTip(tr("PEM certificates trusted in addition to the system's (wss:// only)."));
    form->addRow(tr("Extra CA file"), row);
    certFile_ = fileField(widget, tr("Client certificate"), &row);
    certFile_->setToolTip(tr("A PEM client certificate for servers that require mutual TLS."));
    form->addRow(tr("Client certificate"), row);
    keyFile_ = fileField(widget, tr("Client key"), &row);
    keyFile_->setToolTip(tr("The client certificate's private key (PEM, unencrypted)."));
    form->addRow(tr("Client key"), row);
    ignoreErrors_ = new QCheckBox(tr("Ignore certificate errors"));
    ignoreErrors_->setToolTip(
        tr("Accept any certificate (self-signed, expired, wrong host). The capture "
           "notes which errors were ignored."));
    insecureWarning_ =
        new QLabel(tr("⚠ Insecure: anyone on the path can read and change this connection. "
                      "Use it only against servers you control."));
    insecureWarning_->setWordWrap(true);
    insecureWarning_->setStyleSheet(QStringLiteral("color: #d32f2f; font-weight: bold;"));
    form->addRow(QString(), ignoreErrors_);
    form->addRow(QString(), insecureWarning_);
    connect(ignoreErrors_, &QCheckBox::toggled, insecureWarning_, &QLabel::setVisible);
    return widget;
}

QWidget* ConnectionDialog::buildProxyTab() {
    proxyType_ = new QComboBox;
    proxyType_->addItem(tr("No proxy"), int(QNetworkProxy::NoProxy));
    proxyType_->addItem(tr("HTTP (CONNECT)"), int(QNetworkProxy::HttpProxy));
    proxyType_->addItem(tr("SOCKS5"), int(QNetworkProxy::Socks5Proxy));
    proxyHost_ = new QLineEdit;
    proxyPort_ = new QSpinBox;
    proxyPort_->setRange(1, 65535);
    proxyUser_ = new QLineEdit;
    proxyPassword_ = new QLineEdit;
    proxyPassword_->setEchoMode(QLineEdit::Password);
    proxyPassword_->setToolTip(tr("Kept for this session only; never saved."));
    auto* form = new QFormLayout;
    form->addRow(tr("Type"), proxyType_);
    form->addRow(tr("Host"), proxyHost_);
    form->addRow(tr("Port"), proxyPort_);
    form->addRow(tr("User"), proxyUser_);
    form->addRow(tr("Password"), proxyPassword_);
    connect(proxyType_, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateEnabled);
    return page(form);
}

QWidget* ConnectionDialog::buildCompressionTab() {
    deflate_ = new QCheckBox(tr("Offer permessage-deflate (RFC 7692)"));
    deflate_->setToolTip(
        tr("Ask the server to compress messages; compressed frames carry RSV1 and the "
           "inspector shows their wire and inflated sizes."));
    clientWindow_ = windowBitsCombo(true);
    clientWindow_->setToolTip(tr("client_max_window_bits: the largest window our compressor may use."));
    serverWindow_ = windowBitsCombo(false);
    serverWindow_->setToolTip(tr("server_max_window_bits: ask the server to use at most this window."));
    clientNoContext_ = new QCheckBox(tr("client_no_context_takeover"));
    serverNoContext_ = new QCheckBox(tr("server_no_context_takeover"));
    auto* form = new QFormLayout;
    form->addRow(deflate_);
    form->addRow(tr("client_max_window_bits"), clientWindow_);
    form->addRow(tr("server_max_window_bits"), serverWindow_);
    form->addRow(clientNoContext_);
    form->addRow(serverNoContext_);
    connect(deflate_, &QCheckBox::toggled, this, &ConnectionDialog::updateEnabled);
    return page(form);
}

QWidget* ConnectionDialog::buildKeepAliveTab() {
    pingInterval_ = msSpin(3600000, tr("off"));
    pingInterval_->setToolTip(tr("Send a ping this often while open; 0 turns keep-alive off."));
    pingTimeout_ = msSpin(600000);
    pingTimeout_->setToolTip(tr("Fail the connection when no pong arrives within this time."));
    autoPong_ = new QCheckBox(tr("Answer pings automatically"));
    autoPong_->setToolTip(tr("Reply to each ping with a pong carrying its payload (RFC 6455 §5.5.2)."));
    periodicInterval_ = msSpin(3600000, tr("off"));
    periodicInterval_->setToolTip(
        tr("Send the message below this often while open (done by the "
           "connection itself; the composer's repeat is another way)."));
    periodicPayload_ = new QPlainTextEdit;
    periodicPayload_->setPlaceholderText(tr("the saved message"));
    periodicPayload_->setMaximumHeight(80);
    periodicBinary_ = new QCheckBox(tr("as a binary message"));
    auto* form = new QFormLayout;
    form->addRow(tr("Keep-alive ping every"), pingInterval_);
    form->addRow(tr("Pong timeout"), pingTimeout_);
    form->addRow(autoPong_);
    form->addRow(tr("Periodic send every"), periodicInterval_);
    form->addRow(tr("Message"), periodicPayload_);
    form->addRow(QString(), periodicBinary_);
    connect(pingInterval_, &QSpinBox::valueChanged, this, &ConnectionDialog::updateEnabled);
    connect(periodicInterval_, &QSpinBox::valueChanged, this, &ConnectionDialog::updateEnabled);
    return page(form);
}

QWidget* ConnectionDialog::buildReconnectTab() {
    reconnect_ = new QCheckBox(tr("Reconnect automatically after a fault"));
    reconnect_->setToolTip(
        tr("After an abnormal close or a failure, connect again with exponential "
           "backoff (not after you disconnect)."));
    reconnectInitial_ = msSpin(600000);
    reconnectMax_ = msSpin(3600000);
    reconnectAttempts_ = new QSpinBox;
    reconnectAttempts_->setRange(0, 100000);
    reconnectAttempts_->setSpecialValueText(tr("no limit"));
    connectTimeout_ = msSpin(600000);
    connectTimeout_->setToolTip(tr("TCP, TLS and the WebSocket handshake must finish within this time."));
    closeTimeout_ = msSpin(600000);
    closeTimeout_->setToolTip(tr("How long to wait for the server's close frame after ours."));
    ipVersion_ = new QComboBox;
    ipVersion_->addItem(tr("Any"), int(app::IpVersion::Any));
    ipVersion_->addItem(tr("IPv4 only"), int(app::IpVersion::IPv4));
    ipVersion_->addItem(tr("IPv6 only"), int(app::IpVersion::IPv6));
    auto* form = new QFormLayout;
    form->addRow(reconnect_);
    form->addRow(tr("First delay"), reconnectInitial_);
    form->addRow(tr("Longest delay"), reconnectMax_);
    form->addRow(tr("Attempts"), reconnectAttempts_);
    form->addRow(tr("Connect timeout"), connectTimeout_);
    form->addRow(tr("Close timeout"), closeTimeout_);
    form->addRow(tr("IP version"), ipVersion_);
    connect(reconnect_, &QCheckBox::toggled, this, &ConnectionDialog::updateEnabled);
    return page(form);
}

void ConnectionDialog::addHeaderRow(const QString& name, const QString& value) {
    const int row = headers_->rowCount();
    headers_->insertRow(row);
    headers_->setItem(row, 0, new QTableWidgetItem(name));
    headers_->setItem(row, 1, new QTableWidgetItem(value));
}

void ConnectionDialog::updateEnabled() {
    const bool proxy = proxyType_->currentData().toInt() != int(QNetworkProxy::NoProxy);
    for (QWidget* w : std::initializer_list<QWidget*>{proxyHost_, proxyPort_, proxyUser_, proxyPassword_})
        w->setEnabled(proxy);
    for (QWidget* w :
         std::initializer_list<QWidget*>{clientWindow_, serverWindow_, clientNoContext_, serverNoContext_})
        w->setEnabled(deflate_->isChecked());
    pingTimeout_->setEnabled(pingInterval_->value() > 0);
    periodicPayload_->setEnabled(periodicInterval_->value() > 0);
    periodicBinary_->setEnabled(periodicInterval_->value() > 0);
    for (QWidget* w : std::initializer_list<QWidget*>{reconnectInitial_, reconnectMax_, reconnectAttempts_})
        w->setEnabled(reconnect_->isChecked());
}

void ConnectionDialog::setOptions(const app::ConnectionOptions& o) {
    headers_->setRowCount(0);
    for (const auto& [name, value] : o.headers)
        addHeaderRow(name, value);
    subprotocols_->setText(o.subprotocols.join(QStringLiteral(", ")));
    origin_->setText(o.origin);
    caFile_->setText(o.tls.caFile);
    certFile_->setText(o.tls.certificateFile);
    keyFile_->setText(o.tls.keyFile);
    ignoreErrors_->setChecked(o.tls.ignoreCertificateErrors);
    insecureWarning_->setVisible(o.tls.ignoreCertificateErrors);
    proxyType_->setCurrentIndex(std::max(0, proxyType_->findData(int(o.proxy.type()))));
    proxyHost_->setText(o.proxy.hostName());
    proxyPort_->setValue(o.proxy.port() != 0 ? o.proxy.port() : 1080);
    proxyUser_->setText(o.proxy.user());
    proxyPassword_->setText(o.proxy.password());
    deflate_->setChecked(o.deflate.has_value());
    const DeflateOffer offer = o.deflate.value_or(DeflateOffer{});
    clientWindow_->setCurrentIndex(std::max(0, clientWindow_->findData(offer.clientMaxWindowBits)));
    serverWindow_->setCurrentIndex(std::max(0, serverWindow_->findData(offer.serverMaxWindowBits)));
    clientNoContext_->setChecked(offer.clientNoContextTakeover);
    serverNoContext_->setChecked(offer.serverNoContextTakeover);
    pingInterval_->setValue(o.keepAlive.pingIntervalMs);
    pingTimeout_->setValue(o.keepAlive.pingTimeoutMs);
    autoPong_->setChecked(o.autoPong);
    periodicInterval_->setValue(o.periodicSend.intervalMs);
    periodicPayload_->setPlainText(QString::fromUtf8(o.periodicSend.payload));
    periodicBinary_->setChecked(o.periodicSend.binary);
    reconnect_->setChecked(o.reconnect.enabled);
    reconnectInitial_->setValue(o.reconnect.initialDelayMs);
    reconnectMax_->setValue(o.reconnect.maxDelayMs);
    reconnectAttempts_->setValue(o.reconnect.maxAttempts);
    connectTimeout_->setValue(o.connectTimeoutMs);
    closeTimeout_->setValue(o.closeTimeoutMs);
    ipVersion_->setCurrentIndex(std::max(0, ipVersion_->findData(int(o.ipVersion))));
    updateEnabled();
}

app::ConnectionOptions ConnectionDialog::options() const {
    app::ConnectionOptions o;
    for (int row = 0; row < headers_->rowCount(); ++row) {
        const QString name = headers_->item(row, 0) ? headers_->item(row, 0)->text().trimmed() : QString();
        const QString value = headers_->item(row, 1) ? headers_->item(row, 1)->text() : QString();
        if (!name.isEmpty()) o.headers.append({name, value});
    }
    for (const QString& protocol : subprotocols_->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!protocol.trimmed().isEmpty()) o.subprotocols << protocol.trimmed();
    }
    o.origin = origin_->text().trimmed();
    o.tls.caFile = caFile_->text().trimmed();
    o.tls.certificateFile = certFile_->text().trimmed();
    o.tls.keyFile = keyFile_->text().trimmed();
    o.tls.ignoreCertificateErrors = ignoreErrors_->isChecked();
    const auto proxyType = static_cast<QNetworkProxy::ProxyType>(proxyType_->currentData().toInt());
    if (proxyType != QNetworkProxy::NoProxy) {
        o.proxy =
            QNetworkProxy(proxyType, proxyHost_->text().trimmed(), static_cast<quint16>(proxyPort_->value()),
                          proxyUser_->text(), proxyPassword_->text());
    }
    if (deflate_->isChecked()) {
        DeflateOffer offer;
        offer.clientMaxWindowBits = clientWindow_->currentData().toInt();
        offer.serverMaxWindowBits = serverWindow_->currentData().toInt();
        offer.clientNoContextTakeover = clientNoContext_->isChecked();
        offer.serverNoContextTakeover = serverNoContext_->isChecked();
        o.deflate = offer;
    }
    o.keepAlive.pingIntervalMs = pingInterval_->value();
    o.keepAlive.pingTimeoutMs = pingTimeout_->value();
    o.autoPong = autoPong_->isChecked();
    o.periodicSend.intervalMs = periodicInterval_->value();
    o.periodicSend.payload = periodicPayload_->toPlainText().toUtf8();
    o.periodicSend.binary = periodicBinary_->isChecked();
    o.reconnect.enabled = reconnect_->isChecked();
    o.reconnect.initialDelayMs = reconnectInitial_->value();
    o.reconnect.maxDelayMs = reconnectMax_->value();
    o.reconnect.maxAttempts = reconnectAttempts_->value();
    o.connectTimeoutMs = connectTimeout_->value();
    o.closeTimeoutMs = closeTimeout_->value();
    o.ipVersion = static_cast<app::IpVersion>(ipVersion_->currentData().toInt());
    return o;
}

}  // namespace framescope::ui
