// The self-pipe trick: the signal handler only writes one byte to a socket pair (async-signal-safe); a
// QSocketNotifier on the other end runs on the event loop's thread and asks the application to quit.
#include "process/quit_on_signals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>
#include <csignal>

namespace framescope::app {

namespace {

int signalPipe[2] = {-1, -1};

extern "C" void writeSignalByte(int signal) {
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
}

}  // namespace

void quitOnTerminationSignals(std::function<void()> quit) {
    if (signalPipe[0] >= 0) return;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalPipe) != 0) return;
    auto* notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, QCoreApplication::instance());
    if (!quit) quit = [] { QCoreApplication::exit(0); };
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier, quit] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(signalPipe[1], &byte, 1);
        notifier->setEnabled(false);  // a second signal while shutting down changes nothing
        quit();
    });
    struct sigaction action {};
    action.sa_handler = writeSignalByte;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : {SIGTERM, SIGINT, SIGHUP})
        ::sigaction(signal, &action, nullptr);
}

}  // namespace framescope::app
