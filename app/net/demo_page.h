// The built-in server's demo page: what a browser gets when it opens the server's address (a plain GET of
// "/", no Upgrade). The page opens a WebSocket to the URL in its query (?ws=ws://HOST:PORT/PATH), by
// default to the server that served it, sends a greeting, a JSON order and a short binary message, shows
// each echo beside what was sent, and closes with 1000 once every echo came back (reason "all 3 echoes
// matched", or "an echo differed"). Point ?ws= at a proxy to watch a real browser through it.
#pragma once

#include <QByteArray>

#include "framescope/handshake.h"

namespace framescope::app {

// True for a GET of "/" (a query allowed) without an Upgrade header that the handshake refused for that
// reason alone: a browser opening the server's address. Any other refused request keeps its answer.
bool isDemoPageRequest(const ServerHandshake& handshake);

// The head of the answer (200, text/html, Content-Length, Connection: close) and the page after it.
const QByteArray& demoPageResponseHead();
const QByteArray& demoPageHtml();

}  // namespace framescope::app
