// framescope-cli connect: sends each stdin line as a text message and prints what comes back.
#include <QCoreApplication>

#include <cstdio>
#include <memory>

#include "cli/cli_common.h"
#include "cli/cli_save.h"
#include "cli/commands.h"
#include "decode/decoding_sink.h"
#include "framescope/close_code.h"
#include "net/connection.h"
#include "net/json_lines.h"
#include "process/quit_on_signals.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Sends each line of standard input as a text message (without its line end). At the
end of input it sends close 1000 and waits for the server's close. Prints each received message on its own
line (text as is; a binary message as "[binary N bytes] BASE64").

Exit status: 0 after a normal close (1000, 1001 or no status code); 1 with one line on stderr after a
refused handshake, a TLS or network failure, a protocol error or an abnormal close; 2 on a usage error.

--json prints one JSON object per frame, in both directions, instead of the messages ("JSON Lines" in
README.md). Fields, in this order:
  type "frame"; dir "in"|"out"; conn; time_us (microseconds since the epoch);
  fin, rsv1, rsv2, rsv3 (booleans); opcode (number) and opcode_name; mask (boolean) and key (8 hex digits
  or null); length (declared payload length); length_encoding (7, 16 or 64); header_size; header_hex;
  payload (text when valid UTF-8, else base64) and payload_encoding ("text"|"base64"); payload_size (bytes
  captured; less than length for a frame cut short); message_index (null for control frames);
  ends_message; compressed; wire_size (on the last frame of a message, else null); inflated and
  inflated_encoding (the inflated message on the last frame of a compressed one, else null);
  close_code and close_reason (close frames, else null); violation (the RFC rule the frame breaks, or
  null); crafted (sent by the frame crafter).
  When an application protocol is recognised, the last frame of each message also has decoded: an object
  with protocol, type, summary, error, pending, fields, pairs (request/response keys) and tree (each node
  with name, value, and offset and length in the message).
With --notes, notes are interleaved: type "note"; dir; conn; time_us; kind ("handshake_request",
"handshake_response" or "status"); text.
)";

bool normalClose(quint16 code) {
    return code == close_code::kNormal || code == close_code::kGoingAway || code == close_code::kNoStatus;
}

void printMessage(bool text, const QByteArray& payload) {
    if (text) {
        std::fwrite(payload.constData(), 1, static_cast<size_t>(payload.size()), stdout);
    } else {
        std::printf("[binary %lld bytes] %s", static_cast<long long>(payload.size()),
                    payload.toBase64().constData());
    }
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int runConnect(const QStringList& args) {
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOption({"json", "Print every frame of both directions as JSON Lines (see below)."});
    addDecoderOption(parser);
    addSaveOption(parser);
    parser.addPositionalArgument("URL", "ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli connect URL [options]",
                          QString(kEpilog) + kDecoderHelp, exitCode))
        return exitCode;
    app::ConnectionOptions options;
    QString error;
    if (!connectionOptionsFrom(parser, options, error) || !checkSaveOption(parser, error)) {
        printError(error);
        return 2;
    }
    app::DecoderChoice forced;
    if (!decoderChoiceFrom(parser, forced, error)) {
        printError(error);
        return 2;
    }
    const bool json = parser.isSet("json");
    options.notifyMessages = !json;
    app::JsonLinesSink jsonSink(stdout, parser.isSet("notes"));
    app::DecodingSink decodingSink(jsonSink, parser.positionalArguments().value(0), forced);
    CaptureSaver saver(parser);
    app::Connection connection(options, saver.sink(json ? &decodingSink : nullptr), 1);
    StdinLines input;
    quint16 closeCode = close_code::kNoStatus;
    QObject::connect(&connection, &app::Connection::messageReceived, &connection, printMessage);
    QObject::connect(&connection, &app::Connection::closeReceived, &connection,
                     [&](quint16 code, const QString&) { closeCode = code; });
    QObject::connect(&input, &StdinLines::line, &connection,
                     [&](const QByteArray& line) { connection.sendText(QString::fromUtf8(line)); });
    QObject::connect(&input, &StdinLines::eof, &connection,
                     [&] { connection.sendClose(close_code::kNormal); });
    QObject::connect(&connection, &app::Connection::stateChanged, &connection,
                     [&](app::ConnectionState state, const QString& sentence) {
                         if (state == app::ConnectionState::Open) input.start();
                         if (state == app::ConnectionState::Failed) {
                             printError(sentence);
                             QCoreApplication::exit(1);
                         } else if (state == app::ConnectionState::Closed) {
                             if (!normalClose(closeCode)) printError(sentence);
                             QCoreApplication::exit(normalClose(closeCode) ? 0 : 1);
                         }
                     });
    connection.open();
    if (parser.isSet("save")) app::quitOnTerminationSignals();  // Ctrl+C still writes the file
    return saver.finish(QCoreApplication::exec());
}

const CommandRegistration registration("connect",
                                       "Connect to a WebSocket server, send stdin lines, print replies",
                                       runConnect);

}  // namespace

}  // namespace framescope::cli
