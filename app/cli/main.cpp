// framescope-cli: the headless, scriptable face of FrameScope (serve, connect, send-frame, bench, ...).
#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>

#include "cli/commands.h"

namespace framescope::cli {

namespace {

std::vector<Command>& registry() {
    static std::vector<Command> all;
    return all;
}

void printUsage(QTextStream& out) {
    out << "Usage: framescope-cli COMMAND [OPTIONS]\n\nCommands:\n";
    for (const Command& command : commands()) {
        out << "  " << QString(command.name).leftJustified(12) << command.summary << "\n";
    }
    out << "\nRun 'framescope-cli COMMAND --help' for the options of a command.\n";
}

}  // namespace

CommandRegistration::CommandRegistration(const char* name, const char* summary, CommandFunction run) {
    registry().push_back({name, summary, run});
    std::sort(registry().begin(), registry().end(),
              [](const Command& a, const Command& b) { return QString(a.name) < QString(b.name); });
}

const std::vector<Command>& commands() {
    return registry();
}

}  // namespace framescope::cli

int main(int argc, char** argv) {
    // Every thread of the CLI (serve's server, load's workers) uses Qt's poll-based UNIX event dispatcher:
    // GLib's slows down about five-fold at a thousand sockets per thread. Set before any thread starts.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB")) qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("framescope-cli");
    QCoreApplication::setApplicationVersion(QStringLiteral(FRAMESCOPE_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.isEmpty() || args.first() == "--help" || args.first() == "-h" || args.first() == "help") {
        framescope::cli::printUsage(args.isEmpty() ? err : out);
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == "--version") {
        out << "framescope-cli " << QCoreApplication::applicationVersion() << "\n";
        return 0;
    }
    const QString name = args.takeFirst();
    for (const framescope::cli::Command& command : framescope::cli::commands()) {
        if (name == command.name) return command.run(args);
    }
    err << "Unknown command '" << name << "'; run 'framescope-cli --help' for the list.\n";
    return 2;
}
