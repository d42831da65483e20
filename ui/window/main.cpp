// framescope: the FrameScope window.
//   framescope [URL] [--url URL] [--connect] [--no-server] [--server-port N] [--theme system|light|dark]
//              [--screenshot DIR] [--decoded-screenshot DIR --socketio-url URL --mqtt-url URL]
//              [--intercept-screenshot DIR] [--browser-screenshot DIR]
#include <QApplication>
#include <QCommandLineParser>
#include <QStringList>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "process/quit_on_signals.h"
#include "window/browser_tour.h"
#include "window/connection_bar.h"
#include "window/decoded_tour.h"
#include "window/intercept_tour.h"
#include "window/main_window.h"
#include "window/screenshot_tour.h"

using namespace framescope::ui;

namespace {

constexpr const char* kNoDisplay =
    "framescope: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
    "run it in a desktop session, over ssh -X, or under xvfb-run, or use framescope-cli for headless work.\n";

// Qt ends the process with qFatal (an abort and a core dump) when no platform plugin can start, e.g. a
// DISPLAY that names no reachable X server, after warnings that say why. While the application starts,
// messages are held back; on the fatal one, the first of them (the cause) becomes one sentence and the
// process exits 1. Otherwise they are printed once the application is up.
QStringList startupMessages;

void exitOnFatal(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type != QtFatalMsg) {
        startupMessages.append(message);
        return;
    }
    const QString cause = startupMessages.isEmpty() ? message : startupMessages.first();
    std::fprintf(stderr, "framescope: the window cannot start: %s.\n",
                 qPrintable(cause.section(QLatin1Char('\n'), 0, 0)));
    std::_Exit(1);
}

// True when Qt would pick a windowing platform that has nothing to connect to.
bool noDisplay() {
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) return false;  // offscreen, vnc, ... chosen
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

bool wantsOnlyText(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--version" || arg == "-v") return true;
    }
    return false;
}

// What the command line asks of the window.
struct Launch {
    MainWindowOptions window;
    QString theme;
    QString url;
    bool connect = false;
    QString screenshotDir;
    QString decodedScreenshotDir;  // with socketIoUrl and mqttUrl: the README's decoded screenshots
    QString interceptScreenshotDir;
    QString browserScreenshotDir;
    QString socketIoUrl;
    QString mqttUrl;
};

// Parses the command line (exits for --help and --version); false after one sentence on stderr.
bool parseCommandLine(const QApplication& app, Launch& launch) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("FrameScope, a WebSocket debugger"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("URL"),
                                 QStringLiteral("ws:// or wss:// URL to put in the connection bar."),
                                 QStringLiteral("[URL]"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                                   QStringLiteral("THEME"));
    const QCommandLineOption noServer(QStringLiteral("no-server"),
                                      QStringLiteral("Do not start the built-in echo server."));
    const QCommandLineOption serverPort(
        QStringLiteral("server-port"),
        QStringLiteral("Port of the built-in echo server (default 6455; a free one when taken; 0: any)."),
        QStringLiteral("N"), QStringLiteral("6455"));
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("Put URL in the connection bar."),
                                 QStringLiteral("URL"));
    const QCommandLineOption connectNow(QStringLiteral("connect"), QStringLiteral("Connect at start."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral(
            "Talk to the built-in server, save window-*.png to DIR, and exit (settings untouched)."),
        QStringLiteral("DIR"));
    const QCommandLineOption decodedScreenshot(
        QStringLiteral("decoded-screenshot"),
        QStringLiteral(
            "Talk Socket.IO and MQTT to the given peers, save window-decoded-*.png to DIR, and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption socketIoUrl(QStringLiteral("socketio-url"),
                                         QStringLiteral("A socket.io server for --decoded-screenshot."),
                                         QStringLiteral("URL"));
    const QCommandLineOption mqttUrl(
        QStringLiteral("mqtt-url"), QStringLiteral("An MQTT broker over WebSocket for --decoded-screenshot."),
        QStringLiteral("URL"));
    const QCommandLineOption interceptScreenshot(
        QStringLiteral("intercept-screenshot"),
        QStringLiteral(
            "Proxy a Python websockets client, hold and edit its order, save window-intercept*.png "
            "to DIR, and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption browserScreenshot(
        QStringLiteral("browser-screenshot"),
        QStringLiteral("Open the built-in server's demo page in headless Chromium through the proxy, save "
                       "window-proxy-browser.png and browser-demo-page.png to DIR, and exit."),
        QStringLiteral("DIR"));
    parser.addOptions({theme, noServer, serverPort, url, connectNow, screenshot, decodedScreenshot,
                       socketIoUrl, mqttUrl, interceptScreenshot, browserScreenshot});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(serverPort).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fputs("framescope: --server-port takes a number from 0 (any free port) to 65535.\n", stderr);
        return false;
    }
    launch.window.startServer = !parser.isSet(noServer);
    launch.window.serverPort = static_cast<quint16>(port);
    launch.window.restoreSettings = !parser.isSet(screenshot) && !parser.isSet(decodedScreenshot) &&
                                    !parser.isSet(interceptScreenshot) && !parser.isSet(browserScreenshot);
    launch.theme = parser.value(theme);
    const QStringList positional = parser.positionalArguments();
    launch.url = parser.isSet(url) ? parser.value(url) : positional.value(0);
    launch.connect = parser.isSet(connectNow);
    launch.screenshotDir = parser.value(screenshot);
    launch.decodedScreenshotDir = parser.value(decodedScreenshot);
    launch.socketIoUrl = parser.value(socketIoUrl);
    launch.mqttUrl = parser.value(mqttUrl);
    launch.interceptScreenshotDir = parser.value(interceptScreenshot);
    launch.browserScreenshotDir = parser.value(browserScreenshot);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // --help and --version need no display: answer them on the offscreen platform.
    if (wantsOnlyText(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    } else if (noDisplay()) {
        std::fputs(kNoDisplay, stderr);
        return 1;
    }
    qInstallMessageHandler(exitOnFatal);
    QApplication app(argc, argv);
    qInstallMessageHandler(nullptr);
    for (const QString& message : std::as_const(startupMessages))
        std::fprintf(stderr, "%s\n", qPrintable(message));
    QApplication::setOrganizationName(QStringLiteral("FrameScope"));
    QApplication::setApplicationName(QStringLiteral("FrameScope"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMESCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("framescope"));
    Launch launch;
    if (!parseCommandLine(app, launch)) return 2;

    MainWindow window(launch.window);
    if (!window.serverNote().isEmpty())
        std::fprintf(stderr, "framescope: %s\n", qPrintable(window.serverNote()));
    if (!launch.theme.isEmpty()) window.setTheme(themeFromName(launch.theme));
    if (!launch.url.isEmpty()) window.connectionBar()->setUrl(launch.url);
    window.show();
    // SIGTERM closes the window as its close button does: settings saved, connections closed, threads joined.
    framescope::app::quitOnTerminationSignals([&window] { window.close(); });
    if (!launch.screenshotDir.isEmpty()) return runScreenshotTour(window, launch.screenshotDir);
    if (!launch.interceptScreenshotDir.isEmpty())
        return runInterceptTour(window, launch.interceptScreenshotDir);
    if (!launch.browserScreenshotDir.isEmpty()) return runBrowserTour(window, launch.browserScreenshotDir);
    if (!launch.decodedScreenshotDir.isEmpty())
        return runDecodedTour(window, launch.decodedScreenshotDir, launch.socketIoUrl, launch.mqttUrl);
    if (launch.connect) window.connectToUrl();
    return QApplication::exec();
}
