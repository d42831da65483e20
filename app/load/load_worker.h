// A load worker: one QObject on one QThread of the runner's small pool, running many LoadConnections
// (a share of the run's connections). It opens them on the ramp-up schedule, keeps K messages in flight
// per connection or sends its share of a fixed rate from a 1 ms tick, and counts what happens into a
// tally the controller takes once per interval from its own thread (the only cross-thread access).
#pragma once

#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QTimer>

#include <time.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "framescope/handshake.h"
#include "framescope/secure_random.h"
#include "load/latency_histogram.h"
#include "load/load_types.h"

namespace framescope::app {

class LoadConnection;

// What happened since the controller last took the tally (openNow is a level, not reset).
struct LoadTally {
    uint64_t sent = 0;
    uint64_t received = 0;
    uint64_t bytesReceived = 0;
    uint64_t errors = 0;
    uint64_t closes = 0;
    int opened = 0;
    int openNow = 0;
    QStringList errorSentences;
    LatencyHistogram latency;
};

// Monotonic nanoseconds (steady clock), the load run's clock.
int64_t loadClockNs() noexcept;

class LoadWorker : public QObject {
    Q_OBJECT
public:
    // Runs the connections numbered first..first+count-1 of `options.connections`; `rateShare` is this
    // worker's messages per second in rate mode.
    LoadWorker(const LoadOptions& options, const QSslConfiguration& tls, int first, int count,
               double rateShare);
    ~LoadWorker() override;

    // On the worker's thread.
    void start(int64_t startNs);
    void stop();  // stops sending and closes every connection; emits stopped() when all are done

    // Any thread.
    LoadTally take();
    double cpuSeconds() const noexcept;

    // For the connections (worker's thread).
    const LoadOptions& options() const noexcept { return options_; }
    bool sending() const noexcept { return sending_; }
    bool inFlightMode() const noexcept { return options_.rate <= 0; }
    std::span<const uint8_t> nextPayload() noexcept;
    SecureRandom& random() noexcept { return random_; }
    QAbstractSocket* newSocket();
    const ClientHandshakeOptions& handshakeOptions() const noexcept { return handshake_; }
    void countSent(uint64_t n) noexcept { sent_.fetch_add(n, std::memory_order_relaxed); }
    void recordEchoes(std::span<const int64_t> rttNs, uint64_t bytes);
    void countError(const QString& sentence);
    void countClose() noexcept { closes_.fetch_add(1, std::memory_order_relaxed); }
    void connectionOpened() noexcept;
    void connectionEnded(bool wasOpen) noexcept;

signals:
    void stopped();

private:
    void tick();
    void openDue(int64_t nowNs);
    void sendDue(int64_t nowNs);
    void checkTimeouts(int64_t nowNs);
    void checkStopped();
    void buildPayload();

    LoadOptions options_;
    QSslConfiguration tls_;
    int first_;
    double rateShare_;
    std::vector<std::unique_ptr<LoadConnection>> connections_;
    ClientHandshakeOptions handshake_;
    SecureRandom random_;
    std::vector<uint8_t> payload_;  // the message, or a pool of random bytes for PayloadKind::Random
    size_t payloadOffset_ = 0;
    QTimer tick_;
    int64_t startNs_ = 0;
    int64_t lastTimeoutCheckNs_ = 0;
    size_t nextToOpen_ = 0;
    size_t nextToSend_ = 0;
    uint64_t rateSent_ = 0;
    bool sending_ = false;
    bool stopping_ = false;
    int live_ = 0;  // connections neither Idle nor Done

    std::atomic<uint64_t> sent_{0};
    std::atomic<uint64_t> received_{0};
    std::atomic<uint64_t> bytesReceived_{0};
    std::atomic<uint64_t> errors_{0};
    std::atomic<uint64_t> closes_{0};
    std::atomic<int> opened_{0};
    std::atomic<int> openNow_{0};
    std::atomic<bool> hasCpuClock_{false};
    clockid_t cpuClock_{};  // written before hasCpuClock_ is set
    std::mutex mutex_;      // guards latency_ and errorSentences_
    LatencyHistogram latency_;
    QStringList errorSentences_;
    friend class LoadConnection;
};

// The TLS configuration of `tls` (extra CAs, client certificate); false with `error` on a bad file.
bool loadTlsConfiguration(const TlsOptions& tls, QSslConfiguration& config, QString& error);

}  // namespace framescope::app
