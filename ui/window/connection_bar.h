// The connection bar: the URL in an editable combo with the recent URLs, Connect/Disconnect, and the ⚙
// button that opens the connection dialog. Enter in the URL connects (the window adds Ctrl+Return). Proxy
// starts a reverse proxy toward the URL instead (its listening URL then shows beside it) or stops it.
#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace framescope::ui {

class ConnectionBar : public QWidget {
    Q_OBJECT

public:
    static constexpr int kHistoryLimit = 20;

    explicit ConnectionBar(QWidget* parent = nullptr);

    QString url() const;
    void setUrl(const QString& url);
    // Recent URLs, most recent first.
    QStringList history() const;
    void setHistory(const QStringList& urls);
    void addToHistory(const QString& url);  // moves it to the top, keeps at most kHistoryLimit

    // Active: connecting, open or closing; the button then reads Disconnect.
    void setActive(bool active);
    bool isActive() const { return active_; }
    // A short warning next to the URL (TLS errors ignored), or empty.
    void setWarning(const QString& text);

    QComboBox* urlCombo() const { return url_; }
    QPushButton* connectButton() const { return connect_; }
    QToolButton* settingsButton() const { return settings_; }
    QPushButton* proxyButton() const { return proxy_; }
    QLabel* proxyLabel() const { return proxyLabel_; }
    // The running proxy's listening URL and upstream (the button then reads Stop proxy), or empty URLs.
    void setProxy(const QString& listening, const QString& upstream);

public slots:
    void focusUrl();  // Ctrl+L

signals:
    void connectRequested();
    void disconnectRequested();
    void settingsRequested();
    void proxyRequested();  // start a reverse proxy toward url()
    void stopProxyRequested();

private:
    QComboBox* url_ = nullptr;
    QPushButton* connect_ = nullptr;
    QToolButton* settings_ = nullptr;
    QLabel* warning_ = nullptr;
    QPushButton* proxy_ = nullptr;
    QLabel* proxyLabel_ = nullptr;
    bool active_ = false;
    bool proxyRunning_ = false;
};

}  // namespace framescope::ui
