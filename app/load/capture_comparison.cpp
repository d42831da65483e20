#include "load/capture_comparison.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QUrl>

#include <memory>

#include "capture/capture_store.h"
#include "load/e2e_rows.h"
#include "load/flood_peer.h"
#include "net/connection.h"

namespace framescope::app {

namespace {

constexpr size_t kPayloadSize = 16;
constexpr int kRoundTimeoutMs = 120000;

struct CaptureRow {
    const char* label;
    double framesPerSecond;  // the sender's pace; 0: as fast as the client reads
    uint64_t frames;         // per round
};
constexpr CaptureRow kRows[] = {{"16 B frames", 0, 2'000'000}, {"16 B frames at 1M/s", 1e6, 1'000'000}};

const bench::RowContract kCaptureContract = {
    "a server sends N unmasked binary frames of 16 B (one message each) and close 1000, over loopback, as "
    "fast "
    "as the client reads or paced at the rate the row names",
    "our client Connection (the window's, no message notifications) receives them all and answers the close; "
    "with capture every frame and note is stored in a CaptureStore, the baseline stores nothing",
    "every frame's header rules and message reassembly, the close handshake; with capture, the store holds "
    "at least N records",
    true};

struct Round {
    double seconds = 0;
    QString error;
};

// One connection from open() to Closed: N frames received, into `store` (or into no capture when null).
Round receiveFlood(uint64_t frames, double framesPerSecond, CaptureStore* store) {
    FloodPeer peer(frames, kPayloadSize, framesPerSecond);
    if (!peer.error().empty()) return {0, QString::fromStdString(peer.error())};
    ConnectionOptions options;
    options.url = QUrl(QString("ws://127.0.0.1:%1/").arg(peer.port()));
    options.notifyMessages = false;
    Connection connection(options, store, 1);
    QEventLoop loop;
    QString sentence;
    bool closedNormally = false;
    QObject::connect(&connection, &Connection::stateChanged, &loop,
                     [&](ConnectionState state, const QString& why) {
                         if (state != ConnectionState::Closed && state != ConnectionState::Failed) return;
                         closedNormally = state == ConnectionState::Closed;
                         sentence = why;
                         loop.quit();
                     });
    QTimer::singleShot(kRoundTimeoutMs, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    connection.open();
    loop.exec();
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (!closedNormally)
        return {0, sentence.isEmpty() ? QString("the flood did not end within 120 s") : sentence};
    if (!peer.error().empty()) return {0, QString::fromStdString(peer.error())};
    if (store != nullptr && store->size() < frames)
        return {0, QString("the capture holds %1 records of %2 frames").arg(store->size()).arg(frames)};
    return {seconds, {}};
}

bench::Figures figuresOf(const std::vector<double>& roundNs, uint64_t frames) {
    bench::Figures figures;
    figures.roundNs = roundNs;
    summarizeRounds(figures);
    figures.iterations = frames;
    figures.messagesPerSec = 1e9 / figures.nsPerOp;
    figures.mbPerSec = figures.messagesPerSec * kPayloadSize / 1e6;
    return figures;
}

// Interleaved rounds, capture first then none, each a fresh connection and (for capture) a fresh store.
void runRow(const bench::SuiteOptions& options, const CaptureRow& row, bench::BenchResult& result) {
    const uint64_t frames = options.quick ? 100'000 : row.frames;
    const int rounds = options.quick ? 2 : 5;
    std::vector<double> captured, bare;
    receiveFlood(frames / 10, 0, nullptr);  // warm-up: page cache, allocator, the first thread start
    for (int round = 0; round < rounds; ++round) {
        if (options.cancel != nullptr && options.cancel->load()) break;
        auto store = std::make_unique<CaptureStore>();
        const Round withCapture = receiveFlood(frames, row.framesPerSecond, store.get());
        store.reset();
        const Round without = receiveFlood(frames, row.framesPerSecond, nullptr);
        const QString error = withCapture.error.isEmpty() ? without.error : withCapture.error;
        if (!error.isEmpty()) {
            result.baseline = bench::missing("no capture", "a round failed: " + error.toStdString());
            return;
        }
        captured.push_back(withCapture.seconds * 1e9 / static_cast<double>(frames));
        bare.push_back(without.seconds * 1e9 / static_cast<double>(frames));
    }
    if (captured.empty()) {
        result.baseline = bench::missing("no capture", "cancelled");
        return;
    }
    result.figures = figuresOf(captured, frames);
    result.baseline = bench::comparison("no capture", figuresOf(bare, frames), result.figures);
}

}  // namespace

bench::RowSource captureRows() {
    std::vector<E2eRowPlan> plans;
    for (const CaptureRow& row : kRows)
        plans.push_back({"capture", row.label, kPayloadSize, 0, &kCaptureContract});
    return e2eRowSource(plans, [](const bench::SuiteOptions& options) -> E2eRowRunner {
        return [options](const E2eRowPlan& plan, bench::BenchResult& result) {
            for (const CaptureRow& row : kRows) {
                if (plan.label == row.label) runRow(options, row, result);
            }
        };
    });
}

}  // namespace framescope::app
