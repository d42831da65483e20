// framescope-cli replay: re-sends the client's messages of a saved capture to a server, with the original
// pacing, and compares the replies with the captured ones.
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <memory>

#include "capture/capture_files.h"
#include "capture/replay_plan.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "framescope/close_code.h"
#include "net/connection.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Opens FILE (any format 'convert' reads), takes the messages the client sent on one connection (the
first with messages, or --connection N), connects to URL and sends them again with their original spacing
(--speed 2 halves it; --as-fast-as-possible sends each as soon as the previous one is written). It then
waits for as many replies as the capture holds (at most --wait seconds after the last send), closes with
1000 and prints a summary: how many replies match the captured ones, and the first difference.
permessage-deflate is offered when the captured connection used it.

Exit status: 0 when every reply matches; 1 on a difference, a missing or extra reply, or a connection
failure (one line on stderr); 2 on a usage error. --json prints the summary as one JSON object.)";

struct ReplayRun {
    app::ReplayPlan plan;
    QList<app::ReplayMessage> received;
    double speed = 1.0;
    int waitMs = 5000;
    bool json = false;
    bool finished = false;
    qsizetype sent = 0;
    // Every message sent and as many replies as the capture holds: no need to wait longer.
    bool complete() const { return sent == plan.send.size() && received.size() >= plan.expect.size(); }
};

void finish(app::Connection& connection, ReplayRun& run) {
    if (run.finished) return;
    run.finished = true;
    const app::ReplayComparison comparison = app::compareReplies(run.plan.expect, run.received);
    if (run.json) {
        std::printf("%s\n", app::replaySummaryJson(run.plan, comparison).constData());
    } else {
        std::printf("%s\n", qPrintable(app::replaySummary(run.plan, comparison)));
    }
    std::fflush(stdout);
    connection.sendClose(close_code::kNormal);
    QTimer::singleShot(2000, [ok = comparison.ok()] { QCoreApplication::exit(ok ? 0 : 1); });
    QObject::connect(&connection, &app::Connection::stateChanged, &connection,
                     [ok = comparison.ok()](app::ConnectionState state, const QString&) {
                         if (state == app::ConnectionState::Closed || state == app::ConnectionState::Failed)
                             QCoreApplication::exit(ok ? 0 : 1);
                     });
}

void scheduleSends(app::Connection& connection, ReplayRun& run) {
    const int64_t start = run.plan.send.first().timeUs;
    int lastMs = 0;
    for (const app::ReplayMessage& m : run.plan.send) {
        const int at =
            run.speed <= 0 ? 0 : static_cast<int>(static_cast<double>(m.timeUs - start) / 1000.0 / run.speed);
        lastMs = std::max(lastMs, at);
        QTimer::singleShot(at, &connection, [&connection, &run, m] {
            m.text ? connection.sendText(QString::fromUtf8(m.payload)) : connection.sendBinary(m.payload);
            ++run.sent;
            if (run.complete()) finish(connection, run);
        });
    }
    QTimer::singleShot(lastMs + run.waitMs, &connection, [&connection, &run] { finish(connection, run); });
}

bool parseReplayOptions(const QCommandLineParser& parser, ReplayRun& run, QString& error) {
    bool ok = true;
    if (parser.isSet("speed")) run.speed = parser.value("speed").toDouble(&ok);
    if (!ok || run.speed <= 0) {
        error = "--speed takes a number above 0 (2 replays twice as fast).";
        return false;
    }
    if (parser.isSet("as-fast-as-possible")) run.speed = 0;
    run.waitMs = static_cast<int>(parser.value("wait").toDouble(&ok) * 1000);
    if (!ok || run.waitMs < 0) {
        error = "--wait takes a number of seconds.";
        return false;
    }
    run.json = parser.isSet("json");
    return true;
}

int runReplay(const QStringList& args) {
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOptions({
        {"speed", "Replay X times faster than captured (default 1).", "X"},
        {"as-fast-as-possible", "Send every message without waiting."},
        {"connection", "Replay this connection of the capture (default: the first with messages).", "N"},
        {"wait", "Seconds to wait for replies after the last send (default 5).", "S", "5"},
        {"json", "Print the summary as one JSON object."},
    });
    parser.addPositionalArgument("FILE", "The capture to replay.");
    parser.addPositionalArgument("URL", "ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli replay FILE URL [options]", kEpilog, exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    ReplayRun run;
    QString error;
    if (positional.size() != 2 || !parseReplayOptions(parser, run, error)) {
        printError(error.isEmpty() ? "replay takes FILE and URL; run with --help for the options." : error);
        return 2;
    }
    app::CaptureStoreOptions storeOptions;
    storeOptions.payloadCap = UINT32_MAX;
    storeOptions.inflatedCap = UINT32_MAX;
    app::CaptureStore store(storeOptions);
    if (app::openCaptureFile(positional[0], store, &error) < 0) {
        printError(error);
        return 1;
    }
    std::optional<uint32_t> connectionId;
    if (parser.isSet("connection")) connectionId = parser.value("connection").toUInt();
    run.plan = app::replayPlanOf(store, connectionId);
    if (!run.plan.error.isEmpty()) {
        printError(run.plan.error);
        return 1;
    }
    // The connection options are parsed as `connect` parses them, from the arguments without FILE.
    QStringList connectArgs = args;
    connectArgs.removeOne(positional[0]);
    parser.parse(QStringList{"framescope-cli"} + connectArgs);
    app::ConnectionOptions options;
    if (!connectionOptionsFrom(parser, options, error)) {
        printError(error);
        return 2;
    }
    if (run.plan.deflate && !options.deflate) options.deflate = DeflateOffer{};
    app::Connection connection(options, nullptr, 1);
    QObject::connect(&connection, &app::Connection::messageReceived, &connection,
                     [&](bool text, const QByteArray& payload) {
                         run.received.append({0, text, payload});
                         if (run.complete()) finish(connection, run);
                     });
    QObject::connect(&connection, &app::Connection::stateChanged, &connection,
                     [&](app::ConnectionState state, const QString& sentence) {
                         if (state == app::ConnectionState::Open) scheduleSends(connection, run);
                         if (state == app::ConnectionState::Failed && !run.finished) {
                             printError(sentence);
                             QCoreApplication::exit(1);
                         }
                     });
    connection.open();
    return QCoreApplication::exec();
}

const CommandRegistration registration("replay", "Re-send a capture's messages and compare the replies",
                                       runReplay);

}  // namespace

}  // namespace framescope::cli
