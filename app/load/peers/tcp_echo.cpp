// The limit of the end-to-end rows: a plain TCP echo server (no WebSocket at all) that writes back every
// byte it reads, one thread per connection, TCP_NODELAY on. Prints "listening on tcp://127.0.0.1:PORT/"
// first, like every server the comparison runs; the port comes from argv[1] (default: any).
// With --epoll as argv[2], each connection's thread waits in epoll_wait() and then reads without blocking,
// as an event-loop server does: one more system call per wakeup, the limit of any epoll server (README).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

bool writeAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

// Waits until `fd` is readable (a no-op without an epoll descriptor). False on an error.
bool waitReadable(int epoll) {
    if (epoll < 0) return true;
    epoll_event ready{};
    for (;;) {
        const int n = ::epoll_wait(epoll, &ready, 1, -1);
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

void echo(int fd, bool useEpoll) {
    std::vector<char> buffer(1 << 20);
    int epoll = -1;
    if (useEpoll) {
        epoll = ::epoll_create1(EPOLL_CLOEXEC);
        epoll_event watch{};
        watch.events = EPOLLIN;
        watch.data.fd = fd;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &watch);
    }
    for (;;) {
        if (!waitReadable(epoll)) break;
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), useEpoll ? MSG_DONTWAIT : 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0 || !writeAll(fd, buffer.data(), static_cast<size_t>(n))) break;
    }
    if (epoll >= 0) ::close(epoll);
    ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
    ::signal(SIGPIPE, SIG_IGN);
    const bool useEpoll = argc > 2 && std::strcmp(argv[2], "--epoll") == 0;
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(argc > 1 ? std::atoi(argv[1]) : 0));
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 64) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::perror("tcp echo: cannot listen");
        return 1;
    }
    std::printf("listening on tcp://127.0.0.1:%u/\n", static_cast<unsigned>(ntohs(address.sin_port)));
    std::fflush(stdout);
    for (;;) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        std::thread(echo, fd, useEpoll).detach();
    }
}
