// A WebSocket server for one connection that only sends: after core's server handshake it writes
// `frames` unmasked binary frames of `payloadSize` bytes (built once by a core Session, written in 64 KiB
// blocks, as fast as the client reads or paced at `framesPerSecond`), then close 1000, waits for the client's
// close frame and closes TCP. It runs on its own thread with blocking POSIX sockets, so that the sender costs
// the measured client nothing but the bytes. The traffic source of the capture row (capture_comparison.h);
// not a product server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace framescope::app {

class FloodPeer {
public:
    // Listens on 127.0.0.1 on a free port; the sending starts when a client connects.
    // framesPerSecond 0: as fast as the client reads. Otherwise each block leaves when the pace allows.
    FloodPeer(uint64_t frames, size_t payloadSize, double framesPerSecond = 0);
    ~FloodPeer();  // stops waiting for a client and joins the thread
    FloodPeer(const FloodPeer&) = delete;
    FloodPeer& operator=(const FloodPeer&) = delete;

    uint16_t port() const noexcept { return port_; }
    // One sentence when listening or serving failed; empty otherwise (ask after the client is done).
    std::string error() const;

private:
    void serve();
    bool handshake(int fd);
    bool sendFrames(int fd);
    void setError(std::string sentence);

    uint64_t frames_;
    size_t payloadSize_;
    double framesPerSecond_;
    int listenFd_ = -1;
    uint16_t port_ = 0;
    mutable std::mutex errorMutex_;
    std::string error_;
    std::thread thread_;
};

}  // namespace framescope::app
