// framescope-capture-bench: resident memory of a million captured frames, and how fast a writer thread can
// append while the capture model's event loop runs (rate, and the longest gap between 16 ms timer ticks).
// Prints figures; asserts nothing about timings. Usage: framescope-capture-bench [ingest frames]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "capture/capture_model.h"
#include "capture/capture_store.h"

using namespace framescope;
using namespace framescope::app;

namespace {

constexpr size_t kMemoryFrames = 1'000'000;
constexpr size_t kMemoryPayload = 100;
constexpr double kMemoryBudgetMb = 300.0;
constexpr size_t kDefaultIngestFrames = 5'000'000;
constexpr double kStallBudgetMs = 50.0;
constexpr int kTickMs = 16;
constexpr int kPaintedRows = 40;  // what a view repaints after each insert (the rows in sight)

double mb(double bytes) {
    return bytes / (1024.0 * 1024.0);
}

// VmRSS from /proc/self/status, in bytes.
double residentBytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toDouble() * 1024.0;
    }
    return 0;
}

// One frame whose views point into its own storage; `setPayload` swaps the text without allocating.
struct BenchFrame {
    std::array<uint8_t, kMaxFrameHeaderSize> raw{};
    std::vector<uint8_t> bytes;
    CapturedFrame frame;

    BenchFrame(size_t payloadSize, Direction direction) : bytes(payloadSize, 'a') {
        frame.direction = direction;
        frame.connectionId = 1;
        frame.header.opcode = opcode::kText;
        frame.header.masked = direction == Direction::Outgoing;
        frame.header.maskKey = {1, 2, 3, 4};
        frame.header.payloadLength = payloadSize;
        frame.header.lengthEncoding = minimalLengthEncoding(payloadSize);
        frame.header.headerSize =
            static_cast<uint8_t>(frameHeaderSize(frame.header.lengthEncoding, frame.header.masked));
        frame.rawHeader = std::span<const uint8_t>(raw.data(), encodeFrameHeader(frame.header, raw.data()));
        frame.payload = bytes;
        frame.endsMessage = true;
        frame.messageWireSize = payloadSize;
    }
    void stamp(uint64_t i) {
        frame.timestampUs = static_cast<int64_t>(i);
        frame.messageIndex = i;
        // Every 100th frame carries the word the filtered runs search for.
        char text[32];
        const int n = std::snprintf(text, sizeof text, "%s %llu", i % 100 == 0 ? "needle" : "straws",
                                    static_cast<unsigned long long>(i));
        std::fill(bytes.begin(), bytes.end(), static_cast<uint8_t>('.'));
        std::copy_n(text, std::min(static_cast<size_t>(n), bytes.size()), bytes.begin());
    }
};

void memoryBench() {
    const double before = residentBytes();
    CaptureStore store;
    BenchFrame incoming(kMemoryPayload, Direction::Incoming);
    BenchFrame outgoing(kMemoryPayload, Direction::Outgoing);
    QElapsedTimer clock;
    clock.start();
    for (size_t i = 0; i < kMemoryFrames; ++i) {
        BenchFrame& f = i % 2 == 0 ? incoming : outgoing;
        f.stamp(i);
        store.addFrame(f.frame);
    }
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    const double rss = residentBytes() - before;
    const CaptureMemory m = store.memory();
    std::printf("memory: %zu frames of %zu bytes: RSS +%.1f MB = %.1f bytes/frame (budget < %.0f MB: %s)\n",
                kMemoryFrames, kMemoryPayload, mb(rss), rss / static_cast<double>(kMemoryFrames),
                kMemoryBudgetMb, mb(rss) < kMemoryBudgetMb ? "within" : "OVER");
    std::printf(
        "        store accounts %.1f MB: records %.1f MB (%zu bytes each), arena %.1f MB in %zu chunks\n",
        mb(static_cast<double>(store.bytesUsed())), mb(static_cast<double>(m.recordBytes)),
        sizeof(CaptureRecord), mb(static_cast<double>(m.arenaBytes)), m.arenaChunks);
    std::printf("append, one thread, no model: %.2f M frames/s\n",
                static_cast<double>(kMemoryFrames) / seconds / 1e6);
}

struct IngestFigures {
    double writerSeconds = 0;
    double catchUpMs = 0;  // from the writer's last frame to the model showing it
    double longestGapMs = 0;
    size_t ticks = 0;
    size_t inserts = 0;
    int rows = 0;
};

// A view's work per announcement: build the text of the rows in sight at the bottom (auto-scroll).
void paintBottom(const CaptureModel& model) {
    const int last = model.rowCount() - 1;
    for (int row = std::max(0, last - kPaintedRows + 1); row <= last; ++row) {
        for (int column = 0; column < CaptureModel::ColumnCount; ++column) {
            (void)model.data(model.index(row, column), Qt::DisplayRole);
            (void)model.data(model.index(row, column), Qt::ForegroundRole);
        }
    }
}

IngestFigures ingest(size_t frames, const CaptureFilter& filter, int expectedRows) {
    CaptureStore store;
    CaptureModel model(store);
    model.setFilter(filter);
    IngestFigures figures;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, [&] {
        ++figures.inserts;
        paintBottom(model);
    });

    std::atomic<bool> writerDone{false};
    QElapsedTimer sinceDone;
    QElapsedTimer writerClock;
    QEventLoop loop;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kTickMs);
    QElapsedTimer gap;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        figures.longestGapMs = std::max(figures.longestGapMs, static_cast<double>(gap.nsecsElapsed()) / 1e6);
        gap.start();
        ++figures.ticks;
        if (writerDone.load(std::memory_order_acquire) && model.rowCount() == expectedRows) loop.quit();
    });

    writerClock.start();
    std::thread writer([&] {
        BenchFrame f(16, Direction::Incoming);
        for (size_t i = 0; i < frames; ++i) {
            f.stamp(i);
            store.addFrame(f.frame);
        }
        figures.writerSeconds = static_cast<double>(writerClock.nsecsElapsed()) / 1e9;
        sinceDone.start();
        writerDone.store(true, std::memory_order_release);
    });
    gap.start();
    probe.start();
    loop.exec();
    writer.join();
    figures.catchUpMs = static_cast<double>(sinceDone.nsecsElapsed()) / 1e6;
    figures.rows = model.rowCount();
    return figures;
}

void printIngest(const char* name, size_t frames, const IngestFigures& f) {
    std::printf(
        "ingest, %s: %zu frames in %.2f s = %.2f M frames/s; model caught up %.0f ms after the writer, "
        "%d rows\n",
        name, frames, f.writerSeconds, static_cast<double>(frames) / f.writerSeconds / 1e6, f.catchUpMs,
        f.rows);
    std::printf(
        "        %zu ticks, %zu inserts; longest gap between %d ms ticks: %.1f ms (budget %.0f ms: %s)\n",
        f.ticks, f.inserts, kTickMs, f.longestGapMs, kStallBudgetMs,
        f.longestGapMs <= kStallBudgetMs ? "within" : "OVER");
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    size_t frames = kDefaultIngestFrames;
    if (argc > 1) frames = static_cast<size_t>(std::max(1ll, std::atoll(argv[1])));

    memoryBench();

    printIngest("unfiltered", frames, ingest(frames, {}, static_cast<int>(frames)));

    CaptureFilter search;
    search.search = QStringLiteral("NEEDLE");  // case-insensitive: every 100th frame
    printIngest("text search", frames, ingest(frames, search, static_cast<int>((frames + 99) / 100)));

    CaptureFilter regex;
    regex.search = QStringLiteral("^needle \\d+\\.*$");
    regex.searchMode = SearchMode::Regex;
    printIngest("regex search", frames, ingest(frames, regex, static_cast<int>((frames + 99) / 100)));
    return 0;
}
