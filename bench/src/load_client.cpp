// The load client: one non-blocking connection driven with poll(). It keeps N messages in flight: each
// echo that completes is timed (round trip from when its message was queued) and replaced by a new one.
// After the window, it stops queueing and drains what is still in flight, so the next run starts clean.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "framescope/bench/accept_key.h"
#include "framescope/bench/loopback.h"
#include "framescope/secure_random.h"
#include "framescope/session.h"

namespace framescope::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kReadChunk = 256 * 1024;
constexpr uint64_t kMinMessagesPerRun = 4;
constexpr int kStallMs = 10000;

int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

bool clientHandshake(int fd, uint16_t port, std::string& rest, std::string& error) {
    SecureRandom random;
    uint8_t nonce[16];
    random.fill(nonce);
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string key;  // base64 of 16 bytes (RFC 6455 §4.1): 15 full groups and one padded
    for (size_t i = 0; i < 16; i += 3) {
        const uint32_t group = (uint32_t{nonce[i]} << 16) | (i + 1 < 16 ? uint32_t{nonce[i + 1]} << 8 : 0) |
                               (i + 2 < 16 ? uint32_t{nonce[i + 2]} : 0);
        for (int j = 0; j < 4; ++j)
            key += kAlphabet[(group >> (18 - 6 * j)) & 63];
    }
    key.replace(22, 2, "==");
    const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                                "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    std::string head;
    if (!writeAll(fd, reinterpret_cast<const uint8_t*>(request.data()), request.size()) ||
        !readHttpHead(fd, head, rest)) {
        error = "the server closed the connection during the opening handshake";
        return false;
    }
    if (head.compare(0, 12, "HTTP/1.1 101") != 0 || head.find(computeAcceptKey(key)) == std::string::npos) {
        error = "the server refused the opening handshake: " + head.substr(0, head.find("\r\n"));
        return false;
    }
    return true;
}

class PollLoadClient final : public LoadClient {
public:
    PollLoadClient(int fd, bool websocket) : fd_(fd), websocket_(websocket), session_(SessionOptions{}) {
        rawBuffer_.resize(kReadChunk);
    }
    ~PollLoadClient() override { ::close(fd_); }

    void receive(const std::string& rest) {
        session_.receive({reinterpret_cast<const uint8_t*>(rest.data()), rest.size()});
    }

    bool run(size_t size, int inFlight, double seconds, LoadRun& out, std::string& error) override;

private:
    void enqueue() {
        if (websocket_) {
            session_.sendBinary(payload_, out_);
        } else {
            out_.append(payload_.data(), payload_.size());
        }
        sentAt_[(head_ + count_) % sentAt_.size()] = nowNs();
        ++count_;
    }
    bool flush();
    bool readSome(bool measuring, LoadRun& out, std::string& error);
    void complete(bool measuring, LoadRun& out);

    int fd_;
    bool websocket_;
    Session session_;
    ByteBuffer out_;
    size_t outDone_ = 0;
    std::vector<uint8_t> payload_;
    std::vector<uint8_t> rawBuffer_;
    size_t rawReceived_ = 0;
    std::vector<int64_t> sentAt_;  // ring of send times of the messages in flight
    size_t head_ = 0;
    size_t count_ = 0;
    uint64_t completed_ = 0;
};

bool PollLoadClient::flush() {
    while (outDone_ < out_.size()) {
        const ssize_t n = ::send(fd_, out_.data() + outDone_, out_.size() - outDone_, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        if (n <= 0) return false;
        outDone_ += static_cast<size_t>(n);
    }
    out_.clear();
    outDone_ = 0;
    return true;
}

void PollLoadClient::complete(bool measuring, LoadRun& out) {
    const int64_t now = nowNs();
    const int64_t sent = sentAt_[head_];
    head_ = (head_ + 1) % sentAt_.size();
    --count_;
    if (!measuring) return;
    ++completed_;
    out.rttNs.push_back(static_cast<double>(now - sent));
    enqueue();
}

bool PollLoadClient::readSome(bool measuring, LoadRun& out, std::string& error) {
    uint8_t* into = rawBuffer_.data();
    // Every event was drained after the previous read, so the session cannot refuse.
    if (websocket_ && session_.prepareReceive(kReadChunk, into) != LocalError::None) {
        error = "the session refused to receive";
        return false;
    }
    const ssize_t n = ::read(fd_, into, kReadChunk);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    if (n <= 0) {
        error = "the server closed the connection";
        return false;
    }
    if (!websocket_) {
        rawReceived_ += static_cast<size_t>(n);
        while (count_ > 0 && rawReceived_ >= payload_.size()) {
            rawReceived_ -= payload_.size();
            complete(measuring, out);
        }
        return true;
    }
    session_.commitReceive(static_cast<size_t>(n));
    Event event;
    while (session_.nextEvent(event)) {
        if (event.kind == EventKind::Message && event.payload.size() == payload_.size() && count_ > 0) {
            complete(measuring, out);
        } else if (event.kind == EventKind::Close || event.kind == EventKind::ProtocolError) {
            error = event.error != nullptr ? event.error : "the server closed the WebSocket";
            return false;
        }
    }
    // Automatic pongs: a server that pings (Python's websockets does every 20 s) closes when unanswered.
    if (session_.hasPendingOutput()) session_.takePendingOutput(out_);
    return true;
}

bool PollLoadClient::run(size_t size, int inFlight, double seconds, LoadRun& out, std::string& error) {
    payload_.assign(size, 0x5A);
    sentAt_.assign(static_cast<size_t>(inFlight) + 1, 0);
    head_ = count_ = 0;
    completed_ = 0;
    out.rttNs.clear();
    const int64_t start = nowNs();
    const auto window = static_cast<int64_t>(seconds * 1e9);
    for (int i = 0; i < inFlight; ++i)
        enqueue();
    bool measuring = true;
    while (count_ > 0) {
        if (measuring && nowNs() - start >= window && completed_ >= kMinMessagesPerRun) {
            measuring = false;
            out.seconds = static_cast<double>(nowNs() - start) / 1e9;
            out.messages = completed_;
        }
        if (!flush()) {
            error = "the server closed the connection";
            return false;
        }
        pollfd fd{fd_, static_cast<short>(POLLIN | (out_.empty() ? 0 : POLLOUT)), 0};
        const int ready = ::poll(&fd, 1, kStallMs);
        if (ready == 0) {
            error = "the server stopped answering";
            return false;
        }
        if (ready > 0 && (fd.revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
            !readSome(measuring, out, error)) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::unique_ptr<LoadClient> LoadClient::connect(uint16_t port, bool websocket, std::string& error) {
    const int fd = connectLoopback(port, error);
    if (fd < 0) return nullptr;
    std::string rest;
    if (websocket && !clientHandshake(fd, port, rest, error)) {
        ::close(fd);
        return nullptr;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto client = std::make_unique<PollLoadClient>(fd, websocket);
    client->receive(rest);
    return client;
}

}  // namespace framescope::bench
