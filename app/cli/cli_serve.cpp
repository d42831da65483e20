// framescope-cli serve: the built-in echo server.
#include <QCoreApplication>
#include <QHostAddress>

#include <cstdio>
#include <limits>
#include <type_traits>

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
client's connection id, from 1).

A browser that opens http://HOST:PORT/ (a plain GET of /, no Upgrade) gets a small demo page that opens a
WebSocket back to this server, or to the URL in its query (/?ws=ws://127.0.0.1:8080/, e.g. a proxy in
front of it), sends a text, a JSON and a binary message, shows each echo and closes with 1000. Other
requests without Upgrade are refused with 400 as before.)";

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
    const auto number = [&](const char* name, auto& into) {
        if (!parser.isSet(name)) return true;
        const qulonglong value = parser.value(name).toULongLong(&ok);
        if (!ok || value > std::numeric_limits<std::remove_reference_t<decltype(into)>>::max()) {
            error = QString("--%1 takes a whole number, not '%2'.").arg(name, parser.value(name));
            return false;
        }
        into = static_cast<std::remove_reference_t<decltype(into)>>(value);
        return true;
    };
    if (!number("memory-budget", options.memoryBudget) ||
        !number("handshake-timeout", options.handshakeTimeoutMs) ||
        !number("idle-timeout", options.idleTimeoutMs) ||
        !number("max-connections", options.maxConnections)) {
        return false;
    }
    error = app::checkEchoServerOptions(options);
    if (!error.isEmpty()) return false;
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
        {"max-message", "Largest message (and frame) accepted, in bytes, 1 to 2 GiB (default 67108864).",
         "BYTES"},
        {"memory-budget",
         "All clients' buffers together, in bytes, 16 MiB to 1 TiB (default 1073741824); a client "
         "that would exceed it is closed with 1009 or 1013.",
         "BYTES"},
        {"handshake-timeout",
         "Drop a client without a complete upgrade request after this many ms (default 10000).", "MS"},
        {"idle-timeout",
         "Ping a quiet client after half this many ms, close it (1001) after all of it; 0 = off "
         "(default 0).",
         "MS"},
        {"max-connections", "Answer 503 to clients past this many connections (default 10000).", "N"},
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
