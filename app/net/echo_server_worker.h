// The echo server's worker and its per-client objects, on the server's thread. See echo_server.h.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

#include <memory>

#include "framescope/handshake.h"
#include "net/echo_server.h"
#include "net/session_driver.h"

namespace framescope::app {

class EchoClient : public QObject {
    Q_OBJECT
public:
    EchoClient(QAbstractSocket* socket, uint32_t connectionId, const EchoServerOptions& options,
               CaptureSink* sink, EchoServerCounters* counters, MemoryBudget* budget, QObject* parent);

    uint32_t connectionId() const noexcept { return connectionId_; }
    void closeWith(quint16 code, const QString& reason);
    void abort();

signals:
    void opened(quint32 connectionId, const QString& peer);
    void finished(quint32 connectionId, const QString& sentence);

private:
    void onReadyRead();
    QByteArray readSome();
    void readHandshake();
    void serveDemoPage();
    void onEvent(const Event& event);
    void echo(const Event& event);
    void countEchoed(uint64_t messages, uint64_t bytes);
    void refuseEcho();
    void onDisconnected();
    void closeSoon();
    void note(NoteKind kind, Direction direction, const std::string& text);
    void onHandshakeTimeout();
    void onIdleTick();
    void onFailedLocally(quint16 code, const QString& sentence);

    QAbstractSocket* socket_;  // an unbuffered QAbstractSocket (plain TCP) or a QSslSocket
    uint32_t connectionId_;
    const EchoServerOptions& options_;
    CaptureSink* sink_;
    EchoServerCounters* counters_;
    ServerHandshake handshake_;
    SessionDriver* driver_;
    QString endSentence_;
    bool opened_ = false;
    bool finished_ = false;  // onDisconnected() ran
    QTimer* idleTimer_ = nullptr;
    QElapsedTimer quiet_;  // since the client last sent anything
    bool idlePingSent_ = false;
    uint64_t readsSeen_ = 0;  // driver_->readsWithBytes() at the last idle tick
};

class EchoServerWorker : public QObject {
    Q_OBJECT
public:
    EchoServerWorker(EchoServerOptions options, CaptureSink* sink,
                     std::shared_ptr<EchoServerCounters> counters);

    // Binds and listens. Returns the URL, or an empty URL with `error` set.
    QUrl listen(QString& error);
    void closeAll(quint16 code, const QString& reason);
    void closeClient(quint32 connectionId, quint16 code, const QString& reason);
    void abortAll();

signals:
    void clientConnected(quint32 connectionId, const QString& peer);
    void clientDisconnected(quint32 connectionId, const QString& sentence);

private:
    bool configureTls(QSslConfiguration& config, QString& error);
    void acceptPending();
    void acceptClient(QAbstractSocket* socket);
    void refuseBusy(QAbstractSocket* socket);
    void serverNote(const QString& text);

    EchoServerOptions options_;
    CaptureSink* sink_;
    std::shared_ptr<EchoServerCounters> counters_;
    QTcpServer* server_ = nullptr;
    uint32_t nextId_;
    MemoryBudget budget_;
    int live_ = 0;  // EchoClients alive, handshaking ones included
};

}  // namespace framescope::app
