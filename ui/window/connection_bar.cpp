#include "window/connection_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

#include "widgets/icons.h"

namespace framescope::ui {

ConnectionBar::ConnectionBar(QWidget* parent) : QWidget(parent) {
    auto* label = new QLabel(tr("&URL"));
    url_ = new QComboBox;
    url_->setEditable(true);
    url_->setInsertPolicy(QComboBox::NoInsert);
    url_->setMaxCount(kHistoryLimit);
    url_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    url_->setMinimumContentsLength(32);
    url_->lineEdit()->setPlaceholderText(tr("ws://host:port/path or wss://…"));
    url_->setToolTip(tr("The WebSocket URL (ws:// or wss://); the list holds recent URLs. Ctrl+L"));
    label->setBuddy(url_);
    connect_ = new QPushButton(icon(QStringLiteral("connect")), tr("Connect"));
    connect_->setToolTip(tr("Connect to the URL (Enter or Ctrl+Return); while connected, close with 1000."));
    connect_->setDefault(true);
    settings_ = new QToolButton;
    settings_->setText(QStringLiteral("⚙"));
    settings_->setIcon(icon(QStringLiteral("settings")));
    settings_->setToolTip(
        tr("Connection options: headers, subprotocols, TLS, proxy, compression, "
           "keep-alive, reconnect…"));
    warning_ = new QLabel;
    warning_->setStyleSheet(QStringLiteral("color: #d32f2f; font-weight: bold;"));
    warning_->setVisible(false);
    proxy_ = new QPushButton(tr("Proxy"));
    proxy_->setToolTip(
        tr("Start a reverse proxy toward this URL: point an app at the proxy's URL, watch both legs and "
           "intercept its messages (Intercept tool)."));
    proxyLabel_ = new QLabel;
    proxyLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    proxyLabel_->setVisible(false);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(label);
    layout->addWidget(url_, 1);
    layout->addWidget(warning_);
    layout->addWidget(connect_);
    layout->addWidget(settings_);
    layout->addWidget(proxy_);
    layout->addWidget(proxyLabel_);

    auto trigger = [this] { active_ ? emit disconnectRequested() : emit connectRequested(); };
    connect(connect_, &QPushButton::clicked, this, trigger);
    connect(url_->lineEdit(), &QLineEdit::returnPressed, this, [this] {
        if (!active_) emit connectRequested();
    });
    connect(settings_, &QToolButton::clicked, this, &ConnectionBar::settingsRequested);
    connect(proxy_, &QPushButton::clicked, this,
            [this] { proxyRunning_ ? emit stopProxyRequested() : emit proxyRequested(); });
}

void ConnectionBar::setProxy(const QString& listening, const QString& upstream) {
    proxyRunning_ = !listening.isEmpty();
    proxy_->setText(proxyRunning_ ? tr("Stop proxy") : tr("Proxy"));
    proxyLabel_->setText(tr("Proxy <b>%1</b> → %2").arg(listening.toHtmlEscaped(), upstream.toHtmlEscaped()));
    proxyLabel_->setToolTip(tr("Point the app at %1; the proxy forwards to %2.").arg(listening, upstream));
    proxyLabel_->setVisible(proxyRunning_);
}

QString ConnectionBar::url() const {
    return url_->currentText().trimmed();
}

void ConnectionBar::setUrl(const QString& url) {
    url_->setEditText(url);
}

QStringList ConnectionBar::history() const {
    QStringList urls;
    for (int i = 0; i < url_->count(); ++i)
        urls << url_->itemText(i);
    return urls;
}

void ConnectionBar::setHistory(const QStringList& urls) {
    const QString current = url_->currentText();
    url_->clear();
    for (const QString& url : urls) {
        if (!url.isEmpty() && url_->findText(url) < 0 && url_->count() < kHistoryLimit) url_->addItem(url);
    }
    url_->setEditText(current);
}

void ConnectionBar::addToHistory(const QString& url) {
    if (url.isEmpty()) return;
    QStringList urls = history();
    urls.removeAll(url);
    urls.prepend(url);
    setHistory(urls.mid(0, kHistoryLimit));
    url_->setEditText(url);
}

void ConnectionBar::setActive(bool active) {
    active_ = active;
    connect_->setText(active ? tr("Disconnect") : tr("Connect"));
    connect_->setIcon(icon(active ? QStringLiteral("disconnect") : QStringLiteral("connect")));
}

void ConnectionBar::setWarning(const QString& text) {
    warning_->setText(text);
    warning_->setVisible(!text.isEmpty());
}

void ConnectionBar::focusUrl() {
    url_->setFocus(Qt::ShortcutFocusReason);
    url_->lineEdit()->selectAll();
}

}  // namespace framescope::ui
