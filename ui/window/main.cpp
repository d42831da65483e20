// framescope: the FrameScope window.
//   framescope [--theme system|light|dark] [--no-server] [--url URL] [--connect] [--screenshot DIR]
#include <QApplication>
#include <QCommandLineParser>

#include "window/connection_bar.h"
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
    parser.addOptions({theme, noServer, url, connectNow, screenshot});
    parser.process(app);

    MainWindowOptions options;
    options.startServer = !parser.isSet(noServer);
    options.restoreSettings = !parser.isSet(screenshot);
    MainWindow window(options);
    if (parser.isSet(theme)) window.setTheme(themeFromName(parser.value(theme)));
    if (parser.isSet(url)) window.connectionBar()->setUrl(parser.value(url));
    window.show();
    if (parser.isSet(screenshot)) return runScreenshotTour(window, parser.value(screenshot));
    if (parser.isSet(connectNow)) window.connectToUrl();
    return QApplication::exec();
}
