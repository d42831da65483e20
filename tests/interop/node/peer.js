// Interop peer on Node's `ws` (installed by `npm ci` into tests/interop/node/node_modules).
//   node peer.js server [--no-deflate]      echo server; prints "listening on ws://127.0.0.1:PORT/" first
//   node peer.js client URL [--no-deflate]  sends text and binary messages, checks each echo, closes 1000;
//                                           exit 0 and "ok" when all matched, else 1 with one line on stderr
//       [--fragmented]                      also a text message sent as three frames
//       [--proxy PORT]                      through the HTTP proxy on 127.0.0.1:PORT, with CONNECT
'use strict';
const net = require('net');
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
  const options = { perMessageDeflate: deflate, maxPayload };
  const proxy = args.indexOf('--proxy');
  if (proxy >= 0) options.createConnection = throughProxy(Number(args[proxy + 1]));
  const ws = new WebSocket(url, options);
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

// The socket for the WebSocket, once the proxy answered a CONNECT to the server (Node's http calls back
// `oncreate` when it is ready). Nothing comes from the server before our upgrade request, so the answer's
// bytes are all the proxy's.
function throughProxy(proxyPort) {
  return (target, oncreate) => {
    const socket = net.connect(proxyPort, '127.0.0.1');
    let head = Buffer.alloc(0);
    socket.once('connect', () => {
      const authority = `${target.host}:${target.port}`;
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
    });
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      if (head.indexOf('\r\n\r\n') < 0) return;
      socket.removeListener('data', onData);
      const status = head.subarray(0, head.indexOf('\r\n')).toString();
      console.log(`connect-status ${status}`);
      if (!status.startsWith('HTTP/1.1 200')) return oncreate(new Error(status));
      oncreate(null, socket);
    };
    socket.on('data', onData);
    socket.once('error', (error) => oncreate(error));
  };
}

if (args[0] === 'server') serve();
else if (args[0] === 'client' && args[1]) client(args[1]);
else fail('usage: node peer.js server|client URL [--no-deflate]');
