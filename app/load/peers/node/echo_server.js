// The Node ws peer: an echo server on 127.0.0.1 (port from argv, default any) that prints
// "listening on ws://127.0.0.1:PORT/" first. No permessage-deflate, like the other peers.
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 << 20 });
server.on('listening', () => {
  process.stdout.write(`listening on ws://127.0.0.1:${server.address().port}/\n`);
});
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
process.on('SIGTERM', () => process.exit(0));
