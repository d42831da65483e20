// framescope-cli serve: the built-in echo server.
#include <QCoreApplication>
#include <QHostAddress>

#include <cstdio>

#include "cli/cli_common.h"
#include "cli/cli_save.h"
#include "cli/commands.h"
#include "net/echo_server.h"
#include "net/json_lines.h"
#include "process/quit_on_signals.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Prints "listening on ws://HOST:PORT/" (wss:// with --cert and --key) as its first line, then serves
until it is killed: echoes every message with its opcode, answers pings, completes closes. With --json,
every captured frame of every client follows as JSON Lines (fields as in 'connect --help'; conn is the
client's connection id, from 1).)";

bool parseServeOptions(const QCommandLineParser& parser, app::EchoServerOptions& options, QString& error) {
    const QString host = parser.value("host");
    options.host = host == "localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (options.host.isNull()) {
        error = QString("--host takes an IP address, not '%1'.").arg(host);
        return false;
    }
    bool ok = false;
    const uint port = parser.value("port").toUInt(&ok);
    if (!ok || port > 65535) {
        error = "--port takes a number from 0 (any free port) to 65535.";
        return false;
    }
    options.port = static_cast<quint16>(port);
    options.deflate = !parser.isSet("no-deflate");
    if (parser.isSet("max-message")) {
        options.maxMessageSize = parser.value("max-message").toULongLong(&ok);
        if (!ok || options.maxMessageSize == 0) {
            error = "--max-message takes a number of bytes.";
            return false;
        }
    }
    options.certificateFile = parser.value("cert");
    options.keyFile = parser.value("key");
    options.clientCaFile = parser.value("client-ca");
    if (options.certificateFile.isEmpty() != options.keyFile.isEmpty()) {
        error = "--cert and --key go together.";
        return false;
    }
    return true;
}

int runServe(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOptions({
        {"host", "Address to listen on (default 127.0.0.1).", "HOST", "127.0.0.1"},
        {"port", "Port to listen on; 0 picks a free one (default 0).", "N", "0"},
        {"no-deflate", "Refuse permessage-deflate (accepted by default)."},
        {"max-message", "Largest message (and frame) accepted, in bytes (default 67108864).", "BYTES"},
        {"cert", "Server certificate (PEM): serve wss://; needs --key.", "FILE"},
        {"key", "Private key (PEM, unencrypted) of --cert.", "FILE"},
        {"client-ca", "Require client certificates signed by a CA in this PEM file (mutual TLS).", "FILE"},
        {"json", "After the first line, print every captured frame as JSON Lines."},
        {"notes", "With --json, also print notes (handshakes, connects, disconnects)."},
    });
    addSaveOption(parser);
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli serve [options]", kEpilog, exitCode))
        return exitCode;
    app::EchoServerOptions options;
    QString error;
    if (!parseServeOptions(parser, options, error) || !checkSaveOption(parser, error)) {
        printError(error);
        return 2;
    }
    app::JsonLinesSink sink(stdout, parser.isSet("notes"));
    CaptureSaver saver(parser);
    app::EchoServer server(options, saver.sink(parser.isSet("json") ? &sink : nullptr));
    if (!server.start(&error)) {
        printError(error);
        return 1;
    }
    sink.writeLine("listening on " + server.url().toString().toUtf8());
    app::quitOnTerminationSignals();  // SIGTERM or Ctrl+C: stop serving (and write --save's file), exit 0
    return saver.finish(QCoreApplication::exec());
}

const CommandRegistration registration("serve", "Run the built-in echo server", runServe);

}  // namespace

}  // namespace framescope::cli
