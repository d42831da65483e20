// End to end over real loopback TCP: our codec as an echo server on a thread, a plain TCP echo server (the
// baseline), and the load client that drives every server (ours, the baseline and the peers) over one
// connection with N messages in flight. POSIX sockets and threads; no Qt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "framescope/bench/peer.h"

namespace framescope::bench {

// Our codec (Session, server role) over blocking POSIX sockets: one thread per connection.
std::unique_ptr<EchoServer> startOwnEchoServer(std::string& whyNot);
// Echoes raw bytes back: the physical limit for the same bytes over the same loopback.
std::unique_ptr<EchoServer> startPlainTcpEchoServer(std::string& whyNot);

struct LoadRun {
    double seconds = 0;
    uint64_t messages = 0;      // echoes received inside the window
    std::vector<double> rttNs;  // one per message
};

// One connection to 127.0.0.1:port. WebSocket mode performs the opening handshake as a client and sends
// binary messages through our Session (masked, fresh key per frame); raw mode sends bare payloads.
class LoadClient {
public:
    static std::unique_ptr<LoadClient> connect(uint16_t port, bool websocket, std::string& error);
    virtual ~LoadClient() = default;
    // Keeps `inFlight` messages of `size` bytes outstanding for `seconds`, then drains what is left.
    virtual bool run(size_t size, int inFlight, double seconds, LoadRun& out, std::string& error) = 0;
};

// CPU placement for the end-to-end rows: the load client and every server (threads and child processes)
// share one CPU, so every hand-off is a same-CPU switch. Left to the scheduler, placement changed from run
// to run and a cross-CPU wake-up cost ~50 us on a 2-vCPU VM: a 10x swing in round trips between servers.
void pinCurrentThreadToServerCpu() noexcept;
void pinProcessToServerCpu(int pid) noexcept;
class ClientCpuPin {
public:
    ClientCpuPin() noexcept;  // pins the calling thread to the benchmark CPU
    ~ClientCpuPin();          // restores its previous affinity
    ClientCpuPin(const ClientCpuPin&) = delete;
    ClientCpuPin& operator=(const ClientCpuPin&) = delete;

private:
    unsigned char saved_[128];
    bool pinned_ = false;
};

// Blocking helpers shared by the servers and the client.
bool writeAll(int fd, const uint8_t* data, size_t size) noexcept;
// Reads an HTTP head (up to and including CRLFCRLF) into `head`; bytes after it go to `rest`.
bool readHttpHead(int fd, std::string& head, std::string& rest);
int listenLoopback(uint16_t& port, std::string& error);
int connectLoopback(uint16_t port, std::string& error);

}  // namespace framescope::bench
