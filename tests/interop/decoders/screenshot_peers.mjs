// Real peers for the README's decoded screenshots: a socket.io server and an aedes MQTT broker over
// WebSocket, on loopback ports. Prints one line, {"socketio": URL, "mqtt": URL}, and runs until stdin closes.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { WebSocketServer, createWebSocketStream } from 'ws';

const require = createRequire(import.meta.url);

async function listen(server) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server.address().port;
}

const { Server } = require('socket.io');
const ioHttp = createServer();
const io = new Server(ioHttp);
io.on('connection', (socket) => {
    socket.emit('welcome', { room: 'lobby', users: 3 });
    socket.on('chat', (message, ack) => {
        if (typeof ack === 'function') ack({ received: message, id: 7 });
        socket.broadcast.emit('chat', message);
    });
});

const { Aedes } = await import('aedes');
const broker = await Aedes.createBroker();
const mqttHttp = createServer();
const wss = new WebSocketServer({ server: mqttHttp });
wss.on('connection', (websocket, req) => broker.handle(createWebSocketStream(websocket), req));

const socketioPort = await listen(ioHttp);
const mqttPort = await listen(mqttHttp);
process.stdout.write(JSON.stringify({
    socketio: `ws://127.0.0.1:${socketioPort}/socket.io/?EIO=4&transport=websocket`,
    mqtt: `ws://127.0.0.1:${mqttPort}/mqtt`,
}) + '\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
