// The built-in server's demo page. See demo_page.h.
#include "net/demo_page.h"

namespace framescope::app {

namespace {

constexpr const char* kHtml = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FrameScope demo page</title>
<link rel="icon" href="data:,">
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 28px; background: #f5f6f8; color: #1d2330; }
h1 { font-size: 21px; margin: 0 0 6px; }
code { font: 13px monospace; background: #e8ebf0; padding: 1px 5px; border-radius: 3px; }
ol { padding: 0; margin: 16px 0; }
li { list-style: none; margin: 6px 0; padding: 7px 12px; background: #fff; border-left: 5px solid #9aa3b5;
     font: 13px/1.4 monospace; word-break: break-all; }
li.sent { border-color: #3b7dd8; } li.echo { border-color: #2e9d5b; } li.bad { border-color: #d32f2f; }
#status { font-weight: 600; }
</style></head><body>
<h1>FrameScope demo page</h1>
<div>WebSocket <code id="url"></code> &middot; <span id="status">connecting&hellip;</span></div>
<ol id="log"></ol>
<script>
const query = new URLSearchParams(location.search);
const url = query.get('ws') || (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
const messages = ['hello from the demo page',
                  JSON.stringify({type: 'order', item: 'coffee', qty: 2, price: 7.5}),
                  new Uint8Array([0, 1, 2, 3, 127, 128, 253, 254, 255])];
const hex = (m) => Array.from(m instanceof ArrayBuffer ? new Uint8Array(m) : m,
                              (b) => b.toString(16).padStart(2, '0')).join(' ');
const describe = (m) => typeof m === 'string' ? m : `binary, ${m.byteLength} bytes: ${hex(m)}`;
const status = (text) => { document.getElementById('status').textContent = text; };
const show = (kind, text) => {
  const item = document.createElement('li');
  item.className = kind;
  item.textContent = text;
  document.getElementById('log').append(item);
};
document.getElementById('url').textContent = url;
let echoes = 0, matched = 0, verdict = '';
const ws = new WebSocket(url);
ws.binaryType = 'arraybuffer';
ws.onopen = () => {
  status('open');
  for (const m of messages) { ws.send(m); show('sent', '\u2192 ' + describe(m)); }
};
ws.onmessage = (event) => {
  const same = describe(event.data) === describe(messages[echoes++]);
  matched += same ? 1 : 0;
  show(same ? 'echo' : 'bad', '\u2190 ' + describe(event.data) + (same ? '' : '  (differs from what was sent)'));
  if (echoes < messages.length) return;
  verdict = matched === messages.length ? 'all 3 echoes matched' : 'an echo differed';
  ws.close(1000, verdict);
};
ws.onerror = () => status('error: the WebSocket to ' + url + ' failed');
ws.onclose = (event) => {
  status(`closed ${event.code}` + (verdict ? `: ${verdict}` : ''));
  document.title = `closed ${event.code}`;
};
</script>
</body></html>
)HTML";

}  // namespace

bool isDemoPageRequest(const ServerHandshake& handshake) {
    if (handshake.state() != HandshakeState::Failed || handshake.error() != HandshakeError::BadUpgrade)
        return false;
    const std::string& target = handshake.path();
    return !handshake.headers().first("Upgrade") && (target == "/" || target.starts_with("/?"));
}

const QByteArray& demoPageHtml() {
    static const QByteArray html(kHtml);
    return html;
}

const QByteArray& demoPageResponseHead() {
    static const QByteArray head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
        QByteArray::number(demoPageHtml().size()) +
        "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    return head;
}

}  // namespace framescope::app
