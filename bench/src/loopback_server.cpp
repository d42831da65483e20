// Loopback sockets and the two in-process echo servers: our codec (Session, server role) and plain TCP.
// Each server thread accepts one connection at a time and serves it with blocking reads and writes; the
// load client never blocks, so neither side can stall the other.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "framescope/bench/accept_key.h"
#include "framescope/bench/loopback.h"
#include "framescope/session.h"

namespace framescope::bench {
namespace {

constexpr size_t kReadChunk = 256 * 1024;

std::string headerValue(const std::string& head, std::string_view name) {
    std::string lower = head;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string needle = "\r\n" + std::string(name) + ":";
    const size_t at = lower.find(needle);
    if (at == std::string::npos) return {};
    size_t start = at + needle.size();
    const size_t end = head.find("\r\n", start);
    while (start < end && head[start] == ' ')
        ++start;
    return head.substr(start, end - start);
}

// Answers the client's opening handshake (RFC 6455 §4.2.2). Minimal: the bench drives it with our client.
bool serverHandshake(int fd, std::string& rest) {
    std::string head;
    if (!readHttpHead(fd, head, rest)) return false;
    const std::string key = headerValue(head, "sec-websocket-key");
    if (key.empty()) return false;
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: " +
        computeAcceptKey(key) + "\r\n\r\n";
    return writeAll(fd, reinterpret_cast<const uint8_t*>(response.data()), response.size());
}

void serveWebSocket(int fd) {
    std::string rest;
    if (!serverHandshake(fd, rest)) return;
    SessionOptions options;
    options.role = Role::Server;
    Session session(options);
    session.receive({reinterpret_cast<const uint8_t*>(rest.data()), rest.size()});
    ByteBuffer out;
    for (;;) {
        Event event;
        while (session.nextEvent(event)) {
            if (event.kind != EventKind::Message) continue;
            if (event.messageOpcode == opcode::kText) {
                session.sendText({reinterpret_cast<const char*>(event.payload.data()), event.payload.size()},
                                 out);
            } else {
                session.sendBinary(event.payload, out);
            }
        }
        session.takePendingOutput(out);
        if (!out.empty() && !writeAll(fd, out.data(), out.size())) return;
        out.clear();
        if (session.state() == SessionState::Closed || session.state() == SessionState::Failed) return;
        uint8_t* into = nullptr;
        if (session.prepareReceive(kReadChunk, into) != LocalError::None) return;
        const ssize_t n = ::read(fd, into, kReadChunk);
        if (n <= 0) return;
        session.commitReceive(static_cast<size_t>(n));
    }
}

void servePlain(int fd) {
    std::vector<uint8_t> buffer(kReadChunk);
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0 || !writeAll(fd, buffer.data(), static_cast<size_t>(n))) return;
    }
}

class ThreadEchoServer final : public EchoServer {
public:
    ThreadEchoServer(int listenFd, uint16_t port, void (*serve)(int))
        : listenFd_(listenFd), port_(port), thread_([this, serve] { acceptLoop(serve); }) {}
    ~ThreadEchoServer() override {
        stopping_ = true;
        ::shutdown(listenFd_, SHUT_RDWR);
        const int connection = connectionFd_.load();
        if (connection >= 0) ::shutdown(connection, SHUT_RDWR);
        thread_.join();
        ::close(listenFd_);
    }
    uint16_t port() const override { return port_; }

private:
    void acceptLoop(void (*serve)(int)) {
        pinCurrentThreadToServerCpu();
        while (!stopping_) {
            const int fd = ::accept(listenFd_, nullptr, nullptr);
            if (fd < 0) {
                if (errno == EINTR) continue;
                return;
            }
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            connectionFd_ = fd;
            if (!stopping_) serve(fd);
            connectionFd_ = -1;
            ::close(fd);
        }
    }

    int listenFd_;
    uint16_t port_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connectionFd_{-1};
    std::thread thread_;
};

std::unique_ptr<EchoServer> startThreadServer(void (*serve)(int), std::string& whyNot) {
    uint16_t port = 0;
    const int fd = listenLoopback(port, whyNot);
    if (fd < 0) return nullptr;
    return std::make_unique<ThreadEchoServer>(fd, port, serve);
}

}  // namespace

bool writeAll(int fd, const uint8_t* data, size_t size) noexcept {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool readHttpHead(int fd, std::string& head, std::string& rest) {
    head.clear();
    char buffer[4096];
    while (head.size() < 64 * 1024) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        head.append(buffer, static_cast<size_t>(n));
        const size_t end = head.find("\r\n\r\n");
        if (end != std::string::npos) {
            rest = head.substr(end + 4);
            head.resize(end + 4);
            return true;
        }
    }
    return false;
}

int listenLoopback(uint16_t& port, std::string& error) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 8) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        error = std::string("cannot listen on loopback: ") + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return -1;
    }
    port = ntohs(address.sin_port);
    return fd;
}

int connectLoopback(uint16_t port, std::string& error) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        error = "cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

std::unique_ptr<EchoServer> startOwnEchoServer(std::string& whyNot) {
    return startThreadServer(serveWebSocket, whyNot);
}

std::unique_ptr<EchoServer> startPlainTcpEchoServer(std::string& whyNot) {
    return startThreadServer(servePlain, whyNot);
}

}  // namespace framescope::bench
