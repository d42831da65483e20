// What a load run is asked to do (LoadOptions) and what it reports: one LoadSample per interval while it
// runs and a LoadSummary with the whole run's latency histogram at the end. Plain values, copied across
// threads.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>

#include "load/latency_histogram.h"
#include "net/connection_types.h"

namespace framescope::app {

enum class PayloadKind : uint8_t {
    Text,      // ASCII text, sent as text messages
    Binary,    // one fixed pseudo-random binary message
    Random,    // binary, different bytes in every message (slices of a random pool)
    Repeated,  // binary, one byte repeated (compresses to almost nothing with permessage-deflate)
};
const char* payloadKindName(PayloadKind kind) noexcept;
// "text", "binary", "random", "repeated"; false when `name` is none of them.
bool payloadKindFromName(const QString& name, PayloadKind& kind) noexcept;

struct LoadOptions {
    ConnectionOptions
        connection;  // url and the rest; capture, keep-alive, periodic sends and reconnect unused
    int connections = 1;
    int messageSize = 1024;  // payload bytes per message
    PayloadKind payload = PayloadKind::Binary;
    int inFlight = 1;         // messages outstanding per connection (when rate is 0)
    double rate = 0;          // messages per second over all connections; 0 = in-flight mode
    double durationSec = 10;  // from the first connection's start, ramp-up included
    double rampUpSec = 0;     // connections are opened evenly over this time
    int threads = 0;          // worker threads; 0 = one per core
    // Plain TCP, no WebSocket: send the payload bytes bare and count an echo per messageSize bytes back
    // (the limit row of the end-to-end comparison; the URL gives host and port only).
    bool rawTcp = false;
    int sampleIntervalMs = 1000;
};

// One interval of a run. Rates are per second of the interval; latencies are round trips in µs.
struct LoadSample {
    double timeSec = 0;  // end of the interval, since the start
    double intervalSec = 0;
    double messagesPerSec = 0;  // echoes received
    double sentPerSec = 0;
    double mbPerSec = 0;  // payload bytes received / 1e6
    double p50Us = 0;
    double p90Us = 0;
    double p99Us = 0;
    double maxUs = 0;
    uint64_t messages = 0;  // received so far
    uint64_t errors = 0;    // so far: failed connects and handshakes, protocol errors, bad echoes
    uint64_t closes = 0;    // so far: connections the server closed or dropped before we stopped
    int connectionsOpen = 0;
    double generatorCpu = 0;  // CPU time of the worker threads in the interval / interval (1.0 = one core)
};

struct LoadSummary {
    double elapsedSec = 0;
    uint64_t sent = 0;
    uint64_t received = 0;
    uint64_t bytesReceived = 0;
    uint64_t errors = 0;
    uint64_t closes = 0;
    int connectionsOpened = 0;
    double messagesPerSec = 0;  // received / elapsed (after the ramp-up when there is one)
    double mbPerSec = 0;
    double p50Us = 0;
    double p90Us = 0;
    double p99Us = 0;
    double maxUs = 0;
    double meanUs = 0;
    double generatorCpu = 0;        // average over the run, in cores
    QList<QString> errorSentences;  // the first few distinct error sentences
    LatencyHistogram histogram;     // every round trip of the run
};

}  // namespace framescope::app

Q_DECLARE_METATYPE(framescope::app::LoadSample)
Q_DECLARE_METATYPE(framescope::app::LoadSummary)
