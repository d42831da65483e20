// LoadConnection: connect, handshake, send and count echoes, close. No capture: counting only.
#include "load/load_connection.h"

#include <QSslSocket>

#include <algorithm>
#include <array>
#include <new>

#include "framescope/close_code.h"
#include "load/load_worker.h"
#include "net/session_driver.h"

namespace framescope::app {

namespace {

constexpr qint64 kReadChunk = 1 << 20;

std::span<const uint8_t> bytesOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

}  // namespace

void SendTimes::push(int64_t ns) {
    if (size() == ring_.size()) {
        std::vector<int64_t> grown(ring_.size() * 2);
        for (size_t i = 0; i < size(); ++i)
            grown[i] = ring_[(head_ + i) % ring_.size()];
        tail_ = size();
        head_ = 0;
        ring_.swap(grown);
    }
    ring_[tail_ % ring_.size()] = ns;
    ++tail_;
}

int64_t SendTimes::pop() noexcept {
    if (head_ == tail_) return 0;
    return ring_[head_++ % ring_.size()];
}

LoadConnection::LoadConnection(LoadWorker& worker) : worker_(worker) {}

LoadConnection::~LoadConnection() {
    if (socket_) {
        socket_->disconnect();
        socket_->abort();
        delete socket_;
    }
}

void LoadConnection::open(int64_t nowNs) {
    const QUrl& url = worker_.options().connection.url;
    const bool secure = url.scheme() == "wss";
    socket_ = worker_.newSocket();
    QObject::connect(socket_, &QAbstractSocket::connected, socket_, [this] {
        if (worker_.options().connection.url.scheme() != "wss") onConnected();
    });
    if (auto* ssl = qobject_cast<QSslSocket*>(socket_))
        QObject::connect(ssl, &QSslSocket::encrypted, ssl, [this] { onConnected(); });
    QObject::connect(socket_, &QIODevice::readyRead, socket_, [this] { onReadyRead(); });
    QObject::connect(socket_, &QAbstractSocket::disconnected, socket_, [this] { onDisconnected(); });
    QObject::connect(socket_, &QAbstractSocket::errorOccurred, socket_,
                     [this](QAbstractSocket::SocketError error) { onError(error); });
    state_ = State::Connecting;
    startedNs_ = nowNs;
    const auto port = static_cast<quint16>(url.port(secure ? 443 : 80));
    if (auto* ssl = qobject_cast<QSslSocket*>(socket_)) {
        ssl->connectToHostEncrypted(url.host(), port);
    } else {
        socket_->connectToHost(url.host(), port);
    }
}

void LoadConnection::onConnected() {
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket_->setReadBufferSize(SessionDriver::kSocketReadBuffer);  // a flooding server is slowed by TCP
    if (worker_.options().rawTcp) {
        state_ = State::Open;
        worker_.connectionOpened();
        startSending();
        flush();
        return;
    }
    handshake_ = std::make_unique<ClientHandshake>(worker_.handshakeOptions(), worker_.random());
    if (handshake_->state() == HandshakeState::Failed) {
        return fail("Invalid handshake options: " + QString::fromStdString(handshake_->errorMessage()));
    }
    state_ = State::Handshake;
    const std::string& request = handshake_->request();
    socket_->write(request.data(), static_cast<qint64>(request.size()));
}

// std::bad_alloc (a server's huge message, or the machine out of memory) ends this connection only: it
// never escapes into Qt's event loop, where it would end the whole run.
void LoadConnection::onReadyRead() {
    try {
        if (state_ == State::Handshake) return readHandshake();
        if (worker_.options().rawTcp) return readRaw();
        if (session_) readFrames();
    } catch (const std::bad_alloc&) {
        reading_ = false;
        fail(QStringLiteral("The load generator ran out of memory reading this connection; it was dropped."));
    }
}

void LoadConnection::startSending() {
    if (!worker_.sending() || !worker_.inFlightMode()) return;
    const int64_t now = loadClockNs();
    for (int i = 0; i < worker_.options().inFlight; ++i)
        sendOne(now);
}

// Raw TCP: every messageSize bytes back are one echo (TCP keeps them in order).
void LoadConnection::readRaw() {
    const auto size = static_cast<size_t>(std::max(1, worker_.options().messageSize));
    std::array<int64_t, kEchoBatch> rtts;
    size_t count = 0;
    char scratch[64 * 1024];
    qint64 got = 0;
    while ((got = socket_->read(scratch, sizeof scratch)) > 0) {
        rawReceived_ += static_cast<size_t>(got);
        while (rawReceived_ >= size && sendTimes_.size() > 0) {
            rawReceived_ -= size;
            const int64_t now = loadClockNs();
            rtts[count++] = now - sendTimes_.pop();
            if (count == rtts.size()) {
                worker_.recordEchoes({rtts.data(), count}, count * size);
                count = 0;
            }
            if (state_ == State::Open && worker_.sending() && worker_.inFlightMode()) sendOne(now);
        }
    }
    if (count > 0) worker_.recordEchoes({rtts.data(), count}, count * size);
    flush();
}

void LoadConnection::readHandshake() {
    const QByteArray bytes = socket_->readAll();
    const HandshakeStep step = handshake_->receive(bytesOf(bytes));
    if (step.state == HandshakeState::InProgress) return;
    if (step.state == HandshakeState::Failed) {
        return fail("Handshake refused: " + QString::fromStdString(handshake_->errorMessage()));
    }
    SessionOptions options;
    options.role = Role::Client;
    options.limits = worker_.options().connection.limits;
    options.autoPong = worker_.options().connection.autoPong;
    options.deflate = handshake_->deflate();
    options.frameEvents = false;  // counting only: the Message, Close and error events are enough
    session_ = std::make_unique<Session>(options);
    state_ = State::Open;
    worker_.connectionOpened();
    startSending();
    const std::span<const uint8_t> leftover = bytesOf(bytes).subspan(step.consumed);
    if (!leftover.empty()) session_->receive(leftover);
    drainEvents();
    if (socket_->bytesAvailable() > 0) readFrames();
    flush();
}

void LoadConnection::readFrames() {
    if (reading_) return;
    reading_ = true;
    while (socket_->bytesAvailable() > 0 && session_->state() != SessionState::Failed) {
        const qint64 chunk = std::min(socket_->bytesAvailable(), kReadChunk);
        uint8_t* dst = nullptr;
        if (session_->prepareReceive(static_cast<size_t>(chunk), dst) != LocalError::None) break;
        const qint64 got = socket_->read(reinterpret_cast<char*>(dst), chunk);
        if (got <= 0) break;
        session_->commitReceive(static_cast<size_t>(got));
        drainEvents();
    }
    reading_ = false;
    flush();
}

// The common echoes (whole messages) come in bulk, without their events; anything else as events.
void LoadConnection::drainEvents() {
    EchoTally tally;
    std::array<Session::WholeMessage, 64> messages;
    for (;;) {
        const size_t taken = session_->takeWholeMessages(messages);
        for (size_t i = 0; i < taken; ++i)
            onEcho(messages[i].payload.size(), tally);
        if (taken == messages.size()) continue;
        // In place, not copied: an Event's fields were just stored, and copying them made the CPU wait for
        // those stores. onEcho() only appends to out_, which leaves the event's views alone.
        const Event* event = session_->nextEventInPlace();
        if (event == nullptr) break;
        if (event->kind == EventKind::Message) {
            onEcho(event->payload.size(), tally);
        } else if (event->kind == EventKind::Close) {
            if (state_ == State::Open) worker_.countClose();
            state_ = State::Closing;
        } else if (event->kind == EventKind::ProtocolError) {
            worker_.countError(QString("Protocol error %1: %2").arg(event->closeCode).arg(event->error));
        }
    }
    if (tally.count > 0) worker_.recordEchoes({tally.rtts.data(), tally.count}, tally.bytes);
    if (session_->hasPendingOutput()) session_->takePendingOutput(out_);
}

// One echo: its round trip, its size checked, and (in flight mode) the next message.
void LoadConnection::onEcho(size_t size, EchoTally& tally) {
    const int64_t now = loadClockNs();
    const int64_t sent = sendTimes_.pop();
    if (sent == 0) return worker_.countError("An echo arrived for a message that was not sent.");
    tally.rtts[tally.count++] = now - sent;
    tally.bytes += size;
    if (size != static_cast<size_t>(worker_.options().messageSize)) {
        worker_.countError(QString("An echo of %1 bytes came back for a message of %2 bytes.")
                               .arg(size)
                               .arg(worker_.options().messageSize));
    }
    if (tally.count == tally.rtts.size()) {
        worker_.recordEchoes({tally.rtts.data(), tally.count}, tally.bytes);
        tally.count = 0;
        tally.bytes = 0;
    }
    if (state_ == State::Open && worker_.sending() && worker_.inFlightMode()) sendOne(now);
}

void LoadConnection::sendOne(int64_t nowNs) {
    const std::span<const uint8_t> payload = worker_.nextPayload();
    if (worker_.options().rawTcp) {
        out_.append(payload);
        sendTimes_.push(nowNs);
        worker_.countSent(1);
        return;
    }
    LocalError error;
    if (worker_.options().payload == PayloadKind::Text) {
        error = session_->sendText({reinterpret_cast<const char*>(payload.data()), payload.size()}, out_);
    } else {
        error = session_->sendBinary(payload, out_);
    }
    if (error != LocalError::None) return;
    sendTimes_.push(nowNs);
    worker_.countSent(1);
}

void LoadConnection::flush() {
    if (out_.empty() || !socket_) return;
    if (socket_->state() == QAbstractSocket::ConnectedState)
        socket_->write(reinterpret_cast<const char*>(out_.data()), static_cast<qint64>(out_.size()));
    out_.clear();
}

void LoadConnection::close() {
    if (state_ == State::Idle || state_ == State::Done) return;
    if (worker_.options().rawTcp && state_ == State::Open) {
        state_ = State::Closing;
        socket_->disconnectFromHost();
        return;
    }
    if (state_ != State::Open || !session_) return abort();
    state_ = State::Closing;
    session_->sendClose(close_code::kNormal, "load run finished", out_);
    flush();
}

void LoadConnection::abort() {
    if (state_ == State::Idle || state_ == State::Done) return;
    finish();  // first: abort() may report the disconnection at once
    socket_->abort();
}

void LoadConnection::onError(QAbstractSocket::SocketError error) {
    if (state_ == State::Done || error == QAbstractSocket::RemoteHostClosedError) return;
    if (state_ == State::Closing) return;
    fail(QString("Network error: %1.").arg(socket_->errorString()));
}

void LoadConnection::onDisconnected() {
    if (state_ == State::Done) return;
    if (state_ == State::Open) {
        worker_.countClose();
    } else if (state_ == State::Connecting || state_ == State::Handshake) {
        worker_.countError("The server closed the connection before the handshake completed.");
    }
    finish();
}

void LoadConnection::fail(const QString& sentence) {
    if (state_ == State::Done) return;
    worker_.countError(sentence);
    finish();
    socket_->abort();
}

void LoadConnection::finish() {
    if (state_ == State::Done) return;
    const bool wasOpen = session_ != nullptr;
    state_ = State::Done;
    sendTimes_.clear();
    worker_.connectionEnded(wasOpen);
}

}  // namespace framescope::app
