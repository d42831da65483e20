// One connection of a load run: a QTcpSocket (ws://) or QSslSocket (wss://), the core ClientHandshake and
// Session, and the send times of the messages in flight (the echo server answers in order, so the oldest
// send time belongs to the next echo). Counts into its worker's tally; captures nothing. Lives on its
// worker's thread, which is the only thread that touches it.
#pragma once

#include <QAbstractSocket>
#include <QObject>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "framescope/byte_buffer.h"
#include "framescope/handshake.h"
#include "framescope/session.h"

namespace framescope::app {

class LoadWorker;

// A FIFO of send times that grows by doubling and never shrinks (no allocation in steady state).
class SendTimes {
public:
    void push(int64_t ns);
    int64_t pop() noexcept;  // 0 when empty
    size_t size() const noexcept { return tail_ - head_; }
    void clear() noexcept { head_ = tail_ = 0; }

private:
    std::vector<int64_t> ring_ = std::vector<int64_t>(64);
    size_t head_ = 0;
    size_t tail_ = 0;
};

class LoadConnection {
public:
    enum class State : uint8_t { Idle, Connecting, Handshake, Open, Closing, Done };

    explicit LoadConnection(LoadWorker& worker);
    ~LoadConnection();
    LoadConnection(const LoadConnection&) = delete;
    LoadConnection& operator=(const LoadConnection&) = delete;

    void open(int64_t nowNs);
    // Queues one message (flushed by flush() or at the end of the current read).
    void sendOne(int64_t nowNs);
    void flush();
    // Sends a close frame (1000) and waits for the server to close; aborts when not open.
    void close();
    void abort();

    State state() const noexcept { return state_; }
    int64_t startedNs() const noexcept { return startedNs_; }
    size_t inFlight() const noexcept { return sendTimes_.size(); }
    qint64 bytesToWrite() const noexcept { return socket_ ? socket_->bytesToWrite() : 0; }

private:
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);
    void readHandshake();
    void readFrames();
    void startSending();
    void readRaw();
    static constexpr size_t kEchoBatch = 256;  // round trips recorded under one lock (recordEchoes())
    struct EchoTally {
        std::array<int64_t, kEchoBatch> rtts;
        size_t count = 0;
        uint64_t bytes = 0;
    };
    void drainEvents();
    void onEcho(size_t size, EchoTally& tally);
    void fail(const QString& sentence);
    void finish();

    LoadWorker& worker_;
    State state_ = State::Idle;
    QAbstractSocket* socket_ = nullptr;
    std::unique_ptr<ClientHandshake> handshake_;
    std::unique_ptr<Session> session_;
    ByteBuffer out_;
    SendTimes sendTimes_;
    int64_t startedNs_ = 0;
    size_t rawReceived_ = 0;  // raw TCP mode: bytes of the next echo received so far
    bool reading_ = false;
};

}  // namespace framescope::app
