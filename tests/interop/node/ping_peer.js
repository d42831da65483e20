// A Node `ws` peer driven line by line, to watch pings and pongs cross a proxy (tests/app/tst_proxy_pings).
//   node ping_peer.js server       listens; prints "listening on ws://127.0.0.1:PORT/", then "open" per client
//   node ping_peer.js client URL   connects; prints "open"
// Both then print what arrives, one line each: "ping PAYLOAD", "pong PAYLOAD", "message PAYLOAD",
// "close CODE" (ws answers every ping with a pong itself), and obey lines on standard input:
// "ping PAYLOAD", "pong PAYLOAD" (unsolicited), "send TEXT", "close".
'use strict';
const readline = require('readline');
const { WebSocket, WebSocketServer } = require('ws');

const [role, url] = process.argv.slice(2);
let socket = null;

function watch(ws) {
  socket = ws;
  console.log('open');
  ws.on('ping', (data) => console.log(`ping ${data}`));
  ws.on('pong', (data) => console.log(`pong ${data}`));
  ws.on('message', (data) => console.log(`message ${data}`));
  ws.on('close', (code) => console.log(`close ${code}`));
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const space = line.indexOf(' ');
  const verb = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (!socket) return console.error(`not open yet: ${line}`);
  if (verb === 'ping') socket.ping(rest);
  else if (verb === 'pong') socket.pong(rest);
  else if (verb === 'send') socket.send(rest);
  else if (verb === 'close') socket.close(1000, 'done');
  else console.error(`unknown command: ${line}`);
});

if (role === 'server') {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('listening', () => console.log(`listening on ws://127.0.0.1:${server.address().port}/`));
  server.on('connection', watch);
} else if (role === 'client' && url) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => watch(ws));
  ws.on('error', (error) => console.log(`error ${error.message}`));
} else {
  console.error('usage: node ping_peer.js server | client URL');
  process.exit(2);
}
