// framescope-cli send-frame: sends crafted frames (every field of the core's raw-frame API) and prints
// the peer's reaction as JSON Lines.
#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "framescope/close_code.h"
#include "net/connection.h"
#include "net/json_lines.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Connects, sends the crafted frame (--repeat times), optionally a normal close, and prints every frame
of both directions as JSON Lines (fields as in 'connect --help'; crafted frames have "crafted":true). It
waits for the peer's reaction until the connection ends or --wait milliseconds pass, then closes with 1000
if the connection is still open. The last line is a summary:
  type "result"; state (the final state: "Closed", "Failed", ...); sentence (why); close_code (the peer's
  close code, or null).
Exit status: 0 once the frames were sent, whatever the peer did; 1 when the connection could not be
opened; 2 on a usage error. --json is accepted for symmetry: the output is always JSON Lines.)";

bool parseBit(const QCommandLineParser& parser, const char* name, bool fallback, bool& value,
              QString& error) {
    if (!parser.isSet(name)) return (value = fallback), true;
    const QString text = parser.value(name);
    if (text != "0" && text != "1") return (error = QString("--%1 takes 0 or 1.").arg(name)), false;
    value = text == "1";
    return true;
}

bool parsePayload(const QCommandLineParser& parser, QByteArray& payload, QString& error) {
    const int given =
        int(parser.isSet("payload")) + int(parser.isSet("payload-hex")) + int(parser.isSet("payload-file"));
    if (given > 1) return (error = "Give at most one of --payload, --payload-hex and --payload-file."), false;
    if (parser.isSet("payload")) payload = parser.value("payload").toUtf8();
    if (parser.isSet("payload-hex")) {
        const QByteArray hex = parser.value("payload-hex").toLatin1();
        payload = QByteArray::fromHex(hex);
        if (payload.toHex() != hex.toLower())
            return (error = "--payload-hex takes pairs of hex digits."), false;
    }
    if (parser.isSet("payload-file")) {
        QFile file(parser.value("payload-file"));
        if (!file.open(QIODevice::ReadOnly)) {
            return (error = QString("Cannot read %1: %2.").arg(file.fileName(), file.errorString())), false;
        }
        payload = file.readAll();
    }
    return true;
}

bool parseFrame(const QCommandLineParser& parser, app::RawFrame& frame, QString& error) {
    bool ok = true;
    if (!parseBit(parser, "fin", true, frame.fin, error)) return false;
    frame.rsv1 = parser.isSet("rsv1");
    frame.rsv2 = parser.isSet("rsv2");
    frame.rsv3 = parser.isSet("rsv3");
    const uint op = parser.value("opcode").toUInt(&ok, 0);
    if (!ok || op > 15) return (error = "--opcode takes 0-15 (decimal or 0x hex)."), false;
    frame.opcode = static_cast<uint8_t>(op);
    bool masked = true;
    if (!parseBit(parser, "mask", true, masked, error)) return false;
    frame.masked = masked;
    if (parser.isSet("key")) {
        const QByteArray key = QByteArray::fromHex(parser.value("key").toLatin1());
        if (key.size() != 4) return (error = "--key takes 8 hex digits."), false;
        frame.maskKey = MaskKey{uint8_t(key[0]), uint8_t(key[1]), uint8_t(key[2]), uint8_t(key[3])};
    }
    if (parser.isSet("length")) {
        frame.declaredLength = parser.value("length").toULongLong(&ok);
        if (!ok) return (error = "--length takes a number of bytes."), false;
    }
    if (parser.isSet("encoding")) {
        const QString bits = parser.value("encoding");
        if (bits == "7")
            frame.encoding = LengthEncoding::Bits7;
        else if (bits == "16")
            frame.encoding = LengthEncoding::Bits16;
        else if (bits == "64")
            frame.encoding = LengthEncoding::Bits64;
        else
            return (error = "--encoding takes 7, 16 or 64."), false;
    }
    return parsePayload(parser, frame.payload, error);
}

void addFrameOptions(QCommandLineParser& parser) {
    parser.addOptions({
        {"fin", "FIN bit (default 1).", "0|1"},
        {"rsv1", "Set RSV1."},
        {"rsv2", "Set RSV2."},
        {"rsv3", "Set RSV3."},
        {"opcode", "Opcode 0-15 (default 1, text); 0x hex accepted.", "N", "1"},
        {"mask", "MASK bit (default 1, as a client must).", "0|1"},
        {"key", "Masking key, 8 hex digits (default: random).", "HEX"},
        {"length", "Declare this payload length instead of the real one (a lying length).", "N"},
        {"encoding", "Length encoding: 7, 16 or 64 bits (default: the minimal one).", "7|16|64"},
        {"payload", "Payload as UTF-8 text.", "TEXT"},
        {"payload-hex", "Payload as hex bytes.", "HEX"},
        {"payload-file", "Payload read from a file.", "FILE"},
        {"repeat", "Send the frame N times (default 1).", "N", "1"},
        {"then-close", "Send close 1000 after the frames."},
        {"wait", "Wait at most MS milliseconds for the peer's reaction (default 2000).", "MS", "2000"},
        {"json", "Accepted for symmetry; the output is always JSON Lines."},
    });
}

QByteArray resultLine(app::ConnectionState state, const QString& sentence, int closeCode) {
    QByteArray line = "{\"type\":\"result\",\"state\":";
    app::appendJsonString(line, app::connectionStateName(state));
    line += ",\"sentence\":";
    const QByteArray utf8 = sentence.toUtf8();
    app::appendJsonString(line, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
    line += ",\"close_code\":" + (closeCode < 0 ? QByteArray("null") : QByteArray::number(closeCode)) + "}";
    return line;
}

int runSendFrame(const QStringList& args) {
    QCommandLineParser parser;
    addConnectionOptions(parser, "tls-key");
    addFrameOptions(parser);
    parser.addPositionalArgument("URL", "ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli send-frame URL [frame options] [options]",
                          kEpilog, exitCode)) {
        return exitCode;
    }
    app::ConnectionOptions options;
    app::RawFrame frame;
    QString error;
    bool ok = false;
    const int repeat = parser.value("repeat").toInt(&ok);
    const int waitMs = ok ? parser.value("wait").toInt(&ok) : 0;
    if (!ok || repeat < 0 || waitMs < 0) error = "--repeat and --wait take non-negative numbers.";
    if (!error.isEmpty() || !connectionOptionsFrom(parser, options, error, "tls-key") ||
        !parseFrame(parser, frame, error)) {
        printError(error);
        return 2;
    }
    options.notifyMessages = false;
    app::JsonLinesSink sink(stdout, parser.isSet("notes"));
    app::Connection connection(options, &sink, 1);
    int closeCode = -1;
    bool sent = false;
    QTimer waitTimer;
    waitTimer.setSingleShot(true);
    QObject::connect(&waitTimer, &QTimer::timeout, &connection, [&] { connection.disconnectFromPeer(); });
    QObject::connect(&connection, &app::Connection::closeReceived, &connection,
                     [&](quint16 code, const QString&) { closeCode = code; });
    QObject::connect(&connection, &app::Connection::stateChanged, &connection,
                     [&](app::ConnectionState state, const QString& sentence) {
                         if (state == app::ConnectionState::Open && !sent) {
                             sent = true;
                             for (int i = 0; i < repeat; ++i)
                                 connection.sendRaw(frame);
                             if (parser.isSet("then-close")) connection.sendClose(close_code::kNormal);
                             waitTimer.start(waitMs);
                         }
                         if (state == app::ConnectionState::Failed || state == app::ConnectionState::Closed) {
                             sink.writeLine(resultLine(state, sentence, closeCode));
                             if (!sent) printError(sentence);
                             QCoreApplication::exit(sent ? 0 : 1);
                         }
                     });
    connection.open();
    return QCoreApplication::exec();
}

const CommandRegistration registration("send-frame", "Send raw crafted frames and print the peer's reaction",
                                       runSendFrame);

}  // namespace

}  // namespace framescope::cli
