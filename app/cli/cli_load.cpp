// framescope-cli load: a load run against a live server (or the built-in one), headless.
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "load/artillery_export.h"
#include "load/artillery_import.h"
#include "load/k6_export.h"
#include "load/load_json.h"
#include "load/load_runner.h"
#include "net/echo_server.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(URL is ws://... or wss://..., or 'builtin' for an echo server started in this process (loopback,
ephemeral port). Messages are echoed by the server; each echo gives one round trip. Prints one line per
interval (messages/s received, MB/s, round-trip percentiles, errors, closes, the generator's CPU in cores)
and a summary with the latency histogram. --json prints the same as JSON Lines: {"type":"sample",...} per
interval, then {"type":"summary",...}. --k6 FILE writes a k6 script with these parameters and exits;
--artillery FILE writes an Artillery scenario (and FILE's base name + .processor.cjs beside it), prints a
warning line for each setting Artillery cannot express, and exits. --import-artillery REPORT.json (no URL)
prints the JSON report of 'artillery run --output REPORT.json' as samples and a summary like a local run.)";

struct LoadCliOptions {
    app::LoadOptions load;
    bool builtin = false;
    bool json = false;
    QString k6File;
    QString artilleryFile;
};

bool parseNumber(const QCommandLineParser& parser, const char* name, double min, double max, double& value,
                 QString& error) {
    if (!parser.isSet(name)) return true;
    bool ok = false;
    value = parser.value(name).toDouble(&ok);
    if (ok && value >= min && value <= max) return true;
    error = QString("--%1 takes a number from %2 to %3.").arg(name).arg(min).arg(max);
    return false;
}

bool parseInt(const QCommandLineParser& parser, const char* name, int min, int max, int& value,
              QString& error) {
    double number = value;
    if (!parseNumber(parser, name, min, max, number, error)) return false;
    value = static_cast<int>(number);
    return true;
}

bool parseLoadOptions(const QCommandLineParser& parser, LoadCliOptions& options, QString& error) {
    app::LoadOptions& load = options.load;
    options.builtin = parser.positionalArguments().value(0) == "builtin";
    if (!connectionOptionsFrom(parser, load.connection, error)) return false;
    if (parser.isSet("in-flight") && parser.isSet("rate")) {
        error = "Give --in-flight or --rate, not both.";
        return false;
    }
    if (parser.isSet("payload") && !app::payloadKindFromName(parser.value("payload"), load.payload)) {
        error = "--payload takes text, binary, random or repeated.";
        return false;
    }
    load.rawTcp = parser.isSet("raw-tcp");
    if (load.rawTcp && load.connection.url.scheme() != "ws") {
        error = "--raw-tcp sends plain TCP: give a ws:// URL with the echo server's host and port.";
        return false;
    }
    options.json = parser.isSet("json");
    options.k6File = parser.value("k6");
    options.artilleryFile = parser.value("artillery");
    return parseInt(parser, "connections", 1, 100000, load.connections, error) &&
           parseInt(parser, "size", 0, 64 << 20, load.messageSize, error) &&
           parseInt(parser, "in-flight", 1, 100000, load.inFlight, error) &&
           parseNumber(parser, "rate", 0.001, 1e9, load.rate, error) &&
           parseNumber(parser, "duration", 0.05, 86400, load.durationSec, error) &&
           parseNumber(parser, "ramp-up", 0, 86400, load.rampUpSec, error) &&
           parseInt(parser, "threads", 1, 256, load.threads, error) &&
           parseInt(parser, "interval", 50, 60000, load.sampleIntervalMs, error);
}

QString ms(double us) {
    return QString::number(us / 1000.0, 'f', 3) + " ms";
}

void printLine(const QString& line) {
    const QByteArray utf8 = line.toUtf8();
    std::fprintf(stdout, "%s\n", utf8.constData());
    std::fflush(stdout);
}

void printJson(const QJsonObject& object) {
    printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QJsonObject sampleJson(const app::LoadSample& s) {
    return app::loadSampleJson(s);
}

QJsonObject summaryJson(const app::LoadSummary& s, const app::EchoServer* server) {
    QJsonObject object = app::loadSummaryJson(s);
    object["server_messages_echoed"] =
        server ? QJsonValue(qint64(server->counters().messagesEchoed.load())) : QJsonValue();
    return object;
}

QString sampleText(const app::LoadSample& s) {
    return QString(
               "%1 s  conns %2  sent %3/s  recv %4/s  %5 MB/s  p50 %6  p90 %7  p99 %8  max %9  "
               "errors %10  closes %11  cpu %12")
        .arg(s.timeSec, 6, 'f', 1)
        .arg(s.connectionsOpen)
        .arg(s.sentPerSec, 0, 'f', 0)
        .arg(s.messagesPerSec, 0, 'f', 0)
        .arg(s.mbPerSec, 0, 'f', 2)
        .arg(ms(s.p50Us), ms(s.p90Us), ms(s.p99Us), ms(s.maxUs))
        .arg(s.errors)
        .arg(s.closes)
        .arg(s.generatorCpu, 0, 'f', 2);
}

void printSummaryText(const app::LoadSummary& s, const app::EchoServer* server) {
    printLine(QString("summary: %1 s, %2 connections opened, sent %3, received %4 (%5 msgs/s, %6 MB/s)")
                  .arg(s.elapsedSec, 0, 'f', 2)
                  .arg(s.connectionsOpened)
                  .arg(s.sent)
                  .arg(s.received)
                  .arg(s.messagesPerSec, 0, 'f', 0)
                  .arg(s.mbPerSec, 0, 'f', 2));
    printLine(QString("round trip: mean %1  p50 %2  p90 %3  p99 %4  max %5")
                  .arg(ms(s.meanUs), ms(s.p50Us), ms(s.p90Us), ms(s.p99Us), ms(s.maxUs)));
    printLine(QString("errors %1, closes %2, generator CPU %3 cores")
                  .arg(s.errors)
                  .arg(s.closes)
                  .arg(s.generatorCpu, 0, 'f', 2));
    if (server) printLine(QString("server echoed %1 messages").arg(server->counters().messagesEchoed.load()));
    for (const QString& sentence : s.errorSentences)
        printLine("error: " + sentence);
    printLine("histogram (round trip):");
    for (const auto& bin : s.histogram.decadeBins()) {
        printLine(QString("  %1 .. %2  %3")
                      .arg(ms(double(bin.lowNs) / 1e3), 12)
                      .arg(ms(double(bin.highNs) / 1e3), 12)
                      .arg(bin.count));
    }
}

bool writeK6(const LoadCliOptions& options) {
    QFile file(options.k6File);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        printError(QString("Cannot write %1: %2.").arg(options.k6File, file.errorString()));
        return false;
    }
    file.write(app::k6Script(options.load).toUtf8());
    return true;
}

bool writeArtillery(const LoadCliOptions& options) {
    QStringList warnings;
    QString error;
    if (!app::writeArtilleryExport(options.load, options.artilleryFile, &warnings, &error)) {
        printError(error);
        return false;
    }
    for (const QString& warning : warnings)
        std::fprintf(stderr, "warning: %s\n", warning.toUtf8().constData());
    return true;
}

int importArtillery(const QString& path, bool json) {
    app::ImportedLoadRun run;
    QString error;
    if (!app::importArtilleryReportFile(path, run, error)) return printError(error), 1;
    if (!json) {
        printLine(
            QString("Artillery report %1 (round trips: %2; the histogram is rebuilt from its percentiles)")
                .arg(path, run.latencyMetric.isEmpty() ? QString("none") : run.latencyMetric));
    }
    for (const app::LoadSample& sample : run.samples)
        json ? printJson(sampleJson(sample)) : printLine(sampleText(sample));
    if (!json) return printSummaryText(run.summary, nullptr), 0;
    QJsonObject summary = summaryJson(run.summary, nullptr);
    summary["source"] = "artillery";
    summary["latency_metric"] = run.latencyMetric;
    printJson(summary);
    return 0;
}

int runLoad(const QStringList& args) {
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOptions({
        {"connections", "Connections to open (default 1).", "N"},
        {"size", "Payload bytes per message (default 1024).", "B"},
        {"in-flight", "Messages outstanding per connection (default 1).", "K"},
        {"rate", "Send this many messages per second over all connections instead.", "R"},
        {"duration", "Seconds the run lasts, ramp-up included (default 10).", "S"},
        {"ramp-up", "Open the connections evenly over this many seconds (default 0).", "S"},
        {"payload", "text, binary, random or repeated (default binary).", "KIND"},
        {"threads", "Worker threads (default: one per core).", "N"},
        {"interval", "Milliseconds between samples (default 1000).", "MS"},
        {"raw-tcp",
         "No WebSocket: send the payloads as plain bytes to a plain TCP echo server at the URL's host and "
         "port, and count every --size bytes back as one echo (the limit the end-to-end benchmark "
         "measures)."},
        {"json", "Print JSON Lines: one sample per interval, then the summary."},
        {"k6", "Write a k6 script with these parameters to FILE and exit.", "FILE"},
        {"artillery", "Write an Artillery scenario with these parameters to FILE and exit.", "FILE"},
        {"import-artillery", "Print an Artillery JSON report (no URL) like a local run.", "REPORT"},
    });
    parser.addPositionalArgument("URL", "ws://... or wss://..., or builtin");
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli load URL [options]", kEpilog, exitCode))
        return exitCode;
    if (parser.isSet("import-artillery")) {
        if (!parser.positionalArguments().isEmpty()) return printError("--import-artillery takes no URL."), 2;
        return importArtillery(parser.value("import-artillery"), parser.isSet("json"));
    }
    LoadCliOptions options;
    QString error;
    if (!parseLoadOptions(parser, options, error)) {
        printError(error);
        return 2;
    }
    std::unique_ptr<app::EchoServer> server;
    if (options.builtin) {
        server = std::make_unique<app::EchoServer>(app::EchoServerOptions{});
        if (!server->start(&error)) return printError(error), 1;
        options.load.connection.url = server->url();
    }
    if (!options.k6File.isEmpty()) return writeK6(options) ? 0 : 1;
    if (!options.artilleryFile.isEmpty()) return writeArtillery(options) ? 0 : 1;
    app::LoadRunner runner;
    QObject::connect(&runner, &app::LoadRunner::sampled, [&](const app::LoadSample& sample) {
        options.json ? printJson(sampleJson(sample)) : printLine(sampleText(sample));
    });
    QObject::connect(&runner, &app::LoadRunner::finished, [&](const app::LoadSummary& summary) {
        options.json ? printJson(summaryJson(summary, server.get()))
                     : printSummaryText(summary, server.get());
        if (summary.connectionsOpened == 0) {
            printError(summary.errorSentences.value(0, "No connection could be opened."));
            QCoreApplication::exit(1);
        } else {
            QCoreApplication::exit(0);
        }
    });
    if (!runner.start(options.load, &error)) return printError(error), 2;
    return QCoreApplication::exec();
}

const CommandRegistration registration("load", "Run a load test against a live server (or the built-in one)",
                                       runLoad);

}  // namespace

}  // namespace framescope::cli
