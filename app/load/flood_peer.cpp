#include "load/flood_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "framescope/byte_buffer.h"
#include "framescope/close_code.h"
#include "framescope/handshake.h"
#include "framescope/session.h"

namespace framescope::app {

namespace {

constexpr size_t kBlockBytes = 64 * 1024;
constexpr int kWaitMs = 10000;  // for the client to connect, to send its upgrade, and to answer the close

// Waits until `fd` is readable; false on timeout or error.
bool readable(int fd) {
    pollfd poller{fd, POLLIN, 0};
    return ::poll(&poller, 1, kWaitMs) == 1;
}

bool writeAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t wrote = ::send(fd, data, size, MSG_NOSIGNAL);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) return false;
        data += wrote;
        size -= static_cast<size_t>(wrote);
    }
    return true;
}

}  // namespace

FloodPeer::FloodPeer(uint64_t frames, size_t payloadSize, double framesPerSecond)
    : frames_(frames), payloadSize_(payloadSize), framesPerSecond_(framesPerSecond) {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listenFd_, 1) != 0 ||
        ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        setError(std::string("The flood peer could not listen on loopback: ") + std::strerror(errno) + ".");
        return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
}

FloodPeer::~FloodPeer() {
    if (listenFd_ >= 0) ::shutdown(listenFd_, SHUT_RDWR);  // wakes a thread still waiting in poll()
    if (thread_.joinable()) thread_.join();
    if (listenFd_ >= 0) ::close(listenFd_);
}

std::string FloodPeer::error() const {
    std::lock_guard lock(errorMutex_);
    return error_;
}

void FloodPeer::setError(std::string sentence) {
    std::lock_guard lock(errorMutex_);
    if (error_.empty()) error_ = std::move(sentence);
}

void FloodPeer::serve() {
    if (!readable(listenFd_)) return setError("No client connected to the flood peer within 10 s.");
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
        return setError(std::string("The flood peer could not accept: ") + std::strerror(errno) + ".");
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (handshake(fd) && sendFrames(fd)) {
        // The client's close frame (or its TCP close) ends the conversation; then we close TCP first, as
        // RFC 6455 §7.1.1 asks of a server.
        uint8_t reply[64];
        if (!readable(fd) || ::recv(fd, reply, sizeof reply, 0) <= 0) {
            setError("The client did not answer the flood peer's close.");
        }
    }
    ::close(fd);
}

bool FloodPeer::handshake(int fd) {
    ServerHandshake server(ServerHandshakeOptions{});
    uint8_t buffer[4096];
    while (server.state() == HandshakeState::InProgress) {
        if (!readable(fd)) {
            setError("The client sent no upgrade request to the flood peer within 10 s.");
            return false;
        }
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            setError("The client closed before its upgrade request reached the flood peer.");
            return false;
        }
        server.receive(std::span<const uint8_t>(buffer, static_cast<size_t>(got)));
    }
    const std::string& response = server.response();
    if (!writeAll(fd, reinterpret_cast<const uint8_t*>(response.data()), response.size()) ||
        server.state() != HandshakeState::Succeeded) {
        setError("The flood peer refused the upgrade: " + server.errorMessage());
        return false;
    }
    return true;
}

bool FloodPeer::sendFrames(int fd) {
    Session session(SessionOptions{.role = Role::Server});
    const std::vector<uint8_t> payload(payloadSize_, 0x5a);
    ByteBuffer one;
    session.sendBinary(payload, one);
    const size_t frameBytes = one.size();
    const uint64_t framesPerBlock = std::max<uint64_t>(1, kBlockBytes / frameBytes);
    ByteBuffer block;
    for (uint64_t i = 0; i < framesPerBlock; ++i)
        block.append(one.view());
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t sent = 0; sent < frames_;) {
        if (framesPerSecond_ > 0) {
            std::this_thread::sleep_until(
                start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(sent) / framesPerSecond_)));
        }
        const uint64_t now = std::min(frames_ - sent, framesPerBlock);
        if (!writeAll(fd, block.data(), static_cast<size_t>(now) * frameBytes)) {
            setError("The client stopped reading the flood peer's frames.");
            return false;
        }
        sent += now;
    }
    ByteBuffer close;
    session.sendClose(close_code::kNormal, {}, close);
    return writeAll(fd, close.data(), close.size());
}

}  // namespace framescope::app
