// framescope: the FrameScope window.
//   framescope [--theme system|light|dark] [--no-server] [--url URL] [--connect] [--screenshot DIR]
//              [--decoded-screenshot DIR --socketio-url URL --mqtt-url URL]
#include <QApplication>
#include <QCommandLineParser>

#include "window/connection_bar.h"
#include "window/decoded_tour.h"
#include "window/main_window.h"
#include "window/screenshot_tour.h"

using namespace framescope::ui;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FrameScope"));
    QApplication::setApplicationName(QStringLiteral("FrameScope"));
    QApplication::setApplicationVersion(QStringLiteral(FRAMESCOPE_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("FrameScope, a WebSocket debugger"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                                   QStringLiteral("THEME"));
    const QCommandLineOption noServer(QStringLiteral("no-server"),
                                      QStringLiteral("Do not start the built-in echo server."));
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
    parser.addOptions(
        {theme, noServer, url, connectNow, screenshot, decodedScreenshot, socketIoUrl, mqttUrl});
    parser.process(app);

    MainWindowOptions options;
    options.startServer = !parser.isSet(noServer);
    options.restoreSettings = !parser.isSet(screenshot) && !parser.isSet(decodedScreenshot);
    MainWindow window(options);
    if (parser.isSet(theme)) window.setTheme(themeFromName(parser.value(theme)));
    if (parser.isSet(url)) window.connectionBar()->setUrl(parser.value(url));
    window.show();
    if (parser.isSet(screenshot)) return runScreenshotTour(window, parser.value(screenshot));
    if (parser.isSet(decodedScreenshot))
        return runDecodedTour(window, parser.value(decodedScreenshot), parser.value(socketIoUrl),
                              parser.value(mqttUrl));
    if (parser.isSet(connectNow)) window.connectToUrl();
    return QApplication::exec();
}
