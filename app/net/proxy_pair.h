// One proxied conversation, on the proxy's thread: the client leg (the app's socket, our ServerHandshake
// and a server-role SessionDriver) and the upstream leg (a ConnectionWorker, the same client FrameScope
// connects with). The app's upgrade request is held until the upstream answers: the app then gets the
// upstream's subprotocol, or the upstream's refusal status (502 when it could not be reached).
//
// Every data message and close crossing the proxy passes through relay(), once per direction, where
// intercept (intercept.h) holds what a breakpoint matches and queues what follows it in that direction
// (proxy_pair_intercept.cpp). Pings never wait there: each leg's session answers its own peer's, or, with
// ProxyOptions::passPings, relayControl() sends every ping and pong on to the other leg at once. Each leg's
// close handshake completes on its own; a leg that drops closes the other (1001 toward the upstream when the
// app went away, 1014 toward the app when the upstream did) with a note.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpSocket>

#include <deque>
#include <memory>
#include <optional>

#include "framescope/handshake.h"
#include "net/connection_worker.h"
#include "net/intercept.h"
#include "net/proxy_server.h"
#include "net/session_driver.h"

namespace framescope::app {

// An HTTP refusal for an app: the status line, Connection: close, and `sentence` as a text/plain body.
QByteArray proxyRefusal(int status, const QString& sentence);

// Set by the forward proxy, which read the app's request head itself to learn where it goes: the pair's
// upstream (the whole URL, used as is) and the bytes already read, fed to the handshake before the socket's.
struct PairRoute {
    QUrl upstream;
    QByteArray readAhead;
};

class ProxyPair : public QObject {
    Q_OBJECT
public:
    // Takes `socket` (the app's, just accepted). `clientId` is the client leg's id, clientId + 1 the
    // upstream leg's.
    ProxyPair(QTcpSocket* socket, uint32_t clientId, const ProxyOptions& options, CaptureSink* sink,
              ProxyCounters* counters, MemoryBudget* budget, QObject* parent, PairRoute route = {});
    ~ProxyPair() override;

    uint32_t connectionId() const noexcept { return clientId_; }

    // Intercept (proxy_pair_intercept.cpp). `matcher` (may be null: nothing is held) must outlive the pair.
    void setInterceptMatcher(const InterceptMatcher* matcher) noexcept { matcher_ = matcher; }
    // Decides a held message; false with `error` when it is not held (any more).
    bool resolveHeld(quint64 heldId, const InterceptAction& action, QString& error);
    // Sends a message or crafted frames into leg `to` now, ahead of anything held; false with `error`.
    bool inject(Leg to, const InterceptAction& action, QString& error);
    // Ends the conversation from the proxy: `code` and `reason` toward the app and toward the upstream.
    void closeBothLegs(quint16 code, const QString& reason);

signals:
    void opened(quint32 connectionId, const QString& peer);
    void finished(quint32 connectionId, const QString& sentence);
    void messageHeld(const framescope::app::HeldMessage& message);
    void heldReleased(quint32 connectionId, quint64 heldId);

private:
    // The client leg.
    void onClientReadyRead();
    void readClientHandshake();
    void onClientEvent(const Event& event);
    void onClientDisconnected();
    void onHandshakeTimeout();
    void closeClientSoon();
    void refuseClient(int status, const QString& sentence);
    // The upstream leg.
    ConnectionOptions upstreamOptions() const;
    void openUpstream();
    void onUpstreamOpened(const QString& subprotocol);
    void onUpstreamState(ConnectionState state, const QString& sentence);
    void onUpstreamEvent(const Event& event);
    // Between the legs.
    void relay(Leg from, const Event& event);
    void relayMessage(Leg from, const Event& message);
    void relayClose(Leg from, const Event& close);
    void relayControl(Leg from, const Event& control);
    // Intercept: true when the message or close was held or queued (it is then relayed by drainQueue()).
    bool holdOrQueue(Leg from, const Event& event);
    void drainQueue(Leg from);
    void sendAction(Leg to, const HeldMessage& message, const InterceptAction& action);
    LocalError sendFrames(Leg to, const QList<RawFrame>& frames);
    void chargeQueued();
    // The `gone` leg ended while messages from it wait: the other leg is closed once they are decided.
    bool deferCloseWhileQueued(Leg gone, const QString& sentence);
    void releaseAllHeld();
    void closeOtherLeg(Leg gone, const QString& sentence);
    void updateBackpressure();
    SessionDriver* driverOf(Leg leg) const;
    bool legOpen(Leg leg) const;
    void note(Leg leg, NoteKind kind, Direction direction, const QString& text);
    uint32_t legId(Leg leg) const noexcept { return leg == Leg::Client ? clientId_ : clientId_ + 1; }
    // Tells the capture what became of message `messageIndex` from leg `from` (kNoMessage: nothing).
    void reportFate(Leg from, uint64_t messageIndex, RelayFate fate);
    void finishIfDone();

    QTcpSocket* socket_;
    uint32_t clientId_;
    const ProxyOptions& options_;
    ProxyCounters* counters_;
    MemoryBudget* budget_;
    LegSink clientSink_;
    LegSink upstreamSink_;
    ServerHandshake handshake_;
    PairRoute route_;
    QByteArray leftover_;  // bytes the app sent after its upgrade request, before we answered it
    SessionDriver* driver_;
    ConnectionWorker* upstream_ = nullptr;
    QString peer_;
    QString endSentence_;
    bool answered_ = false;  // the app got our answer (101 or a refusal)
    bool opened_ = false;    // both legs opened
    bool clientDone_ = false;
    bool upstreamDone_ = false;
    bool finished_ = false;

    // A message held for the user or queued behind one, in its direction's queue.
    struct Pending {
        HeldMessage message;
        bool waiting = false;  // held for a decision
        InterceptAction action;
    };
    const InterceptMatcher* matcher_ = nullptr;
    std::deque<Pending> queues_[2];  // by the leg the messages came from: [0] the app's, [1] the upstream's
    uint64_t queuedBytes_ = 0;
    uint64_t queuedCharged_ = 0;                 // bytes of queuedBytes_ charged to budget_
    std::optional<QString> closeAfterQueue_[2];  // by the leg that ended: the sentence for closeOtherLeg()
};

}  // namespace framescope::app
