// ProxyPair's intercept: holding what a breakpoint matches, queueing what follows it in the same
// direction, the user's decisions and injected messages. See intercept.h and proxy_pair.h.
#include <QRandomGenerator>

#include <atomic>

#include "framescope/close_code.h"
#include "net/proxy_pair.h"

namespace framescope::app {

namespace {

std::atomic<quint64> nextHeldId{1};

size_t queueIndex(Leg from) {
    return from == Leg::Client ? 0 : 1;
}

Leg otherLegOf(Leg leg) {
    return leg == Leg::Client ? Leg::Upstream : Leg::Client;
}

std::span<const uint8_t> spanOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

// The queued message as the session event relayMessage() and relayClose() take.
Event eventOf(const HeldMessage& message) {
    Event event;
    event.kind = message.opcode == opcode::kClose ? EventKind::Close : EventKind::Message;
    event.messageOpcode = message.opcode;
    event.payload = spanOf(message.payload);
    event.closeCode = message.closeCode;
    event.messageIndex = message.messageIndex;
    return event;
}

}  // namespace

// Holds the message when a breakpoint matches it, or queues it when its direction already has messages
// waiting (order kept). False: relay it now.
bool ProxyPair::holdOrQueue(Leg from, const Event& event) {
    std::deque<Pending>& queue = queues_[queueIndex(from)];
    const uint8_t op = event.kind == EventKind::Close ? opcode::kClose : event.messageOpcode;
    const bool matched = matcher_ && matcher_->matches(from, op, event.payload);
    if (!matched && queue.empty()) return false;
    const uint64_t size = event.payload.size();
    if ((budget_ && !budget_->fits(size)) || queue.size() >= size_t(kMaxQueuedPerDirection)) {
        note(from, NoteKind::Status, Direction::Incoming,
             QString("Intercept: %1 messages wait in the %2 direction and the proxy cannot hold more "
                     "(memory budget or %3 messages); closing this leg with 1013.")
                 .arg(queue.size())
                 .arg(interceptDirectionName(from))
                 .arg(kMaxQueuedPerDirection));
        driverOf(from)->failLocally(close_code::kTryAgainLater,
                                    "The proxy cannot hold more intercepted messages; closed with 1013.");
        return true;
    }
    Pending pending;
    pending.message.id = nextHeldId++;
    pending.message.pairId = clientId_;
    pending.message.from = from;
    pending.message.opcode = op;
    pending.message.payload =
        QByteArray(reinterpret_cast<const char*>(event.payload.data()), static_cast<qsizetype>(size));
    pending.message.closeCode = event.closeCode;
    pending.message.messageIndex = event.kind == EventKind::Message ? event.messageIndex : kNoMessage;
    pending.waiting = matched;
    reportFate(from, pending.message.messageIndex, matched ? RelayFate::Held : RelayFate::Queued);
    queue.push_back(pending);
    queuedBytes_ += size;
    chargeQueued();
    if (matched) {
        note(from, NoteKind::Status, Direction::Incoming,
             QString("Intercept: held a %1-byte message (%2), id %3.")
                 .arg(size)
                 .arg(interceptDirectionName(from))
                 .arg(pending.message.id));
        emit messageHeld(pending.message);
    }
    return true;
}

bool ProxyPair::resolveHeld(quint64 heldId, const InterceptAction& action, QString& error) {
    for (const Leg from : {Leg::Client, Leg::Upstream}) {
        for (Pending& pending : queues_[queueIndex(from)]) {
            if (pending.message.id != heldId || !pending.waiting) continue;
            pending.waiting = false;
            pending.action = action;
            emit heldReleased(clientId_, heldId);
            drainQueue(from);
            return true;
        }
    }
    error = QString("The held message %1 is no longer held (it was decided, or its connection ended).")
                .arg(heldId);
    return false;
}

// Relays the decided messages at the head of a direction's queue, in order, up to the first one that
// still waits for the user.
void ProxyPair::drainQueue(Leg from) {
    std::deque<Pending>& queue = queues_[queueIndex(from)];
    while (!queue.empty() && !queue.front().waiting) {
        const Pending pending = std::move(queue.front());
        queue.pop_front();
        queuedBytes_ -= static_cast<uint64_t>(pending.message.payload.size());
        sendAction(otherLegOf(from), pending.message, pending.action);
    }
    chargeQueued();
    std::optional<QString>& deferred = closeAfterQueue_[queueIndex(from)];
    if (queue.empty() && deferred) {
        const QString sentence = *deferred;
        deferred.reset();
        closeOtherLeg(from, sentence);
    }
}

bool ProxyPair::deferCloseWhileQueued(Leg gone, const QString& sentence) {
    if (queues_[queueIndex(gone)].empty()) return false;
    closeAfterQueue_[queueIndex(gone)] = sentence;
    note(otherLegOf(gone), NoteKind::Status, Direction::Outgoing,
         QString("The %1 leg ended; the other leg stays open until its %2 held or queued messages are "
                 "decided.")
             .arg(gone == Leg::Client ? "app" : "upstream")
             .arg(queues_[queueIndex(gone)].size()));
    return true;
}

void ProxyPair::sendAction(Leg to, const HeldMessage& message, const InterceptAction& action) {
    const Leg from = otherLegOf(to);
    switch (action.kind) {
        case InterceptAction::Kind::Forward:  // not through relay(): it would queue it again
            if (message.opcode == opcode::kClose) return relayClose(from, eventOf(message));
            reportFate(from, message.messageIndex, RelayFate::None);  // its relay frames tell from here
            return relayMessage(from, eventOf(message));
        case InterceptAction::Kind::Drop:
            reportFate(from, message.messageIndex, RelayFate::Dropped);
            note(from, NoteKind::Status, Direction::Incoming,
                 QString("Intercept: dropped the held message %1 (%2 bytes, %3).")
                     .arg(message.id)
                     .arg(message.payload.size())
                     .arg(interceptDirectionName(from)));
            return;
        case InterceptAction::Kind::Message:
        case InterceptAction::Kind::Frames: {
            QString error;
            const bool sent = inject(to, action, error);
            reportFate(from, message.messageIndex, sent ? RelayFate::Replaced : RelayFate::NotSent);
            if (!sent) note(to, NoteKind::Status, Direction::Outgoing, error);
            return;
        }
    }
}

bool ProxyPair::inject(Leg to, const InterceptAction& action, QString& error) {
    if (!legOpen(to)) {
        error = QString("Cannot send into the %1 leg of connection %2: it is not open.")
                    .arg(to == Leg::Client ? "app" : "upstream")
                    .arg(clientId_);
        return false;
    }
    SessionDriver* target = driverOf(to);
    LocalError result = LocalError::None;
    if (action.kind == InterceptAction::Kind::Frames) {
        result = sendFrames(to, action.frames);
    } else if (action.opcode == opcode::kText) {
        result =
            target->sendText(std::string_view(action.payload.constData(), size_t(action.payload.size())));
    } else if (action.opcode == opcode::kBinary) {
        result = target->sendBinary(spanOf(action.payload));
    } else {  // another opcode as one unfragmented frame
        RawFrame frame;
        frame.opcode = action.opcode;
        frame.payload = action.payload;
        result = sendFrames(to, {frame});
    }
    if (result != LocalError::None) {
        error = QString("Could not send into the %1 leg: %2.")
                    .arg(to == Leg::Client ? "app" : "upstream")
                    .arg(QString::fromStdString(make_error_code(result).message()));
        return false;
    }
    ++(to == Leg::Upstream ? counters_->messagesToUpstream : counters_->messagesToClient);
    updateBackpressure();
    return true;
}

// Crafted frames exactly as specified. Unless a frame says, the upstream leg masks (the proxy is its
// client) and the app leg does not (the proxy is its server), with a fresh key when none is given.
LocalError ProxyPair::sendFrames(Leg to, const QList<RawFrame>& frames) {
    SessionDriver* target = driverOf(to);
    for (const RawFrame& frame : frames) {
        RawFrameSpec spec;
        spec.fin = frame.fin;
        spec.rsv1 = frame.rsv1;
        spec.rsv2 = frame.rsv2;
        spec.rsv3 = frame.rsv3;
        spec.opcode = frame.opcode;
        spec.masked = frame.masked.value_or(to == Leg::Upstream);
        if (frame.maskKey) {
            spec.maskKey = *frame.maskKey;
        } else {
            const quint32 key = QRandomGenerator::system()->generate();
            for (size_t i = 0; i < spec.maskKey.size(); ++i)
                spec.maskKey[i] = static_cast<uint8_t>(key >> (8 * i));
        }
        spec.payload = spanOf(frame.payload);
        spec.overrideLength = frame.declaredLength.has_value();
        spec.declaredLength = frame.declaredLength.value_or(0);
        spec.forceEncoding = frame.encoding.has_value();
        spec.encoding = frame.encoding.value_or(LengthEncoding::Bits7);
        if (const LocalError error = target->sendRaw(spec); error != LocalError::None) return error;
    }
    return LocalError::None;
}

void ProxyPair::chargeQueued() {
    if (budget_) budget_->recharge(queuedCharged_, queuedBytes_);
}

// The pair ended: what still waits is discarded and the GUI forgets it.
void ProxyPair::releaseAllHeld() {
    for (const Leg from : {Leg::Client, Leg::Upstream}) {
        std::deque<Pending>& queue = queues_[queueIndex(from)];
        if (queue.empty()) continue;
        note(from, NoteKind::Status, Direction::Incoming,
             QString("Intercept: %1 held or queued messages (%2) were not relayed: the connection ended.")
                 .arg(queue.size())
                 .arg(interceptDirectionName(from)));
        for (const Pending& pending : queue) {
            reportFate(from, pending.message.messageIndex, RelayFate::Discarded);
            if (pending.waiting) emit heldReleased(clientId_, pending.message.id);
        }
        queue.clear();
    }
    queuedBytes_ = 0;
    chargeQueued();
}

}  // namespace framescope::app
