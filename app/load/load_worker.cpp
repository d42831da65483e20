// LoadWorker: the ramp-up schedule, the rate tick, timeouts, payloads and the tally.
#include "load/load_worker.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "load/load_connection.h"
#include "net/client_handshake_options.h"
#include "net/tls.h"

namespace framescope::app {

namespace {

constexpr int kMaxErrorSentences = 8;
constexpr int kOpensPerTick = 64;            // without ramp-up: connects started per tick, not all at once
constexpr qint64 kWriteHighWater = 4 << 20;  // rate mode skips a connection whose socket holds this much
constexpr int64_t kMsNs = 1'000'000;

}  // namespace

int64_t loadClockNs() noexcept {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

bool loadTlsConfiguration(const TlsOptions& tls, QSslConfiguration& config, QString& error) {
    config = QSslConfiguration::defaultConfiguration();
    if (!tls.caFile.isEmpty()) {
        const QList<QSslCertificate> cas = loadCertificates(tls.caFile, error);
        if (cas.isEmpty()) return false;
        config.addCaCertificates(cas);
    }
    if (!tls.certificateFile.isEmpty() || !tls.keyFile.isEmpty()) {
        const QList<QSslCertificate> chain = loadCertificates(tls.certificateFile, error);
        if (chain.isEmpty()) return false;
        const QSslKey key = loadPrivateKey(tls.keyFile, error);
        if (key.isNull()) return false;
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    return true;
}

LoadWorker::LoadWorker(const LoadOptions& options, const QSslConfiguration& tls, int first, int count,
                       double rateShare)
    : options_(options),
      tls_(tls),
      first_(first),
      rateShare_(rateShare),
      handshake_(clientHandshakeOptions(options.connection)),
      tick_(this) {
    connections_.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        connections_.push_back(std::make_unique<LoadConnection>(*this));
    buildPayload();
    tick_.setTimerType(Qt::PreciseTimer);
    connect(&tick_, &QTimer::timeout, this, &LoadWorker::tick);
}

LoadWorker::~LoadWorker() = default;

void LoadWorker::buildPayload() {
    const auto size = static_cast<size_t>(std::max(0, options_.messageSize));
    switch (options_.payload) {
        case PayloadKind::Text: {
            static constexpr char kWords[] = "FrameScope load run, text payload. ";
            payload_.resize(size);
            for (size_t i = 0; i < size; ++i)
                payload_[i] = static_cast<uint8_t>(kWords[i % (sizeof kWords - 1)]);
            break;
        }
        case PayloadKind::Repeated:
            payload_.assign(size, 'a');
            break;
        case PayloadKind::Binary:
        case PayloadKind::Random: {
            const size_t pool = options_.payload == PayloadKind::Random ? std::max<size_t>(size, 1 << 20) : 0;
            payload_.resize(size + pool);
            random_.fill(payload_);
            break;
        }
    }
}

std::span<const uint8_t> LoadWorker::nextPayload() noexcept {
    const auto size = static_cast<size_t>(std::max(0, options_.messageSize));
    if (options_.payload != PayloadKind::Random) return {payload_.data(), size};
    const size_t span = payload_.size() - size;
    payloadOffset_ = (payloadOffset_ + 4099) % (span + 1);  // a prime stride: every message differs
    return {payload_.data() + payloadOffset_, size};
}

QAbstractSocket* LoadWorker::newSocket() {
    if (options_.connection.url.scheme() != "wss") {
        auto* socket = new QTcpSocket();
        socket->setProxy(options_.connection.proxy);
        return socket;
    }
    auto* socket = new QSslSocket();
    socket->setProxy(options_.connection.proxy);
    socket->setSslConfiguration(tls_);
    if (options_.connection.tls.ignoreCertificateErrors) {
        connect(socket, &QSslSocket::sslErrors, socket, [socket] { socket->ignoreSslErrors(); });
    }
    return socket;
}

void LoadWorker::start(int64_t startNs) {
    if (pthread_getcpuclockid(pthread_self(), &cpuClock_) == 0) hasCpuClock_.store(true);
    startNs_ = startNs;
    sending_ = true;
    tick_.start(1);
    tick();
}

void LoadWorker::tick() {
    const int64_t now = loadClockNs();
    if (!stopping_) openDue(now);
    if (sending_ && !inFlightMode()) sendDue(now);
    if (now - lastTimeoutCheckNs_ >= 100 * kMsNs) {
        lastTimeoutCheckNs_ = now;
        checkTimeouts(now);
    }
}

void LoadWorker::openDue(int64_t nowNs) {
    const double rampNs = options_.rampUpSec * 1e9;
    int opened = 0;
    while (nextToOpen_ < connections_.size() && opened < kOpensPerTick) {
        const double index = static_cast<double>(first_) + static_cast<double>(nextToOpen_);
        const auto dueNs = static_cast<int64_t>(rampNs * index / std::max(1, options_.connections));
        if (startNs_ + dueNs > nowNs) break;
        connections_[nextToOpen_++]->open(nowNs);
        ++live_;
        ++opened;
    }
}

void LoadWorker::sendDue(int64_t nowNs) {
    const double elapsed = static_cast<double>(nowNs - startNs_) / 1e9;
    const auto due = static_cast<uint64_t>(rateShare_ * elapsed);
    if (due <= rateSent_) return;
    uint64_t toSend = due - rateSent_;
    rateSent_ = due;  // what cannot be sent now (no open connection, full socket) is dropped, not owed
    const size_t n = connections_.size();
    for (size_t tried = 0; toSend > 0 && tried < n; ++tried) {
        LoadConnection& connection = *connections_[nextToSend_];
        nextToSend_ = (nextToSend_ + 1) % n;
        if (connection.state() != LoadConnection::State::Open || connection.bytesToWrite() > kWriteHighWater)
            continue;
        connection.sendOne(nowNs);
        connection.flush();
        --toSend;
        tried = 0;
    }
}

void LoadWorker::checkTimeouts(int64_t nowNs) {
    const int64_t limitNs = int64_t{options_.connection.connectTimeoutMs} * kMsNs;
    for (const auto& connection : connections_) {
        const LoadConnection::State state = connection->state();
        if ((state == LoadConnection::State::Connecting || state == LoadConnection::State::Handshake) &&
            nowNs - connection->startedNs() > limitNs) {
            countError(QString("Connect timeout: %1 was not open within %2 ms.")
                           .arg(options_.connection.url.toString())
                           .arg(options_.connection.connectTimeoutMs));
            connection->abort();
        }
    }
}

void LoadWorker::stop() {
    sending_ = false;
    stopping_ = true;
    for (const auto& connection : connections_)
        connection->close();
    const int closeMs = std::clamp(options_.connection.closeTimeoutMs, 100, 2000);
    QTimer::singleShot(closeMs, this, [this] {
        for (const auto& connection : connections_)
            connection->abort();
        live_ = 0;
        checkStopped();
    });
    checkStopped();
}

void LoadWorker::checkStopped() {
    if (!stopping_ || live_ > 0) return;
    stopping_ = false;  // emit once
    tick_.stop();
    emit stopped();
}

void LoadWorker::recordEchoes(std::span<const int64_t> rttNs, uint64_t bytes) {
    const std::lock_guard lock(mutex_);
    for (const int64_t rtt : rttNs)
        latency_.record(static_cast<uint64_t>(std::max<int64_t>(0, rtt)));
    received_.fetch_add(rttNs.size(), std::memory_order_relaxed);
    bytesReceived_.fetch_add(bytes, std::memory_order_relaxed);
}

void LoadWorker::countError(const QString& sentence) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    const std::lock_guard lock(mutex_);
    if (errorSentences_.size() < kMaxErrorSentences && !errorSentences_.contains(sentence))
        errorSentences_.push_back(sentence);
}

void LoadWorker::connectionOpened() noexcept {
    opened_.fetch_add(1, std::memory_order_relaxed);
    openNow_.fetch_add(1, std::memory_order_relaxed);
}

void LoadWorker::connectionEnded(bool wasOpen) noexcept {
    if (wasOpen) openNow_.fetch_sub(1, std::memory_order_relaxed);
    --live_;
    checkStopped();
}

LoadTally LoadWorker::take() {
    LoadTally tally;
    const std::lock_guard lock(mutex_);
    tally.sent = sent_.exchange(0, std::memory_order_relaxed);
    tally.received = received_.exchange(0, std::memory_order_relaxed);
    tally.bytesReceived = bytesReceived_.exchange(0, std::memory_order_relaxed);
    tally.errors = errors_.exchange(0, std::memory_order_relaxed);
    tally.closes = closes_.exchange(0, std::memory_order_relaxed);
    tally.opened = opened_.exchange(0, std::memory_order_relaxed);
    tally.openNow = openNow_.load(std::memory_order_relaxed);
    tally.latency = latency_;
    latency_.clear();
    tally.errorSentences.swap(errorSentences_);
    return tally;
}

double LoadWorker::cpuSeconds() const noexcept {
    if (!hasCpuClock_.load()) return 0;
    timespec ts{};
    if (clock_gettime(cpuClock_, &ts) != 0) return 0;
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace framescope::app
