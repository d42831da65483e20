// `framescope --browser-screenshot DIR`: a real page in a real browser through the window's proxy. The
// Proxy button starts a reverse proxy toward the built-in server, headless Chromium opens the built-in
// server's demo page (app/net/demo_page.h) with ?ws= pointing at the proxy, and a breakpoint holds the
// page's JSON order. Saves window-proxy-browser.png (the window with the held order, both legs in the
// connections list), forwards it, then saves browser-demo-page.png (the page as Chromium renders it after
// every echo came back through the proxy). Without Chromium it says so; `--intercept-screenshot` takes
// the intercept shots with a Python client instead.
#pragma once

#include <QString>

namespace framescope::ui {

class MainWindow;

// The Chromium binary (Debian's, without its wrapper script's flags, when present); empty when none.
QString chromiumBinary();

// 0 on success; one sentence on stderr otherwise.
int runBrowserTour(MainWindow& window, const QString& directory);

}  // namespace framescope::ui
