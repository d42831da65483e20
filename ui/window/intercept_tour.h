// `framescope --intercept-screenshot DIR` (and the end of --screenshot): the Proxy button starts a reverse
// proxy toward the built-in server, a real client process (Python websockets, /usr/bin/python3) talks
// through it, a breakpoint holds its order message, and the held message is loaded into the Frame crafter
// to be edited. Saves window-intercept.png (the Intercept tab), window-intercept-edit.png (the crafter) and
// window-proxy-other-leg.png (a relayed message with the inspector's Other leg tab).
#pragma once

#include <QString>

namespace framescope::ui {

class MainWindow;

// 0 on success; one sentence on stderr otherwise.
int runInterceptTour(MainWindow& window, const QString& directory);

// What both proxy tours begin with: the Proxy button toward the built-in server and a breakpoint holding
// messages from the app that contain "order". False, with one sentence on stderr, when the proxy did not
// start.
bool startProxyHoldingOrders(MainWindow& window);

}  // namespace framescope::ui
