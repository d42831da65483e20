// k6Script: the template with the run's parameters filled in as constants at the top.
#include "load/k6_export.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace framescope::app {

namespace {

// The body after the constants. Each VU opens one connection after its share of the ramp-up, keeps
// IN_FLIGHT messages outstanding (or sends at its share of RATE), and closes when the run ends.
constexpr const char* kBody = R"JS(
const rtt = new Trend('ws_rtt', true);
const echoes = new Counter('ws_echoes');

export const options = {
  scenarios: {
    framescope: {
      executor: 'per-vu-iterations',
      vus: CONNECTIONS,
      iterations: 1,
      maxDuration: `${Math.ceil(DURATION_S + 30)}s`,
    },
  },
};

function makePayload() {
  switch (PAYLOAD) {
    case 'text': {
      const words = 'FrameScope load run, text payload. ';
      return words.repeat(Math.ceil(SIZE / words.length + 1)).slice(0, SIZE);
    }
    case 'repeated':
      return new Uint8Array(SIZE).fill(97).buffer;
    case 'random':
      return null;  // fresh random bytes for every message
    default: {
      const bytes = new Uint8Array(randomBytes(SIZE));
      return bytes.buffer;
    }
  }
}

export default function () {
  const delay = (RAMP_UP_S * (__VU - 1)) / CONNECTIONS;
  if (delay > 0) sleep(delay);
  const fixed = makePayload();
  const sentAt = [];
  let sending = true;
  const params = { headers: HEADERS };
  if (DEFLATE) params.compression = 'deflate';
  const ws = new WebSocket(URL, PROTOCOLS.length ? PROTOCOLS : null, params);
  ws.binaryType = 'arraybuffer';

  const sendOne = () => {
    sentAt.push(Date.now());
    ws.send(fixed === null ? randomBytes(SIZE) : fixed);
  };

  ws.onopen = () => {
    if (RATE > 0) {
      // Sends what is due by the clock at each tick, so timer drift does not lower the rate.
      const perVu = RATE / CONNECTIONS;
      const started = Date.now();
      let sent = 0;
      const id = setInterval(() => {
        const due = Math.floor(((Date.now() - started) / 1000) * perVu) + 1;
        for (; sending && sent < due; sent++) sendOne();
      }, Math.max(1, Math.min(1000, 1000 / perVu)));
      ws.addEventListener('close', () => clearInterval(id));
    } else {
      for (let i = 0; i < IN_FLIGHT; i++) sendOne();
    }
    setTimeout(() => { sending = false; ws.close(); }, (DURATION_S - delay) * 1000);
  };
  ws.onmessage = () => {
    const t0 = sentAt.shift();
    if (t0 !== undefined) rtt.add(Date.now() - t0);
    echoes.add(1);
    if (RATE <= 0 && sending) sendOne();
  };
  ws.onerror = (e) => console.error(`ws error: ${e.error}`);
}
)JS";

QString js(const QString& text) {
    // A JSON string is a valid JavaScript string literal.
    const QByteArray doc = QJsonDocument(QJsonObject{{"s", text}}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(doc.mid(5, doc.size() - 6));
}

QString number(double value) {
    return QString::number(value, 'g', 10);
}

}  // namespace

QString k6Script(const LoadOptions& options) {
    QStringList headers;
    for (const auto& [name, value] : options.connection.headers)
        headers << QString("%1: %2").arg(js(name), js(value));
    if (!options.connection.origin.isEmpty())
        headers << QString("\"Origin\": %1").arg(js(options.connection.origin));
    QStringList protocols;
    for (const QString& protocol : options.connection.subprotocols)
        protocols << js(protocol);
    QString script;
    script +=
        "// k6 script exported by FrameScope: the same load as its load run, to spread over machines.\n";
    script += "// Run: k6 run this.js   (k6 >= 0.43; the experimental websockets module)\n";
    script += "import { WebSocket } from 'k6/experimental/websockets';\n";
    script += "import { randomBytes } from 'k6/crypto';\n";
    script += "import { Counter, Trend } from 'k6/metrics';\n";
    script += "import { sleep } from 'k6';\n\n";
    script += QString("const URL = %1;\n").arg(js(options.connection.url.toString()));
    script += QString("const CONNECTIONS = %1;\n").arg(options.connections);
    script += QString("const SIZE = %1;  // payload bytes per message\n").arg(options.messageSize);
    script += QString("const PAYLOAD = %1;  // text, binary, random or repeated\n")
                  .arg(js(payloadKindName(options.payload)));
    script += QString("const IN_FLIGHT = %1;  // per connection, when RATE is 0\n").arg(options.inFlight);
    script += QString("const RATE = %1;  // messages per second over all connections; 0 = in-flight mode\n")
                  .arg(number(options.rate));
    script += QString("const DURATION_S = %1;\n").arg(number(options.durationSec));
    script += QString("const RAMP_UP_S = %1;\n").arg(number(options.rampUpSec));
    script += QString("const DEFLATE = %1;\n").arg(options.connection.deflate ? "true" : "false");
    script += QString("const HEADERS = {%1};\n").arg(headers.join(", "));
    script += QString("const PROTOCOLS = [%1];\n").arg(protocols.join(", "));
    script += QString::fromUtf8(kBody);
    return script;
}

}  // namespace framescope::app
