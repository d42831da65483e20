// SIGTERM, SIGINT and SIGHUP end the Qt event loop (QCoreApplication::quit) instead of killing the process,
// so that windows save their settings, connections send their close frames and worker threads are joined.
#pragma once

#include <functional>

namespace framescope::app {

// Call once, after the QCoreApplication exists and before its exec(). On the first signal `quit` runs on
// the event loop's thread; by default it ends exec(), which then returns 0. A window passes its close().
void quitOnTerminationSignals(std::function<void()> quit = {});

}  // namespace framescope::app
