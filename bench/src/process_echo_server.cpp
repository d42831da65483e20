// An echo server in another process (Node, Python, the Qt peer): spawned with its stdout on a pipe; its
// first line must be "listening on ws://HOST:PORT/" (the same line as `framescope-cli serve`). Stopped
// with SIGTERM when destroyed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "framescope/bench/loopback.h"
#include "framescope/bench/process_echo_server.h"

extern char** environ;

namespace framescope::bench {
namespace {

constexpr int kStartTimeoutMs = 15000;

class ProcessEchoServer final : public EchoServer {
public:
    ProcessEchoServer(pid_t pid, int stdoutFd, uint16_t port) : pid_(pid), stdoutFd_(stdoutFd), port_(port) {}
    ~ProcessEchoServer() override {
        stopProcess(pid_);
        ::close(stdoutFd_);
    }
    uint16_t port() const override { return port_; }

    static void stopProcess(pid_t pid) {
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }

private:
    pid_t pid_;
    int stdoutFd_;  // kept open so that a chatty server never dies of SIGPIPE
    uint16_t port_;
};

// Reads the first line of `fd` within the timeout.
bool readFirstLine(int fd, std::string& line) {
    char c = 0;
    while (line.size() < 512) {
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, kStartTimeoutMs) <= 0) return false;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        if (c == '\n') return true;
        line += c;
    }
    return false;
}

uint16_t portOf(const std::string& line) {
    const size_t scheme = line.find("ws://");
    const size_t colon = scheme == std::string::npos ? std::string::npos : line.find(':', scheme + 5);
    if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) return 0;
    const long port = std::strtol(line.c_str() + colon + 1, nullptr, 10);
    return port > 0 && port < 65536 ? static_cast<uint16_t>(port) : 0;
}

}  // namespace

std::unique_ptr<EchoServer> startProcessEchoServer(const std::vector<std::string>& argv,
                                                   std::string& whyNot) {
    int pipeFds[2];
    if (argv.empty() || ::pipe2(pipeFds, O_CLOEXEC) != 0) {
        whyNot = "cannot create a pipe";
        return nullptr;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        whyNot = "cannot start " + argv[0] + ": " + std::strerror(spawned);
        return nullptr;
    }
    pinProcessToServerCpu(pid);
    std::string line;
    const bool gotLine = readFirstLine(pipeFds[0], line);
    const uint16_t port = gotLine ? portOf(line) : 0;
    if (port == 0) {
        ProcessEchoServer::stopProcess(pid);
        ::close(pipeFds[0]);
        whyNot = argv[0] + " did not start" + (line.empty() ? std::string() : " (it said: " + line + ")");
        return nullptr;
    }
    return std::make_unique<ProcessEchoServer>(pid, pipeFds[0], port);
}

}  // namespace framescope::bench
