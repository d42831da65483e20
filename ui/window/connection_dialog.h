// The connection dialog: every ConnectionOptions field except the URL. Handshake (extra headers,
// subprotocols, Origin), TLS (CA file, client certificate and key, ignoring certificate errors with a visible
// warning), proxy (none, HTTP, SOCKS5), the permessage-deflate offer, keep-alive and automatic pong, periodic
// send, auto-reconnect, timeouts and the IP version.
#pragma once

#include <QDialog>

#include "net/connection_types.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace framescope::ui {

class ConnectionDialog : public QDialog {
    Q_OBJECT

public:
    explicit ConnectionDialog(QWidget* parent = nullptr);

    // The url of `options` is ignored by setOptions() and left empty by options().
    void setOptions(const app::ConnectionOptions& options);
    app::ConnectionOptions options() const;

    QTabWidget* tabs() const { return tabs_; }
    QTableWidget* headersTable() const { return headers_; }
    QCheckBox* ignoreCertificateErrors() const { return ignoreErrors_; }
    QLabel* insecureWarning() const { return insecureWarning_; }

private:
    QWidget* buildHandshakeTab();
    QWidget* buildTlsTab();
    QWidget* buildProxyTab();
    QWidget* buildCompressionTab();
    QWidget* buildKeepAliveTab();
    QWidget* buildReconnectTab();
    QLineEdit* fileField(QWidget* page, const QString& caption, QWidget** row);
    void addHeaderRow(const QString& name, const QString& value);
    void updateEnabled();

    QTabWidget* tabs_ = nullptr;
    QTableWidget* headers_ = nullptr;
    QLineEdit* subprotocols_ = nullptr;
    QLineEdit* origin_ = nullptr;
    QLineEdit* caFile_ = nullptr;
    QLineEdit* certFile_ = nullptr;
    QLineEdit* keyFile_ = nullptr;
    QCheckBox* ignoreErrors_ = nullptr;
    QLabel* insecureWarning_ = nullptr;
    QComboBox* proxyType_ = nullptr;
    QLineEdit* proxyHost_ = nullptr;
    QSpinBox* proxyPort_ = nullptr;
    QLineEdit* proxyUser_ = nullptr;
    QLineEdit* proxyPassword_ = nullptr;
    QCheckBox* deflate_ = nullptr;
    QComboBox* clientWindow_ = nullptr;
    QComboBox* serverWindow_ = nullptr;
    QCheckBox* clientNoContext_ = nullptr;
    QCheckBox* serverNoContext_ = nullptr;
    QSpinBox* pingInterval_ = nullptr;
    QSpinBox* pingTimeout_ = nullptr;
    QCheckBox* autoPong_ = nullptr;
    QSpinBox* periodicInterval_ = nullptr;
    QPlainTextEdit* periodicPayload_ = nullptr;
    QCheckBox* periodicBinary_ = nullptr;
    QCheckBox* reconnect_ = nullptr;
    QSpinBox* reconnectInitial_ = nullptr;
    QSpinBox* reconnectMax_ = nullptr;
    QSpinBox* reconnectAttempts_ = nullptr;
    QSpinBox* connectTimeout_ = nullptr;
    QSpinBox* closeTimeout_ = nullptr;
    QComboBox* ipVersion_ = nullptr;
};

}  // namespace framescope::ui
