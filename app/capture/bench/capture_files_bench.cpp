// framescope-capture-files-bench: save and open times of a session file of a million frames (the issue's
// budget is 2 s each), resident memory of the capture before saving and after opening, and the same for a
// pcapng export and its import. Prints figures; asserts nothing about timings.
// Usage: framescope-capture-files-bench [FRAMES [PAYLOAD_BYTES [DIRECTORY]]]; --help prints it; a bad
// argument is one line on stderr and exit 2.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
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

struct Arguments {
    size_t frames = 1'000'000;
    size_t payload = 100;
    QString directory;  // empty: a temporary one
};

constexpr qulonglong kMaxFrames = qulonglong{1} << 32;
constexpr qulonglong kMaxPayload = qulonglong{1} << 30;
constexpr const char* kUsage =
    "Usage: framescope-capture-files-bench [FRAMES [PAYLOAD_BYTES [DIRECTORY]]]\n"
    "Saves and opens FRAMES frames (default 1000000) of PAYLOAD_BYTES bytes (default 100) as a session\n"
    "file and as pcapng in DIRECTORY (default: a temporary one), and prints the times and memory.\n";

// A whole number from 1 to `max`, or nullopt.
std::optional<size_t> positive(const QString& text, qulonglong max) {
    bool ok = false;
    const qulonglong value = text.toULongLong(&ok);
    if (!ok || value == 0 || value > max) return std::nullopt;
    return static_cast<size_t>(value);
}

// What is wrong with the arguments, or an empty string.
std::string problemWith(const QStringList& args) {
    if (args.size() > 4) return "too many arguments";
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i].startsWith(QLatin1Char('-'))) return "unknown option " + args[i].toStdString();
    }
    if (args.size() > 1 && !positive(args[1], kMaxFrames))
        return "FRAMES must be a whole number from 1 to 4294967296, not " + args[1].toStdString();
    if (args.size() > 2 && !positive(args[2], kMaxPayload))
        return "PAYLOAD_BYTES must be a whole number from 1 to 1073741824, not " + args[2].toStdString();
    if (args.size() > 3 && !QFileInfo(args[3]).isDir()) return args[3].toStdString() + " is not a directory";
    return {};
}

// Exit code 0 with usage printed for --help, 2 for a bad argument, -1 to run.
int parseArguments(const QStringList& args, Arguments& out) {
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (const std::string problem = problemWith(args); !problem.empty()) {
        std::fprintf(stderr, "framescope-capture-files-bench: %s (see --help)\n", problem.c_str());
        return 2;
    }
    if (args.size() > 1) out.frames = *positive(args[1], kMaxFrames);
    if (args.size() > 2) out.payload = *positive(args[2], kMaxPayload);
    if (args.size() > 3) out.directory = args[3];
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    Arguments arguments;
    if (const int exitCode = parseArguments(app.arguments(), arguments); exitCode >= 0) return exitCode;
    QTemporaryDir temporary;
    const QString dir = arguments.directory.isEmpty() ? temporary.path() : arguments.directory;
    roundTrip("session", QDir(dir).filePath("bench.fscap"), arguments.frames, arguments.payload);
    roundTrip("pcapng", QDir(dir).filePath("bench.pcapng"), arguments.frames, arguments.payload);
    return 0;
}
