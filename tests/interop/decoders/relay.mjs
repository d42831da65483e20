// Helpers for the decoder interop sessions: a logging WebSocket relay that prints every message it forwards.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import WebSocket, { WebSocketServer } from 'ws';

export const require = createRequire(import.meta.url);
let connectionCounter = 0;

export function print(record) {
    process.stdout.write(JSON.stringify(record) + '\n');
}

export async function listen(server) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server.address().port;
}

// A relay on its own port: accepts a client, opens the same path with the same subprotocols upstream, logs
// and forwards every message both ways, closes each side when the other closes.
export async function startRelay(session, upstreamPort) {
    const http = createServer();
    const wss = new WebSocketServer({
        server: http,
        handleProtocols: (protocols) => (protocols.size ? [...protocols][0] : false),
    });
    wss.on('connection', (client, req) => {
        const connection = ++connectionCounter;
        const offered = req.headers['sec-websocket-protocol'];
        const protocols = offered ? offered.split(',').map((p) => p.trim()) : [];
        const upstream = new WebSocket(`ws://127.0.0.1:${upstreamPort}${req.url}`, protocols);
        const early = [];
        const log = (sender, data, isBinary) =>
            print({ session, connection, url: req.url, subprotocol: client.protocol || '', sender,
                    binary: isBinary, base64: Buffer.from(data).toString('base64') });
        client.on('message', (data, isBinary) => {
            log('client', data, isBinary);
            if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
            else early.push([data, isBinary]);
        });
        upstream.on('open', () => {
            for (const [data, isBinary] of early) upstream.send(data, { binary: isBinary });
        });
        upstream.on('message', (data, isBinary) => {
            log('server', data, isBinary);
            if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
        });
        upstream.on('close', () => client.close());
        client.on('close', () => upstream.close());
        upstream.on('error', () => client.terminate());
        client.on('error', () => upstream.terminate());
    });
    const port = await listen(http);
    return { port, close: () => { wss.close(); http.close(); } };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

