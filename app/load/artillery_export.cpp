// artilleryExport: the scenario is YAML built line by line (strings as JSON strings, which YAML reads as
// double-quoted scalars); the run's numbers go into config.variables, which the processor reads from each
// virtual user's context, so the processor's text is the same for every export.
#include "load/artillery_export.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdlib>

namespace framescope::app {

namespace {

// The processor. The ws engine has opened context.ws with the scenario's config.ws; this function keeps
// the messages in flight (or the rate) until the run's duration has passed, then returns and the engine
// closes the connection. Metrics are Artillery's own events, added up over workers and machines.
constexpr const char* kProcessor =
    R"JS(// Written by FrameScope's Artillery export; the scenario beside it sets every number in config.variables.
// The ws engine opens the connection (config.ws: headers, subprotocols, permessage-deflate, TLS); then
// framescopeLoad keeps framescopeInFlight messages outstanding on it (or sends framescopeRate messages/s
// over all connections) until framescopeDurationS seconds after this worker's first connection opened,
// and times each echo. Metrics (added up over workers and machines by Artillery):
//   websocket.messages_sent, websocket.messages_received   counters (added up here, emitted every 100 ms)
//   framescope.bytes_received                             counter, payload bytes of the echoes
//   framescope.round_trip_us                              histogram, microseconds (p50, p99, ...)
'use strict';
const crypto = require('node:crypto');

let firstOpenMs = 0;

function payloadMaker(kind, size) {
  if (kind === 'text') {
    const words = 'FrameScope load run, text payload. ';
    const text = words.repeat(Math.ceil(size / words.length) + 1).slice(0, size);
    return () => text;
  }
  if (kind === 'repeated') {
    const bytes = Buffer.alloc(size, 97);
    return () => bytes;
  }
  if (kind === 'random') {
    const pool = crypto.randomBytes(size + 65536);
    let at = 0;
    return () => {
      at = (at + 4099) % 65537;
      return pool.subarray(at, at + size);
    };
  }
  const bytes = crypto.randomBytes(size);
  return () => bytes;
}

function framescopeLoad(context, events, done) {
  const vars = context.vars;
  const ws = context.ws;
  const connections = Number(vars.framescopeConnections);
  const inFlight = Number(vars.framescopeInFlight);
  const rate = Number(vars.framescopeRate);
  const kind = String(vars.framescopePayload);
  const binary = kind !== 'text';
  const nextPayload = payloadMaker(kind, Number(vars.framescopeMessageSize));
  const now = Date.now();
  if (!firstOpenMs) firstOpenMs = now;
  const runMs = Math.max(0, firstOpenMs + Number(vars.framescopeDurationS) * 1000 - now);
  const sentAt = [];
  const counts = { sent: 0, received: 0, bytes: 0 };
  let sending = true;
  let timer = null;

  // Artillery's per-event cost is a large share of the worker's time: counters go in batches.
  const flush = () => {
    if (counts.sent) events.emit('counter', 'websocket.messages_sent', counts.sent);
    if (counts.received) events.emit('counter', 'websocket.messages_received', counts.received);
    if (counts.bytes) events.emit('counter', 'framescope.bytes_received', counts.bytes);
    counts.sent = counts.received = counts.bytes = 0;
  };
  const flusher = setInterval(flush, 100);
  const sendOne = () => {
    sentAt.push(process.hrtime.bigint());
    ws.send(nextPayload(), { binary });
    counts.sent++;
  };
  const finish = (error) => {
    if (!sending) return;
    sending = false;
    if (timer) clearInterval(timer);
    clearInterval(flusher);
    flush();
    ws.removeAllListeners('message');
    done(error);
  };
  ws.on('message', (data) => {
    const t0 = sentAt.shift();
    if (t0 !== undefined)
      events.emit('histogram', 'framescope.round_trip_us', Number(process.hrtime.bigint() - t0) / 1e3);
    counts.received++;
    counts.bytes += data.length;
    if (sending && rate <= 0) sendOne();
  });
  ws.once('close', () => finish(new Error('the server closed the connection')));
  if (rate > 0) {
    const perConnection = rate / connections;
    const startedMs = Date.now();
    let sent = 0;
    timer = setInterval(() => {
      const due = Math.floor(((Date.now() - startedMs) / 1000) * perConnection) + 1;
      for (; sending && sent < due; sent++) sendOne();
    }, Math.max(1, Math.min(1000, 1000 / perConnection)));
  } else {
    for (let i = 0; i < inFlight; i++) sendOne();
  }
  setTimeout(() => finish(), runMs);
}

module.exports = { framescopeLoad };
)JS";

QString quoted(const QString& text) {
    // A JSON string is a valid YAML double-quoted scalar.
    const QByteArray doc = QJsonDocument(QJsonObject{{"s", text}}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(doc.mid(5, doc.size() - 6));
}

QString number(double value) {
    return QString::number(value, 'g', 10);
}

// Artillery opens virtual users at a whole number per second (arrivalRate, split over its workers) for a
// whole number of seconds: the phase whose length is the divisor of `connections` closest to the ramp-up,
// so that exactly `connections` open.
struct ArrivalPhase {
    int durationSec = 1;
    int arrivalRate = 1;
};

ArrivalPhase arrivalPhase(int connections, double rampUpSec) {
    const int wanted = std::max(1, static_cast<int>(std::lround(rampUpSec)));
    int best = 1;
    for (int d = 1; d <= connections; ++d) {
        if (connections % d == 0 && std::abs(d - wanted) < std::abs(best - wanted)) best = d;
    }
    return {best, connections / best};
}

// What Artillery cannot express, each as one sentence; the scenario repeats them as comments.
QStringList unsupported(const LoadOptions& options, const ArrivalPhase& phase) {
    QStringList notes;
    if (std::abs(phase.durationSec - options.rampUpSec) > 1e-9) {
        notes << QString(
                     "Artillery opens connections at a whole number per second over whole seconds: the "
                     "%1 s ramp-up becomes %2 s at %3 connections/s.")
                     .arg(number(options.rampUpSec))
                     .arg(phase.durationSec)
                     .arg(phase.arrivalRate);
    }
    if (options.threads != 0)
        notes << "Artillery chooses its own workers (one per core, or --count machines): the thread count "
                 "is not exported.";
    if (options.sampleIntervalMs != 10000)
        notes << QString("Artillery reports every 10 s, not every %1 ms.").arg(options.sampleIntervalMs);
    const TlsOptions& tls = options.connection.tls;
    if (!tls.caFile.isEmpty() || !tls.certificateFile.isEmpty() || !tls.keyFile.isEmpty())
        notes << "CA and client certificate files are not exported: add ca, cert and key (PEM text) under "
                 "config.tls.";
    if (options.connection.proxy.type() != QNetworkProxy::NoProxy)
        notes << "The proxy is not exported: Artillery's ws engine takes an HTTPS proxy as "
                 "config.ws.proxy.url.";
    if (options.connection.ipVersion != IpVersion::Any)
        notes << "The IP version is not exported: Node resolves the host name as it chooses.";
    return notes;
}

QString deflateYaml(const std::optional<DeflateOffer>& offer) {
    if (!offer) return "    perMessageDeflate: false  # the ws package offers it unless told not to\n";
    QString yaml =
        "    perMessageDeflate:\n      threshold: 0  # compress every message, as FrameScope does\n";
    const int client = offer->clientMaxWindowBits;
    yaml += QString("      clientMaxWindowBits: %1\n")
                .arg(client < 0    ? QString("true")
                     : client == 0 ? QString("false")
                                   : QString::number(client));
    if (offer->serverMaxWindowBits > 0)
        yaml += QString("      serverMaxWindowBits: %1\n").arg(offer->serverMaxWindowBits);
    if (offer->clientNoContextTakeover) yaml += "      clientNoContextTakeover: true\n";
    if (offer->serverNoContextTakeover) yaml += "      serverNoContextTakeover: true\n";
    return yaml;
}

QString wsYaml(const ConnectionOptions& connection) {
    QString yaml = "  ws:\n";
    if (!connection.subprotocols.isEmpty()) {
        yaml += "    subprotocols:\n";
        for (const QString& protocol : connection.subprotocols)
            yaml += "      - " + quoted(protocol) + "\n";
    }
    if (!connection.headers.isEmpty() || !connection.origin.isEmpty()) {
        yaml += "    headers:\n";
        for (const auto& [name, value] : connection.headers)
            yaml += QString("      %1: %2\n").arg(quoted(name), quoted(value));
        if (!connection.origin.isEmpty()) yaml += "      Origin: " + quoted(connection.origin) + "\n";
    }
    yaml += deflateYaml(connection.deflate);
    if (connection.tls.ignoreCertificateErrors) yaml += "  tls:\n    rejectUnauthorized: false\n";
    return yaml;
}

QString variablesYaml(const LoadOptions& options) {
    QString yaml = "  variables:\n";
    yaml += QString("    framescopeConnections: %1\n").arg(options.connections);
    yaml += QString("    framescopeMessageSize: %1  # payload bytes per message\n").arg(options.messageSize);
    yaml += QString("    framescopePayload: %1  # text, binary, random or repeated\n")
                .arg(quoted(payloadKindName(options.payload)));
    yaml += QString("    framescopeInFlight: %1  # per connection, when framescopeRate is 0\n")
                .arg(options.inFlight);
    yaml +=
        QString("    framescopeRate: %1  # messages/s over all connections of one machine; 0 = in flight\n")
            .arg(number(options.rate));
    yaml += QString("    framescopeDurationS: %1  # from the first connection, ramp-up included\n")
                .arg(number(options.durationSec));
    return yaml;
}

}  // namespace

ArtilleryExport artilleryExport(const LoadOptions& options, const QString& processorFileName) {
    ArtilleryExport out;
    const ArrivalPhase phase = arrivalPhase(std::max(1, options.connections), options.rampUpSec);
    out.warnings = unsupported(options, phase);
    QString& y = out.scenario;
    y += "# Artillery scenario exported by FrameScope: the same load as its load run, to spread over "
         "machines.\n";
    y +=
        "# Run:  artillery run --output report.json THIS.yml   (Artillery 2; the processor file beside it)\n";
    y += "# Then: framescope-cli load --import-artillery report.json   (or Import Artillery report… in the "
         "window)\n";
    y += "# Each machine of a distributed run (run-lambda / run-fargate --count N) runs this whole "
         "scenario.\n";
    for (const QString& note : out.warnings)
        y += "# Not expressible: " + note + "\n";
    y += "config:\n";
    y += "  target: " + quoted(options.connection.url.toString()) + "\n";
    y += "  processor: " + quoted("./" + processorFileName) + "\n";
    y += "  phases:\n";
    y += "    - name: open the connections\n";
    y += QString("      duration: %1\n      arrivalRate: %2\n      maxVusers: %3\n")
             .arg(phase.durationSec)
             .arg(phase.arrivalRate)
             .arg(options.connections);
    y += wsYaml(options.connection);
    y += variablesYaml(options);
    y += "scenarios:\n";
    y += "  - name: framescope load run\n";
    y += "    engine: ws\n";
    y += "    flow:\n";
    y += "      # The ws engine's own send step sends text only, one message at a time, and times nothing:\n";
    y += "      # the processor keeps the messages in flight (or the rate) and times every echo.\n";
    y += "      - function: framescopeLoad\n";
    out.processor = QString::fromUtf8(kProcessor);
    return out;
}

QString artilleryProcessorPath(const QString& scenarioPath) {
    const QFileInfo info(scenarioPath);
    return info.dir().filePath(info.completeBaseName() + ".processor.cjs");
}

bool writeArtilleryExport(const LoadOptions& options, const QString& scenarioPath, QStringList* warnings,
                          QString* error) {
    const QString processorPath = artilleryProcessorPath(scenarioPath);
    const ArtilleryExport out = artilleryExport(options, QFileInfo(processorPath).fileName());
    if (warnings) *warnings = out.warnings;
    for (const auto& [path, text] : {std::pair{scenarioPath, out.scenario}, {processorPath, out.processor}}) {
        QFile file(path);
        const QByteArray bytes = text.toUtf8();
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
            if (error) *error = QString("Cannot write %1: %2.").arg(path, file.errorString());
            return false;
        }
    }
    return true;
}

}  // namespace framescope::app
