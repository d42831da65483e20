// Interop peer on Node's `ws` (installed by `npm ci` into tests/interop/node/node_modules).
//   node peer.js server [--no-deflate]      echo server; prints "listening on ws://127.0.0.1:PORT/" first
//   node peer.js client URL [--no-deflate]  sends text and binary messages, checks each echo, closes 1000;
//                                           exit 0 and "ok" when all matched, else 1 with one line on stderr
//       [--fragmented]                      also a text message sent as three frames
'use strict';
const { WebSocket, WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const deflate = !args.includes('--no-deflate');
const maxPayload = 32 * 1024 * 1024;

function fail(why) {
  console.error(why);
  process.exit(1);
}

function serve() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate, maxPayload });
  server.on('listening', () => console.log(`listening on ws://127.0.0.1:${server.address().port}/`));
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
}

function client(url) {
  const messages = [
    { data: 'hello', binary: false },
    { data: 'é'.repeat(1000), binary: false },
    { data: Buffer.alloc(70000, 7), binary: true },
    { data: 'x'.repeat(1 << 20), binary: false },
    { data: Buffer.alloc(0), binary: true },
  ];
  if (args.includes('--fragmented')) messages.push({ data: 'fragmented', binary: false, parts: ['frag', 'ment', 'ed'] });
  const send = (m) => {
    if (!m.parts) return ws.send(m.data, { binary: m.binary });
    m.parts.forEach((part, i) => ws.send(part, { binary: m.binary, fin: i === m.parts.length - 1 }));
  };
  const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload });
  let index = 0;
  ws.on('open', () => send(messages[0]));
  ws.on('message', (data, isBinary) => {
    const expected = messages[index];
    const same = isBinary === expected.binary && Buffer.compare(Buffer.from(data), Buffer.from(expected.data)) === 0;
    if (!same) fail(`echo mismatch for message ${index}`);
    index += 1;
    if (index < messages.length) {
      send(messages[index]);
    } else {
      ws.ping('interop');
      ws.close(1000, 'done');
    }
  });
  ws.on('close', (code) => {
    if (code !== 1000 || index !== messages.length) fail(`closed with ${code} after ${index} messages`);
    console.log('ok');
    process.exit(0);
  });
  ws.on('error', (error) => fail(`error: ${error.message}`));
}

if (args[0] === 'server') serve();
else if (args[0] === 'client' && args[1]) client(args[1]);
else fail('usage: node peer.js server|client URL [--no-deflate]');
