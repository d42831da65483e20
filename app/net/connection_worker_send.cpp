// ConnectionWorker: the send commands, keep-alive pings, periodic sends and reconnecting with backoff.
#include <algorithm>

#include "framescope/close_code.h"
#include "net/connection_worker.h"

namespace framescope::app {

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

}  // namespace

void ConnectionWorker::noteOptions() {
    QStringList parts;
    if (options_.keepAlive.pingIntervalMs > 0) {
        parts << QString("keep-alive ping every %1 ms, pong timeout %2 ms")
                     .arg(options_.keepAlive.pingIntervalMs)
                     .arg(options_.keepAlive.pingTimeoutMs);
    }
    if (!options_.autoPong) parts << "automatic pong off";
    if (options_.periodicSend.intervalMs > 0) {
        parts << QString("periodic send of a saved %1-byte %2 message every %3 ms")
                     .arg(options_.periodicSend.payload.size())
                     .arg(options_.periodicSend.binary ? "binary" : "text")
                     .arg(options_.periodicSend.intervalMs);
    }
    if (options_.reconnect.enabled) {
        parts << QString("auto-reconnect, backoff from %1 ms to %2 ms, %3")
                     .arg(options_.reconnect.initialDelayMs)
                     .arg(options_.reconnect.maxDelayMs)
                     .arg(options_.reconnect.maxAttempts > 0
                              ? QString("at most %1 attempts").arg(options_.reconnect.maxAttempts)
                              : QString("no attempt limit"));
    }
    if (options_.tls.ignoreCertificateErrors) parts << "TLS certificate errors ignored";
    if (options_.proxy.type() != QNetworkProxy::NoProxy) {
        parts << QString("proxy %1:%2 (%3)")
                     .arg(options_.proxy.hostName())
                     .arg(options_.proxy.port())
                     .arg(options_.proxy.type() == QNetworkProxy::Socks5Proxy ? "SOCKS5" : "HTTP");
    }
    if (!parts.isEmpty()) note(NoteKind::Status, Direction::Outgoing, "Options: " + parts.join("; ") + ".");
}

void ConnectionWorker::startTimers() {
    if (options_.keepAlive.pingIntervalMs > 0) pingTimer_.start(options_.keepAlive.pingIntervalMs);
    if (options_.periodicSend.intervalMs > 0) periodicTimer_.start(options_.periodicSend.intervalMs);
}

void ConnectionWorker::stopTimers() {
    pingTimer_.stop();
    pingTimeoutTimer_.stop();
    periodicTimer_.stop();
}

void ConnectionWorker::sendKeepAlivePing() {
    if (state_ != ConnectionState::Open) return;
    const QByteArray payload = QByteArray("keep-alive ") + QByteArray::number(++keepAliveCount_);
    if (driver_->sendPing(bytesOf(payload)) != LocalError::None) return;
    if (!pingTimeoutTimer_.isActive()) pingTimeoutTimer_.start(options_.keepAlive.pingTimeoutMs);
}

void ConnectionWorker::sendPeriodic() {
    if (state_ != ConnectionState::Open) return;
    const QByteArray& payload = options_.periodicSend.payload;
    const LocalError error =
        options_.periodicSend.binary
            ? driver_->sendBinary(bytesOf(payload))
            : driver_->sendText(std::string_view(payload.constData(), static_cast<size_t>(payload.size())));
    if (error != LocalError::None) reportSendError(error, "the periodic message");
}

void ConnectionWorker::scheduleReconnect() {
    const ReconnectOptions& reconnect = options_.reconnect;
    if (!reconnect.enabled || userDisconnect_) return;
    if (reconnect.maxAttempts > 0 && reconnectAttempts_ >= reconnect.maxAttempts) {
        note(NoteKind::Status, Direction::Outgoing,
             QString("Reconnect: giving up after %1 attempts.").arg(reconnectAttempts_));
        return;
    }
    const int shift = std::min(reconnectAttempts_, 20);
    const qint64 delay = std::min<qint64>(qint64{reconnect.initialDelayMs} << shift, reconnect.maxDelayMs);
    ++reconnectAttempts_;
    note(NoteKind::Status, Direction::Outgoing,
         QString("Reconnect: attempt %1 in %2 ms.").arg(reconnectAttempts_).arg(delay));
    reconnectTimer_.start(static_cast<int>(delay));
}

bool ConnectionWorker::requireOpen(const char* what) {
    const bool open = (state_ == ConnectionState::Open || state_ == ConnectionState::Closing) && driver_ &&
                      driver_->started();
    if (open) return true;
    const QString sentence = QString("Cannot send %1: the connection is not open.").arg(what);
    note(NoteKind::Status, Direction::Outgoing, sentence);
    emit commandFailed(sentence);
    return false;
}

void ConnectionWorker::reportSendError(LocalError error, const char* what) {
    const QString sentence =
        QString("Cannot send %1: %2.").arg(what, QString::fromStdString(make_error_code(error).message()));
    note(NoteKind::Status, Direction::Outgoing, sentence);
    emit commandFailed(sentence);
}

void ConnectionWorker::sendText(const QString& text) {
    if (!requireOpen("a text message")) return;
    const QByteArray utf8 = text.toUtf8();
    const LocalError error =
        driver_->sendText(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
    if (error != LocalError::None) reportSendError(error, "a text message");
}

void ConnectionWorker::sendBinary(const QByteArray& data) {
    if (!requireOpen("a binary message")) return;
    const LocalError error = driver_->sendBinary(bytesOf(data));
    if (error != LocalError::None) reportSendError(error, "a binary message");
}

void ConnectionWorker::sendPing(const QByteArray& payload) {
    if (!requireOpen("a ping")) return;
    const LocalError error = driver_->sendPing(bytesOf(payload));
    if (error != LocalError::None) reportSendError(error, "a ping");
}

void ConnectionWorker::sendPong(const QByteArray& payload) {
    if (!requireOpen("a pong")) return;
    const LocalError error = driver_->sendPong(bytesOf(payload));
    if (error != LocalError::None) reportSendError(error, "a pong");
}

void ConnectionWorker::sendClose(quint16 code, const QString& reason) {
    if (!requireOpen("a close frame")) return;
    const QByteArray utf8 = reason.toUtf8();
    const LocalError error =
        driver_->sendClose(code, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
    if (error != LocalError::None) return reportSendError(error, "a close frame");
    closeSent_ = true;
    stopTimers();
    closeTimer_.start(options_.closeTimeoutMs);
    if (driver_->session().state() == SessionState::Closed) return;  // a reply to the peer's close
    setState(ConnectionState::Closing, QString("Sent close %1 (%2); waiting for the server's close frame.")
                                           .arg(code)
                                           .arg(closeCodeName(code)));
}

RawFrameSpec ConnectionWorker::toSpec(const RawFrame& frame) {
    RawFrameSpec spec;
    spec.fin = frame.fin;
    spec.rsv1 = frame.rsv1;
    spec.rsv2 = frame.rsv2;
    spec.rsv3 = frame.rsv3;
    spec.opcode = frame.opcode;
    spec.masked = frame.masked.value_or(true);  // RFC 6455 §5.1: a client masks every frame
    spec.maskKey = frame.maskKey ? *frame.maskKey : random_.nextMaskKey();
    spec.payload = bytesOf(frame.payload);
    spec.overrideLength = frame.declaredLength.has_value();
    spec.declaredLength = frame.declaredLength.value_or(0);
    spec.forceEncoding = frame.encoding.has_value();
    spec.encoding = frame.encoding.value_or(LengthEncoding::Bits7);
    return spec;
}

void ConnectionWorker::sendRaw(const RawFrame& frame) {
    if (!requireOpen("a crafted frame")) return;
    const LocalError error = driver_->sendRaw(toSpec(frame));
    if (error != LocalError::None) reportSendError(error, "a crafted frame");
}

void ConnectionWorker::sendFragmented(const FragmentedMessage& message) {
    if (!requireOpen("a fragmented message")) return;
    const qsizetype total = message.payload.size();
    qsizetype offset = 0;
    int index = 0;
    do {
        const int wanted =
            message.fragmentSizes.isEmpty()
                ? static_cast<int>(total)
                : message.fragmentSizes[std::min<qsizetype>(index, message.fragmentSizes.size() - 1)];
        const qsizetype size = std::min<qsizetype>(std::max(wanted, 1), total - offset);
        RawFrame piece;
        piece.opcode =
            index == 0 ? (message.binary ? opcode::kBinary : opcode::kText) : opcode::kContinuation;
        piece.payload = message.payload.mid(offset, size);
        offset += size;
        piece.fin = offset >= total;
        driver_->sendRaw(toSpec(piece));
        for (int i = 0; !piece.fin && i < message.pingsBetween; ++i) {
            RawFrame ping;
            ping.opcode = opcode::kPing;
            ping.payload = message.pingPayload.left(125);
            driver_->sendRaw(toSpec(ping));
        }
        ++index;
    } while (offset < total);
}

void ConnectionWorker::disconnectFromPeer() {
    userDisconnect_ = true;
    reconnectTimer_.stop();
    if (state_ == ConnectionState::Open) return sendClose(close_code::kNormal, QString());
    if (state_ == ConnectionState::Closing || state_ == ConnectionState::Closed ||
        state_ == ConnectionState::Failed || state_ == ConnectionState::Idle) {
        return;
    }
    connectTimer_.stop();
    refusalTimer_.stop();
    stopTimers();
    socket_->disconnect(this);
    socket_->abort();
    setState(ConnectionState::Closed, "Stopped by the user before the connection opened.");
}

}  // namespace framescope::app
