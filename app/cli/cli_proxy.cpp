// framescope-cli proxy: the reverse proxy and the forward proxy, headless.
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>

#include "cli/cli_common.h"
#include "cli/cli_save.h"
#include "cli/commands.h"
#include "net/json_lines.h"
#include "net/local_ca.h"
#include "net/proxy_server.h"
#include "process/quit_on_signals.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"EPILOG(Prints "listening on ws://HOST:PORT/" as its first line, then forwards every WebSocket connection an
app opens to the upstream URL (the app's path and query are appended to the upstream's path) until it is
killed (exit 0). Each connection is two legs, each a full session: the client leg (the app and the
proxy) and the upstream leg (the proxy and the upstream server), with permessage-deflate negotiated per
leg and messages re-encoded for the other leg. The app's subprotocols, Origin and other headers are
passed upstream; Host becomes the upstream's. If the upstream refuses, the app gets the same status; if
it cannot be reached, 502; the body says why. Pings are answered by the proxy on each leg; with
--pass-pings they are sent on to the other side instead, and the pongs come back the same way.

With --json, every captured frame of both legs follows as JSON Lines, with the fields of
'connect --help' plus leg ("client" or "upstream") after conn. conn is the client leg's connection id
(1, 3, 5...) or the upstream leg's (the next number). In "dir", "in" is what the proxy received on that
leg and "out" what it sent.

With --forward instead of --upstream, it is an HTTP proxy for apps and browsers configured to use one
(e.g. --proxy-server=http://HOST:PORT, HTTPS_PROXY): the first line is "listening on
http://HOST:PORT/ (forward proxy)". A WebSocket upgrade with an absolute URI (GET ws://host:port/path)
is proxied to that server like above. A CONNECT host:port is a tunnel: without --intercept-tls its bytes
pass through unread and the capture only notes "Opaque tunnel to host:port closed: N bytes from the
app, M bytes from the server". With --intercept-tls, FrameScope answers the app's TLS with a
certificate for host signed by its local CA (made on first use in --ca-dir, reused later), reads the
WebSocket upgrade inside and proxies it to wss://host:port/path, verifying the real server (--ca,
--insecure); when the app does not start TLS in the tunnel (Chromium sends ws:// through CONNECT too),
the upgrade is read in the clear and proxied to ws://host:port/path. The app must trust the CA: --print-ca writes its certificate (PEM) to standard output.
Anything other than a WebSocket upgrade or CONNECT is refused with 501: plain HTTP is not proxied.)EPILOG";

// HOST:PORT, [IPv6]:PORT or localhost:PORT.
bool parseListen(const QString& text, app::ProxyOptions& options, QString& error) {
    const qsizetype colon = text.lastIndexOf(':');
    QString host = text.left(colon);
    if (host.startsWith('[') && host.endsWith(']')) host = host.mid(1, host.size() - 2);
    options.host = host == "localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (colon <= 0 || options.host.isNull() || !ok || port > 65535) {
        error = QString("--listen takes HOST:PORT (an IP address and a port, 0 for any free one), not '%1'.")
                    .arg(text);
        return false;
    }
    options.port = static_cast<quint16>(port);
    return true;
}

bool parseHeaders(const QStringList& values, app::ProxyOptions& options, QString& error) {
    for (const QString& header : values) {
        const qsizetype colon = header.indexOf(':');
        if (colon <= 0) {
            error =
                QString("-H takes 'Name: value' (or 'Name:' to remove the header), not '%1'.").arg(header);
            return false;
        }
        options.headers.append({header.left(colon).trimmed(), header.mid(colon + 1).trimmed()});
    }
    return true;
}

bool parseDeflate(const QCommandLineParser& parser, app::ProxyOptions& options, QString& error) {
    options.clientDeflate = !parser.isSet("no-deflate") && !parser.isSet("no-client-deflate");
    const QString upstream = parser.value("upstream-deflate");
    if (parser.isSet("no-deflate") || upstream == "off") {
        options.upstreamDeflate = app::UpstreamDeflate::Never;
    } else if (upstream == "on") {
        options.upstreamDeflate = app::UpstreamDeflate::Always;
    } else if (upstream == "as-client") {
    } else {
        error = QString("--upstream-deflate takes as-client, on or off, not '%1'.").arg(upstream);
        return false;
    }
    return true;
}

bool parseNumbers(const QCommandLineParser& parser, app::ProxyOptions& options, QString& error) {
    bool ok = true;
    if (parser.isSet("max-message")) options.maxMessageSize = parser.value("max-message").toULongLong(&ok);
    if (ok && parser.isSet("memory-budget"))
        options.memoryBudget = parser.value("memory-budget").toULongLong(&ok);
    if (ok && parser.isSet("connect-timeout"))
        options.connectTimeoutMs = parser.value("connect-timeout").toInt(&ok);
    if (!ok) {
        error = "--max-message, --memory-budget and --connect-timeout take whole numbers.";
        return false;
    }
    return true;
}

bool parseProxyOptions(const QCommandLineParser& parser, app::ProxyOptions& options, QString& error) {
    options.forward = parser.isSet("forward");
    options.interceptTls = parser.isSet("intercept-tls");
    options.caDir = parser.value("ca-dir");
    options.passPings = parser.isSet("pass-pings");
    if (!parser.isSet("listen") || parser.isSet("upstream") == options.forward) {
        error = "Give --listen HOST:PORT and either --upstream URL or --forward.";
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        error = QString("Unexpected argument '%1'.").arg(parser.positionalArguments().first());
        return false;
    }
    options.upstream = QUrl(parser.value("upstream"));
    options.tls.caFile = parser.value("ca");
    options.tls.ignoreCertificateErrors = parser.isSet("insecure");
    if (!parseListen(parser.value("listen"), options, error) ||
        !parseHeaders(parser.values("header"), options, error) || !parseDeflate(parser, options, error) ||
        !parseNumbers(parser, options, error)) {
        return false;
    }
    error = app::checkProxyOptions(options);
    return error.isEmpty();
}

// The CA certificate on standard output, for the user to trust in the app (made first when missing).
int printCa(const QString& directory) {
    app::LocalCa ca;
    QString error;
    if (!ca.open(directory, error)) {
        printError(error);
        return 1;
    }
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly)) return 1;
    out.write(ca.certificate().toPem());
    return 0;
}

int runProxy(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOptions({
        {"listen", "Address and port to listen on, e.g. 127.0.0.1:8080; port 0 picks a free one.",
         "HOST:PORT"},
        {"upstream", "The server to forward to: ws://HOST[:PORT][/PATH] or wss://...", "URL"},
        {{"H", "header"},
         "Set a header on the request passed upstream: replaces one of the same name, else adds it; "
         "'Name:' removes it; 'Host: h' and 'Origin: o' override those. Repeatable.",
         "Name: value"},
        {"no-client-deflate", "Refuse permessage-deflate from the app (accepted by default)."},
        {"upstream-deflate",
         "Offer permessage-deflate upstream: as-client (when the app offered it; the default), on or off.",
         "WHEN", "as-client"},
        {"no-deflate", "No permessage-deflate on either leg."},
        {"pass-pings",
         "Pass pings and pongs through to the other leg at once (held messages or not), so the app and the "
         "upstream answer each other's; by default each leg's pings are answered by the proxy."},
        {"ca", "Trust the CA certificates in this PEM file for a wss:// upstream, besides the system's.",
         "FILE"},
        {"insecure", "Ignore the wss:// upstream's certificate errors (each is still noted)."},
        {"max-message", "Largest message (and frame) on either leg, in bytes (default 67108864).", "BYTES"},
        {"memory-budget", "All legs' buffers together, in bytes, 16 MiB to 1 TiB (default 1073741824).",
         "BYTES"},
        {"connect-timeout", "Refuse the app (502) when the upstream is not open after MS ms (default 10000).",
         "MS"},
        {"forward", "Be a forward (HTTP) proxy: apps name their server (absolute URI or CONNECT)."},
        {"intercept-tls",
         "With --forward, decrypt wss:// in CONNECT tunnels with certificates from the local CA."},
        {"ca-dir", "The local CA's directory (default: FrameScope's data directory + /ca).", "DIR"},
        {"print-ca", "Write the local CA's certificate (PEM, made if missing) to standard output and exit."},
        {"json", "After the first line, print every captured frame of both legs as JSON Lines."},
        {"notes", "With --json, also print notes (handshakes, refusals, disconnects), with their leg."},
    });
    addSaveOption(parser);
    int exitCode = 0;
    if (!parseCommandLine(
            parser, args,
            "Usage: framescope-cli proxy --listen HOST:PORT (--upstream URL | --forward) [options]", kEpilog,
            exitCode)) {
        return exitCode;
    }
    if (parser.isSet("print-ca")) return printCa(parser.value("ca-dir"));
    app::ProxyOptions options;
    QString error;
    if (!parseProxyOptions(parser, options, error) || !checkSaveOption(parser, error)) {
        printError(error);
        return 2;
    }
    app::JsonLinesSink sink(stdout, parser.isSet("notes"));
    CaptureSaver saver(parser);
    app::ProxyServer proxy(options, saver.sink(parser.isSet("json") ? &sink : nullptr));
    if (!proxy.start(&error)) {
        printError(error);
        return 1;
    }
    app::quitOnTerminationSignals();  // SIGTERM or Ctrl+C: stop (and write --save's file), exit 0
    QString first = "listening on " + proxy.url().toString();
    if (options.forward) {
        first += options.interceptTls
                     ? QString(" (forward proxy; wss:// intercepted with the CA certificate %1)")
                           .arg(app::LocalCa::certificateFileIn(options.caDir))
                     : QString(" (forward proxy)");
    }
    sink.writeLine(first.toUtf8());  // after the signal handler: a script may stop us once it reads this
    return saver.finish(QCoreApplication::exec());
}

const CommandRegistration registration("proxy",
                                       "Run the reverse or forward proxy: watch an app and its server",
                                       runProxy);

}  // namespace

}  // namespace framescope::cli
