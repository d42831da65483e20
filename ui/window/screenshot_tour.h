// `framescope --screenshot DIR`: drives the real window against the built-in server as a user would
// (connect, messages, a fragmented message with pings, a ping, a crafted frame with a reserved opcode that
// the server answers with close 1002), then saves window-log.png, window-inspector.png and
// window-crafter.png in DIR with QWidget::grab().
#pragma once

#include <QString>

#include <functional>

namespace framescope::ui {

class MainWindow;

// Runs the event loop until `done` or `timeoutMs` passed; false on timeout. The tours' way to wait.
bool waitFor(const std::function<bool()>& done, int timeoutMs);

// Returns 0 when the three PNGs were written, else 1 with the reason on stderr.
int runScreenshotTour(MainWindow& window, const QString& directory);

}  // namespace framescope::ui
