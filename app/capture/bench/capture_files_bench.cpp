// framescope-capture-files-bench: save and open times of a session file of a million frames (the issue's
// budget is 2 s each), resident memory of the capture before saving and after opening, and the same for a
// pcapng export and its import. Prints figures; asserts nothing about timings.
// Usage: framescope-capture-files-bench [frames] [payload bytes] [directory]
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <array>
#include <cstdio>
#include <memory>
#include <vector>

#include "capture/capture_files.h"
#include "capture/capture_store.h"

using namespace framescope;
using namespace framescope::app;

namespace {

double mb(double bytes) {
    return bytes / (1024.0 * 1024.0);
}

double residentBytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toDouble() * 1024.0;
    }
    return 0;
}

// A conversation of text messages: even frames from the client (masked), odd ones echoed by the server.
void fill(CaptureStore& store, size_t frames, size_t payloadSize) {
    std::vector<uint8_t> payload(payloadSize, 'p');
    std::array<uint8_t, kMaxFrameHeaderSize> raw{};
    CapturedConnection c;
    c.connectionId = 1;
    c.ipVersion = 4;
    c.clientAddress = {127, 0, 0, 1};
    c.serverAddress = {127, 0, 0, 1};
    c.clientPort = 50000;
    c.serverPort = 8080;
    store.addConnection(c);
    for (size_t i = 0; i < frames; ++i) {
        CapturedFrame f;
        f.direction = i % 2 == 0 ? Direction::Outgoing : Direction::Incoming;
        f.connectionId = 1;
        f.timestampUs = 1700000000000000 + static_cast<int64_t>(i) * 10;
        f.header.opcode = opcode::kText;
        f.header.masked = f.direction == Direction::Outgoing;
        f.header.maskKey = {uint8_t(i), 2, 3, 4};
        f.header.payloadLength = payloadSize;
        f.header.lengthEncoding = minimalLengthEncoding(payloadSize);
        f.header.headerSize = static_cast<uint8_t>(frameHeaderSize(f.header.lengthEncoding, f.header.masked));
        f.rawHeader = std::span<const uint8_t>(raw.data(), encodeFrameHeader(f.header, raw.data()));
        std::snprintf(reinterpret_cast<char*>(payload.data()), payloadSize, "message %zu", i / 2);
        f.payload = payload;
        f.messageIndex = i / 2;
        f.endsMessage = true;
        f.messageWireSize = payloadSize;
        store.addFrame(f);
    }
}

struct Timed {
    double seconds;
    qint64 rows;
};

template <typename F>
Timed timed(F&& f) {
    QElapsedTimer timer;
    timer.start();
    const qint64 rows = f();
    return {static_cast<double>(timer.nsecsElapsed()) / 1e9, rows};
}

void roundTrip(const char* name, const QString& path, size_t frames, size_t payloadSize) {
    const double base = residentBytes();
    auto store = std::make_unique<CaptureStore>();
    fill(*store, frames, payloadSize);
    const double filled = residentBytes() - base;
    QString error;
    const Timed save = timed([&] { return saveCaptureFile(*store, path, {}, &error); });
    if (save.rows < 0) std::fprintf(stderr, "%s\n", qPrintable(error));
    store.reset();
    const double beforeOpen = residentBytes();
    auto opened = std::make_unique<CaptureStore>();
    const Timed open = timed([&] { return openCaptureFile(path, *opened, &error); });
    if (open.rows < 0) std::fprintf(stderr, "%s\n", qPrintable(error));
    const double openedRss = residentBytes() - beforeOpen;
    std::printf(
        "%-8s %9zu frames x %4zu B  file %8.1f MB  save %6.3f s  open %6.3f s (%lld rows)  "
        "RSS live %6.1f MB (%5.1f B/frame)  opened %6.1f MB (%5.1f B/frame)\n",
        name, frames, payloadSize, mb(static_cast<double>(QFileInfo(path).size())), save.seconds,
        open.seconds, static_cast<long long>(open.rows), mb(filled), filled / static_cast<double>(frames),
        mb(openedRss), openedRss / static_cast<double>(frames));
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const size_t frames = args.size() > 1 ? args[1].toULongLong() : 1'000'000;
    const size_t payload = args.size() > 2 ? args[2].toULongLong() : 100;
    QTemporaryDir temporary;
    const QString dir = args.size() > 3 ? args[3] : temporary.path();
    roundTrip("session", QDir(dir).filePath("bench.fscap"), frames, payload);
    roundTrip("pcapng", QDir(dir).filePath("bench.pcapng"), frames, payload);
    return 0;
}
