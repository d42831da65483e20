// Written by FrameScope's Artillery export; the scenario beside it sets every number in config.variables.
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
