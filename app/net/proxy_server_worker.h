// The reverse proxy's worker, on the proxy's thread: listens, accepts apps, and makes a ProxyPair for
// each. See proxy_server.h.
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

#include <memory>

#include "net/intercept.h"
#include "net/local_ca.h"
#include "net/memory_budget.h"
#include "net/proxy_server.h"

namespace framescope::app {

class ProxyPair;

class ProxyServerWorker : public QObject {
    Q_OBJECT
public:
    ProxyServerWorker(ProxyOptions options, CaptureSink* sink, std::shared_ptr<ProxyCounters> counters);

    // Binds and listens. Returns the URL, or an empty URL with `error` set.
    QUrl listen(QString& error);

    // Intercept (see ProxyServer), on the proxy's thread.
    void setInterceptRules(const InterceptRules& rules);
    void resolveHeld(quint32 pairId, quint64 heldId, const InterceptAction& action);
    void inject(quint32 pairId, Leg to, const InterceptAction& action);
    void closePair(quint32 connectionId);

signals:
    void pairOpened(quint32 connectionId, const QString& peer);
    void pairFinished(quint32 connectionId, const QString& sentence);
    void messageHeld(const framescope::app::HeldMessage& message);
    void heldReleased(quint32 connectionId, quint64 heldId);
    void interceptFailed(const QString& sentence);

private:
    void acceptPending();
    QObject* routeApp(QTcpSocket* socket);
    void refuseBusy(QTcpSocket* socket);
    void proxyNote(const QString& text);

    ProxyOptions options_;
    CaptureSink* sink_;
    std::shared_ptr<ProxyCounters> counters_;
    QTcpServer* server_ = nullptr;
    uint32_t nextId_;
    MemoryBudget budget_;
    std::unique_ptr<LocalCa> ca_;                // the forward proxy's, with TLS interception
    int live_ = 0;                               // pairs alive, handshaking ones included
    InterceptMatcher matcher_;                   // read by every pair's relay()
    QHash<quint32, QPointer<ProxyPair>> pairs_;  // by client-leg id, for the intercept commands
};

}  // namespace framescope::app
