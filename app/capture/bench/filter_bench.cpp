// framescope-filter-bench: how long the window's event loop stalls when the user sets a search or a filter
// over a big capture, and how long until the filter is complete. The store is filled with realistic
// frames (JSON texts of 60-200 bytes, binary frames, pings, notes; three connections, both directions);
// frames keep arriving from a writer thread while filtering, as in a live capture. Each filter is set
// through CaptureModel::setFilter, as the log's filter bar does, from inside the event loop, while a 1 ms
// timer records the longest gap between its ticks and a view's work (the rows in sight) follows every
// reset and insert. For comparison it also times one pass of the matcher over the store on one thread
// (the stall a filter built on the GUI thread would cause). Then the same for saving the first N rows
// (and the filtered rows) as JSON Lines, CSV and a session file through CaptureSaveJob, as File → Save and
// Export do, against the same write on the event loop's thread. Prints figures; asserts nothing about
// timings.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <QTemporaryDir>

#include "capture/capture_model.h"
#include "capture/capture_save_job.h"
#include "capture/capture_store.h"

using namespace framescope;
using namespace framescope::app;

namespace {

constexpr int kProbeMs = 1;
constexpr double kStallBudgetMs = 50.0;
constexpr int kPaintedRows = 40;
constexpr size_t kLiveFramesPerSecond = 20'000;

const char* const kUsage =
    "Usage: framescope-filter-bench [--rows N[,N...]] [--runs R] [--no-export]\n"
    "  --rows       store sizes to measure (default 1000000,5000000)\n"
    "  --runs       runs of each filter and export (default 3)\n"
    "  --no-export  filters only\n";

// Fills frames whose views point into this object's storage.
class FrameMaker {
public:
    void add(CaptureStore& store, uint64_t i) {
        static constexpr std::array<const char*, 4> kEvents = {"trade", "quote", "heartbeat", "order"};
        const bool ping = i % 97 == 0;
        const bool binary = !ping && i % 11 == 0;
        text_ = "{\"event\":\"" + std::string(kEvents[i % kEvents.size()]) +
                "\",\"seq\":" + std::to_string(i) + ",\"symbol\":\"" + (i % 100 == 0 ? "NEEDLE" : "BTC-USD") +
                "\",\"price\":" + std::to_string(20'000 + i % 5'000) + ".25,\"note\":\"" +
                std::string(i % 140, 'x') + "\"}";
        CapturedFrame f;
        f.timestampUs = static_cast<int64_t>(i * 50);
        f.connectionId = static_cast<uint32_t>(1 + i % 3);
        f.direction = i % 3 == 0 ? Direction::Outgoing : Direction::Incoming;
        f.header.opcode = ping ? opcode::kPing : (binary ? opcode::kBinary : opcode::kText);
        f.header.fin = true;
        f.header.masked = f.direction == Direction::Outgoing;
        f.header.maskKey = {1, 2, 3, 4};
        const size_t size = ping ? 4 : text_.size();
        f.header.payloadLength = size;
        f.header.lengthEncoding = minimalLengthEncoding(size);
        f.header.headerSize = static_cast<uint8_t>(frameHeaderSize(f.header.lengthEncoding, f.header.masked));
        f.rawHeader = std::span<const uint8_t>(raw_.data(), encodeFrameHeader(f.header, raw_.data()));
        f.payload = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text_.data()), size);
        f.endsMessage = !ping;
        f.messageIndex = ping ? kNoMessage : i;
        f.messageWireSize = size;
        store.addFrame(f);
    }

private:
    std::string text_;
    std::array<uint8_t, kMaxFrameHeaderSize> raw_{};
};

// A view's work after a reset or an insert: the text of the rows in sight at the bottom.
void paintBottom(const CaptureModel& model) {
    const int last = model.rowCount() - 1;
    for (int row = std::max(0, last - kPaintedRows + 1); row <= last; ++row) {
        for (int column = 0; column < CaptureModel::ColumnCount; ++column)
            (void)model.data(model.index(row, column), Qt::DisplayRole);
    }
}

struct Run {
    double longestGapMs = 0;
    double doneMs = 0;
    int rows = 0;
};

// Sets `filter` from inside the event loop; returns when the worker is done.
Run measure(CaptureModel& model, const CaptureFilter& filter) {
    Run run;
    QEventLoop loop;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kProbeMs);
    QElapsedTimer gap;
    QElapsedTimer sinceSet;
    bool set = false;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        run.longestGapMs = std::max(run.longestGapMs, static_cast<double>(gap.nsecsElapsed()) / 1e6);
        gap.start();
        if (set && !model.isFiltering()) loop.quit();
    });
    QTimer::singleShot(20, &model, [&] {
        sinceSet.start();
        model.setFilter(filter);
        set = true;
    });
    gap.start();
    probe.start();
    loop.exec();
    run.doneMs = static_cast<double>(sinceSet.nsecsElapsed()) / 1e6;
    run.rows = model.rowCount();
    return run;
}

// The same work on one thread: what a filter built on the GUI thread would stall for.
double oneThreadMs(const CaptureStore& store, const CaptureFilter& filter, size_t& found) {
    const CaptureFilterMatcher matcher(filter);
    QElapsedTimer clock;
    clock.start();
    const size_t end = store.size();
    found = 0;
    for (size_t row = 0; row < end; ++row)
        found += matcher.matches(store, row) ? 1 : 0;
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

QString figures(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'f', 1);
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return QStringLiteral("%1 (min %2, max %3)")
        .arg(parts.join(QStringLiteral(" / ")))
        .arg(*low, 0, 'f', 1)
        .arg(*high, 0, 'f', 1);
}

struct ExportRun {
    double longestGapMs = 0;
    double doneMs = 0;
    qint64 rows = 0;
};

// Starts a save of `rows` from inside the event loop; returns when the worker is done.
ExportRun measureExport(CaptureModel& model, const QString& path, std::vector<size_t> rows) {
    ExportRun run;
    CaptureSaveJob job;
    QEventLoop loop;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kProbeMs);
    QElapsedTimer gap;
    QElapsedTimer sinceStart;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        run.longestGapMs = std::max(run.longestGapMs, static_cast<double>(gap.nsecsElapsed()) / 1e6);
        gap.start();
    });
    QObject::connect(&job, &CaptureSaveJob::finished, [&](qint64 written, const QString& error, bool) {
        run.rows = written;
        if (written < 0) std::fprintf(stderr, "%s\n", qPrintable(error));
        loop.quit();
    });
    QTimer::singleShot(20, &model, [&] {
        sinceStart.start();
        SaveOptions options;
        options.withNotes = true;
        options.decoded = true;  // as the window saves
        job.startSave(model.store(), path, options, std::move(rows));
    });
    gap.start();
    probe.start();
    loop.exec();
    run.doneMs = static_cast<double>(sinceStart.nsecsElapsed()) / 1e6;
    QFile::remove(path);
    return run;
}

// Saves the first `rows` rows (the filled ones; frames keep arriving behind them) and the filtered rows.
void benchExports(CaptureModel& model, size_t rows, int runs) {
    std::vector<size_t> first(rows);
    for (size_t row = 0; row < rows; ++row)
        first[row] = row;
    QTemporaryDir dir;
    CaptureFilter binary;
    binary.opcodes = CaptureFilter::opcodeBit(opcode::kBinary);
    measure(model, binary);
    std::vector<size_t> filtered;
    for (int row = 0; row < model.rowCount(); ++row)
        filtered.push_back(model.storeRow(row));
    measure(model, {});
    for (const char* name : {"export.jsonl", "export.csv", "export.fscap"}) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        for (const bool all : {true, false}) {
            std::vector<double> gaps;
            std::vector<double> done;
            qint64 written = 0;
            for (int i = 0; i < runs; ++i) {
                const ExportRun run = measureExport(model, path, all ? first : filtered);
                gaps.push_back(run.longestGapMs);
                done.push_back(run.doneMs);
                written = run.rows;
            }
            const double worst = *std::max_element(gaps.begin(), gaps.end());
            std::printf("  save %s, %s: %lld rows written\n", name,
                        all ? "the first rows" : "filtered rows (binary)", static_cast<long long>(written));
            std::printf("    longest event-loop gap, ms: %s (budget %.0f ms: %s)\n",
                        qPrintable(figures(gaps)), kStallBudgetMs,
                        worst <= kStallBudgetMs ? "within" : "OVER");
            std::printf("    file complete after, ms: %s\n", qPrintable(figures(done)));
        }
        QElapsedTimer clock;  // the same save on this thread: what the GUI thread stalled for before
        clock.start();
        SaveOptions options;
        options.withNotes = true;
        options.decoded = true;
        options.rows = RowSet(&first);
        QString error;
        const qint64 written = saveCaptureFile(model.store(), path, options, &error);
        std::printf("    the same save on the event loop's thread (the stall before): %.1f ms, %lld rows\n",
                    static_cast<double>(clock.nsecsElapsed()) / 1e6, static_cast<long long>(written));
        QFile::remove(path);
    }
}

void benchRows(size_t rows, int runs, bool exports) {
    CaptureStore store;
    FrameMaker maker;
    QElapsedTimer fillClock;
    fillClock.start();
    for (size_t i = 0; i < rows; ++i)
        maker.add(store, i);
    std::printf("%zu rows filled in %.1f s (%.0f MB)\n", rows, static_cast<double>(fillClock.elapsed()) / 1e3,
                static_cast<double>(store.bytesUsed()) / (1 << 20));
    CaptureModel model(store);
    model.fetchPublished();
    QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { paintBottom(model); });
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, [&] { paintBottom(model); });

    std::atomic<bool> stop{false};
    std::thread writer([&] {  // the capture goes on: kLiveFramesPerSecond, in batches every 10 ms
        FrameMaker live;
        for (uint64_t i = rows; !stop.load(std::memory_order_relaxed); ++i) {
            live.add(store, i);
            if (i % (kLiveFramesPerSecond / 100) == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });

    struct Named {
        const char* name;
        CaptureFilter filter;
    };
    std::vector<Named> filters(3);
    filters[0] = {"text search \"needle\"", {}};
    filters[0].filter.search = QStringLiteral("needle");
    filters[1] = {"regex search", {}};
    filters[1].filter.search = QStringLiteral("\"event\":\"(trade|order)\".*\"symbol\":\"NEEDLE\"");
    filters[1].filter.searchMode = SearchMode::Regex;
    filters[2] = {"opcode filter (binary)", {}};
    filters[2].filter.opcodes = CaptureFilter::opcodeBit(opcode::kBinary);
    for (const Named& named : filters) {
        std::vector<double> gaps;
        std::vector<double> done;
        int shown = 0;
        for (int i = 0; i < runs; ++i) {
            measure(model, {});  // back to every row, as a user clearing the search
            const Run run = measure(model, named.filter);
            gaps.push_back(run.longestGapMs);
            done.push_back(run.doneMs);
            shown = run.rows;
        }
        size_t found = 0;
        const double before = oneThreadMs(store, named.filter, found);
        const double worst = *std::max_element(gaps.begin(), gaps.end());
        std::printf("  %s: %d rows shown\n", named.name, shown);
        std::printf("    longest event-loop gap, ms: %s (budget %.0f ms: %s)\n", qPrintable(figures(gaps)),
                    kStallBudgetMs, worst <= kStallBudgetMs ? "within" : "OVER");
        std::printf("    filter complete after, ms: %s\n", qPrintable(figures(done)));
        std::printf("    one pass on one thread (the stall of a GUI-thread filter): %.1f ms, %zu rows\n",
                    before, found);
    }
    if (exports) benchExports(model, rows, runs);
    stop.store(true);
    writer.join();
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    std::vector<size_t> sizes = {1'000'000, 5'000'000};
    int runs = 3;
    bool exports = true;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& arg = args[i];
        bool ok = i + 1 < args.size();
        if (arg == QLatin1String("--help")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == QLatin1String("--rows") && ok) {
            sizes.clear();
            for (const QString& part : args[++i].split(QLatin1Char(',')))
                if (const qulonglong n = part.toULongLong(&ok); ok && n > 0) sizes.push_back(n);
            ok = ok && !sizes.empty();
        } else if (arg == QLatin1String("--no-export")) {
            exports = false;
            ok = true;
        } else if (arg == QLatin1String("--runs") && ok) {
            runs = args[++i].toInt(&ok);
            ok = ok && runs > 0;
        } else {
            ok = false;
        }
        if (!ok) {
            std::fprintf(stderr, "framescope-filter-bench: bad argument \"%s\".\n%s", qPrintable(arg),
                         kUsage);
            return 2;
        }
    }
    for (const size_t rows : sizes)
        benchRows(rows, runs, exports);
    return 0;
}
