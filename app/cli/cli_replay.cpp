// framescope-cli replay: re-sends the client's messages of a saved capture to a server, with the original
// pacing, and compares the replies with the captured ones (app/capture/replay_runner.h).
#include <QCoreApplication>

#include <cstdio>
#include <optional>

#include "capture/capture_files.h"
#include "capture/replay_plan.h"
#include "capture/replay_runner.h"
#include "cli/cli_common.h"
#include "cli/commands.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Opens FILE (any format 'convert' reads), takes the messages the client sent on one connection (the
first with messages, or --connection N), connects to URL and sends them again with their original spacing
(--speed 2 halves it; --as-fast-as-possible sends them at once, in order). It then waits for as many
replies as the capture holds (at most --wait seconds after the last send), closes with 1000 and prints a
summary: how many replies match the captured ones, and the first difference. permessage-deflate is offered
when the captured connection used it.

Exit status: 0 when every reply matches; 1 on a difference, a missing or extra reply, or a connection
failure (one line on stderr); 2 on a usage error. --json prints the summary as one JSON object.)";

bool parseReplayOptions(const QCommandLineParser& parser, app::ReplayOptions& options, QString& error) {
    bool ok = true;
    if (parser.isSet("speed")) options.speed = parser.value("speed").toDouble(&ok);
    if (!ok || options.speed <= 0) {
        error = "--speed takes a number above 0 (2 replays twice as fast).";
        return false;
    }
    if (parser.isSet("as-fast-as-possible")) options.speed = 0;
    options.waitMs = static_cast<int>(parser.value("wait").toDouble(&ok) * 1000);
    if (!ok || options.waitMs < 0) {
        error = "--wait takes a number of seconds.";
        return false;
    }
    return true;
}

void addReplayOptions(QCommandLineParser& parser) {
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
}

int runReplay(const QStringList& args) {
    QCommandLineParser parser;
    addReplayOptions(parser);
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli replay FILE URL [options]", kEpilog, exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    app::ReplayOptions replayOptions;
    QString error;
    if (positional.size() != 2 || !parseReplayOptions(parser, replayOptions, error)) {
        printError(error.isEmpty() ? "replay takes FILE and URL; run with --help for the options." : error);
        return 2;
    }
    // The connection options are read as `connect` reads them, from the arguments without FILE.
    QStringList connectArgs = args;
    connectArgs.removeOne(positional[0]);
    parser.parse(QStringList{"framescope-cli"} + connectArgs);
    app::ConnectionOptions connection;
    if (!connectionOptionsFrom(parser, connection, error)) {
        printError(error);
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
    const app::ReplayPlan plan = app::replayPlanOf(store, connectionId);
    if (!plan.error.isEmpty()) {
        printError(plan.error);
        return 1;
    }
    app::ReplayRunner runner(plan, connection, replayOptions);
    const bool json = parser.isSet("json");
    QObject::connect(&runner, &app::ReplayRunner::finished, &runner, [&](bool ok, const QString& summary) {
        const QByteArray line =
            json ? app::replaySummaryJson(runner.plan(), runner.comparison()) : summary.toUtf8();
        std::printf("%s\n", line.constData());
        std::fflush(stdout);
        QCoreApplication::exit(ok ? 0 : 1);
    });
    QObject::connect(&runner, &app::ReplayRunner::failed, &runner, [](const QString& sentence) {
        printError(sentence);
        QCoreApplication::exit(1);
    });
    runner.start();
    return QCoreApplication::exec();
}

const CommandRegistration registration("replay", "Re-send a capture's messages and compare the replies",
                                       runReplay);

}  // namespace

}  // namespace framescope::cli
