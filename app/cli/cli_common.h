// What the connect and send-frame commands share: the connection options, parsing with --help, reading
// stdin line by line, and ending the event loop with an exit code.
#pragma once

#include <QByteArray>
#include <QCommandLineParser>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QStringList>

#include "decode/store_decoder.h"
#include "net/connection_types.h"

namespace framescope::cli {

// Adds the connection options both commands take (-H, --subprotocol, --origin, --deflate, TLS, proxy...).
// `tlsKeyOption` names the client key's option ("key" for connect; send-frame uses --key for the mask).
void addConnectionOptions(QCommandLineParser& parser, const QString& tlsKeyOption = "key");
// Fills `options` from the parsed command line; false with one sentence in `error` on a bad value.
bool connectionOptionsFrom(const QCommandLineParser& parser, app::ConnectionOptions& options, QString& error,
                           const QString& tlsKeyOption = "key");

// --decoder NAME (auto, off, or a protocol) for commands that write JSON Lines (connect --json, convert).
void addDecoderOption(QCommandLineParser& parser);
// The parsed --decoder; false with one sentence in `error` for an unknown name.
bool decoderChoiceFrom(const QCommandLineParser& parser, app::DecoderChoice& choice, QString& error);
// The help text on --decoder's names, for epilogs.
extern const char* const kDecoderHelp;

// Parses `args` (the command's arguments). Returns true to go on; false with `exitCode` set when the
// command should stop: after printing --help (0) or a usage error on stderr (2). `usage` is the first help
// line and `epilog` follows the option list.
bool parseCommandLine(QCommandLineParser& parser, const QStringList& args, const QString& usage,
                      const QString& epilog, int& exitCode);

// Prints one line on stderr, flushed.
void printError(const QString& sentence);

// Reads stdin without blocking the event loop and emits each line (without its end of line), then eof().
class StdinLines : public QObject {
    Q_OBJECT
public:
    explicit StdinLines(QObject* parent = nullptr);
    void start();

signals:
    void line(const QByteArray& line);
    void eof();

private:
    void readSome();

    QSocketNotifier* notifier_ = nullptr;
    QByteArray partial_;
};

}  // namespace framescope::cli
