// Shared command-line plumbing of framescope-cli's connection commands.
#include "cli/cli_common.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QUrl>

#include <unistd.h>

#include <cstdio>

namespace framescope::cli {

void addConnectionOptions(QCommandLineParser& parser, const QString& tlsKeyOption) {
    parser.addOptions({
        {{"H", "header"}, "Extra handshake header, sent as given; repeatable.", "Name: value"},
        {"subprotocol", "Offer this subprotocol (Sec-WebSocket-Protocol); repeatable, in order.", "P"},
        {"origin", "Send this Origin header.", "ORIGIN"},
        {"deflate", "Offer permessage-deflate (client_max_window_bits, no other parameter)."},
        {"insecure", "Ignore TLS certificate errors (each ignored error is still reported in the notes)."},
        {"ca", "Trust the CA certificates in this PEM file, in addition to the system's.", "FILE"},
        {"cert", "Client certificate (PEM) for mutual TLS; needs --" + tlsKeyOption + ".", "FILE"},
        {tlsKeyOption, "Private key (PEM, unencrypted) of --cert.", "FILE"},
        {"proxy", "Connect through a proxy: http://HOST:PORT (CONNECT) or socks5://HOST:PORT.", "URL"},
        {"4", "Use IPv4 only."},
        {"6", "Use IPv6 only."},
        {"connect-timeout", "Give up when the connection is not open after MS milliseconds (default 10000).",
         "MS"},
        {"ping-interval", "Send a keep-alive ping every MS milliseconds (default off).", "MS"},
        {"ping-timeout", "Fail when no pong arrives within MS milliseconds of a ping (default 10000).", "MS"},
        {"no-auto-pong", "Do not answer pings automatically."},
        {"max-message", "Largest message accepted, in bytes (default 67108864).", "BYTES"},
        {"notes",
         "With JSON output, also print notes (handshake texts, state changes) as \"type\":\"note\"."},
    });
}

namespace {

bool parsePositive(const QCommandLineParser& parser, const char* name, int& value, QString& error) {
    if (!parser.isSet(name)) return true;
    bool ok = false;
    value = parser.value(name).toInt(&ok);
    if (!ok || value < 0) error = QString("--%1 takes a number of milliseconds.").arg(name);
    return ok && value >= 0;
}

bool parseProxy(const QString& text, QNetworkProxy& proxy, QString& error) {
    const QUrl url(text);
    const QString scheme = url.scheme().toLower();
    if (url.host().isEmpty() || url.port() <= 0 || (scheme != "http" && scheme != "socks5")) {
        error = "--proxy takes http://HOST:PORT or socks5://HOST:PORT.";
        return false;
    }
    proxy = QNetworkProxy(scheme == "http" ? QNetworkProxy::HttpProxy : QNetworkProxy::Socks5Proxy,
                          url.host(), static_cast<quint16>(url.port()), url.userName(), url.password());
    return true;
}

}  // namespace

bool connectionOptionsFrom(const QCommandLineParser& parser, app::ConnectionOptions& options, QString& error,
                           const QString& tlsKeyOption) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        error = "Give exactly one URL (ws://HOST:PORT/PATH or wss://...).";
        return false;
    }
    options.url = QUrl(positional.first());
    for (const QString& header : parser.values("header")) {
        const qsizetype colon = header.indexOf(':');
        if (colon <= 0) {
            error = QString("-H takes 'Name: value', not '%1'.").arg(header);
            return false;
        }
        options.headers.append({header.left(colon).trimmed(), header.mid(colon + 1).trimmed()});
    }
    options.subprotocols = parser.values("subprotocol");
    options.origin = parser.value("origin");
    if (parser.isSet("deflate")) options.deflate = DeflateOffer{};
    options.tls.ignoreCertificateErrors = parser.isSet("insecure");
    options.tls.caFile = parser.value("ca");
    options.tls.certificateFile = parser.value("cert");
    options.tls.keyFile = parser.value(tlsKeyOption);
    if (options.tls.certificateFile.isEmpty() != options.tls.keyFile.isEmpty()) {
        error = QString("--cert and --%1 go together.").arg(tlsKeyOption);
        return false;
    }
    if (parser.isSet("proxy") && !parseProxy(parser.value("proxy"), options.proxy, error)) return false;
    if (parser.isSet("4")) options.ipVersion = app::IpVersion::IPv4;
    if (parser.isSet("6")) options.ipVersion = app::IpVersion::IPv6;
    options.autoPong = !parser.isSet("no-auto-pong");
    if (parser.isSet("max-message")) {
        bool ok = false;
        const qulonglong bytes = parser.value("max-message").toULongLong(&ok);
        if (!ok || bytes == 0 || bytes > (1ull << 31)) {
            error = "--max-message takes a number of bytes from 1 to 2 GiB (2147483648).";
            return false;
        }
        options.limits.maxMessageSize = bytes;
        options.limits.maxFramePayload = bytes;
    }
    return parsePositive(parser, "connect-timeout", options.connectTimeoutMs, error) &&
           parsePositive(parser, "ping-interval", options.keepAlive.pingIntervalMs, error) &&
           parsePositive(parser, "ping-timeout", options.keepAlive.pingTimeoutMs, error);
}

bool parseCommandLine(QCommandLineParser& parser, const QStringList& args, const QString& usage,
                      const QString& epilog, int& exitCode) {
    const QCommandLineOption help({"h", "help"}, "Show this help.");
    const QCommandLineOption version("version", "Print framescope-cli's version.");
    parser.addOption(help);
    parser.addOption(version);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList{"framescope-cli"} + args)) {
        printError(parser.errorText() + "; run with --help for the options.");
        exitCode = 2;
        return false;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text = usage + text.mid(text.indexOf('\n'));
        QTextStream(stdout) << text << (epilog.isEmpty() ? "" : "\n" + epilog + "\n");
        exitCode = 0;
        return false;
    }
    if (parser.isSet(version)) {
        QTextStream(stdout) << "framescope-cli " << QCoreApplication::applicationVersion() << "\n";
        exitCode = 0;
        return false;
    }
    return true;
}

const char* const kDecoderHelp =
    R"(--decoder chooses: auto (the default: from the subprotocol, the URL or the first messages), off, or one
of socket.io, stomp, mqtt, graphql-transport-ws, subscriptions-transport-ws, json-rpc, signalr-json,
signalr-messagepack, phoenix.)";

void addDecoderOption(QCommandLineParser& parser) {
    parser.addOption(
        {"decoder", "auto, off, or the protocol to decode messages as (see below).", "NAME", "auto"});
}

bool decoderChoiceFrom(const QCommandLineParser& parser, app::DecoderChoice& choice, QString& error) {
    const QString name = parser.value("decoder");
    if (app::decoderChoiceFromName(name.toStdString(), choice)) return true;
    error = "unknown decoder " + name + " (--help lists them)";
    return false;
}

void printError(const QString& sentence) {
    const QByteArray utf8 = sentence.toUtf8();
    std::fprintf(stderr, "%s\n", utf8.constData());
    std::fflush(stderr);
}

StdinLines::StdinLines(QObject* parent) : QObject(parent) {}

void StdinLines::start() {
    notifier_ = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(notifier_, &QSocketNotifier::activated, this, &StdinLines::readSome);
}

void StdinLines::readSome() {
    char buffer[65536];
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got < 0) return;  // EINTR or EAGAIN: the notifier fires again
    if (got == 0) {
        notifier_->setEnabled(false);
        if (!partial_.isEmpty()) emit line(std::exchange(partial_, {}));
        emit eof();
        return;
    }
    partial_.append(buffer, static_cast<qsizetype>(got));
    qsizetype newline;
    while ((newline = partial_.indexOf('\n')) >= 0) {
        QByteArray text = partial_.left(newline);
        partial_.remove(0, newline + 1);
        if (text.endsWith('\r')) text.chop(1);
        emit line(text);
    }
}

}  // namespace framescope::cli
