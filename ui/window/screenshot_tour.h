// `framescope --screenshot DIR`: drives the real window against the built-in server as a user would
// (connect, messages, a fragmented message with pings, a ping, a crafted frame with a reserved opcode that
// the server answers with close 1002), then saves window-log.png, window-inspector.png, window-crafter.png,
// the Benchmarks page and its charts, and the capture view, the crafter and the Benchmarks page at
// 1366x768 and 1920x1080 (window-1366-capture.png, …) in DIR with QWidget::grab().
#pragma once

#include <QString>

#include <functional>

namespace framescope::ui {

class MainWindow;

// Runs the event loop until `done` or `timeoutMs` passed; false on timeout. The tours' way to wait.
bool waitFor(const std::function<bool()>& done, int timeoutMs);

// Returns 0 when every PNG was written, else 1 with the reason on stderr.
int runScreenshotTour(MainWindow& window, const QString& directory);

}  // namespace framescope::ui
