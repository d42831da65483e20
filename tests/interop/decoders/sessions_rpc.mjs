// Request/response sessions: graphql-ws, JSON-RPC 2.0, SignalR (JSON and MessagePack), Phoenix channels.
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { listen, require, sleep, startRelay } from './relay.mjs';

export const sessions = {};

sessions['graphql-ws'] = async function () {
    const { buildSchema } = require('graphql');
    const { useServer } = require('graphql-ws/use/ws');
    const { createClient } = require('graphql-ws');
    const schema = buildSchema(`
        type Price { symbol: String! bid: Float! }
        type Query { hello(name: String): String }
        type Subscription { prices(symbol: String!, count: Int!): Price }`);
    const roots = {
        query: { hello: ({ name }) => `hello ${name}` },
        subscription: {
            prices: async function* ({ symbol, count }) {
                for (let i = 0; i < count; ++i) yield { prices: { symbol, bid: 10 + i / 4 } };
            },
        },
    };
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/graphql' });
    const cleanup = useServer({ schema, roots }, wss);
    const relay = await startRelay('graphql-ws', await listen(http));
    const client = createClient({ url: `ws://127.0.0.1:${relay.port}/graphql`, webSocketImpl: WebSocket, lazy: false });
    const values = [];
    for await (const result of client.iterate({
        query: 'subscription OnPrice($s: String!) { prices(symbol: $s, count: 3) { symbol bid } }',
        variables: { s: 'ACME' } }))
        values.push(result);
    for await (const result of client.iterate({ query: '{ hello(name: "FrameScope") }' })) values.push(result);
    try {
        for await (const result of client.iterate({ query: '{ nosuchfield }' })) values.push(result);
    } catch (errors) {
        values.push(errors);  // the server's error message, as the protocol's "error" type
    }
    await client.dispose();
    await sleep(100);
    await cleanup.dispose();
    relay.close();
    http.close();
};

// Apollo's legacy protocol (subprotocol "graphql-ws"), with its own server and client.
sessions['subscriptions-transport-ws'] = async function () {
    const { SubscriptionServer, SubscriptionClient } = require('subscriptions-transport-ws');
    const { buildSchema, execute, subscribe } = require('graphql');
    const schema = buildSchema(`
        type Query { hello: String }
        type Subscription { ticks(count: Int!): Int }`);
    const rootValue = {
        hello: () => 'hello',
        ticks: async function* ({ count }) {
            for (let i = 0; i < count; ++i) yield { ticks: i };
        },
    };
    const http = createServer();
    const server = SubscriptionServer.create({ schema, execute, subscribe, rootValue, keepAlive: 50 }, { server: http, path: '/graphql' });
    const relay = await startRelay('subscriptions-transport-ws', await listen(http));
    const client = new SubscriptionClient(`ws://127.0.0.1:${relay.port}/graphql`, { reconnect: false }, WebSocket);
    const run = (request) => new Promise((resolve, reject) =>
        client.request(request).subscribe({ next: () => {}, error: reject, complete: resolve }));
    await run({ query: 'subscription Ticks { ticks(count: 3) }' });
    await run({ query: '{ hello }' });
    client.close();
    await sleep(100);
    server.close();
    relay.close();
    http.close();
};

sessions['json-rpc'] = async function () {
    const { JSONRPCServer, JSONRPCClient } = require('json-rpc-2.0');
    const server = new JSONRPCServer();
    server.addMethod('add', ({ a, b }) => a + b);
    server.addMethod('echo', (params) => params);
    server.addMethod('log', () => undefined);
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => ws.on('message', async (data) => {
        const response = await server.receive(JSON.parse(data.toString()));
        if (response) ws.send(JSON.stringify(response));
    }));
    const relay = await startRelay('json-rpc', await listen(http));
    const ws = new WebSocket(`ws://127.0.0.1:${relay.port}/rpc`);
    const client = new JSONRPCClient((request) => ws.send(JSON.stringify(request)));
    ws.on('message', (data) => client.receive(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.on('open', resolve));
    await client.request('add', { a: 2, b: 3 });
    client.notify('log', { level: 'info', text: 'notification' });
    await client.request('missing.method', []).catch(() => {});
    await client.requestAdvanced([
        { jsonrpc: '2.0', method: 'echo', params: ['one'], id: 10 },
        { jsonrpc: '2.0', method: 'add', params: { a: 1, b: 1 }, id: 'eleven' },
    ]);
    ws.close();
    await sleep(100);
    relay.close();
    wss.close();
    http.close();
};

// The client library's protocols only parse what a server sends, so the hub reads client messages itself:
// JSON records, or varint-prefixed MessagePack arrays ([type, headers, invocationId, target, arguments]).
function readHubMessages(data, isBinary) {
    if (!isBinary) return data.toString().split('\x1e').filter(Boolean).map((r) => JSON.parse(r));
    const { decode } = require('@msgpack/msgpack');
    const out = [];
    for (let pos = 0; pos < data.length;) {
        let length = 0;
        for (let shift = 0; ; shift += 7) {
            const b = data[pos++];
            length |= (b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        const a = decode(data.subarray(pos, pos + length));
        pos += length;
        out.push({ type: a[0], invocationId: a[2] ?? undefined, target: a[3], arguments: a[4] });
    }
    return out;
}

// A small hub: answers the handshake, Add with a Completion, Counter with stream items and a Completion,
// Notify with a server-to-client invocation; every message written by the library's own hub protocol.
function startHub(protocol) {
    const { MessageType } = require('@microsoft/signalr');
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
        let handshaken = false;
        const send = (message) => {
            const out = protocol.writeMessage(message);
            ws.send(typeof out === 'string' ? out : Buffer.from(out), { binary: typeof out !== 'string' });
        };
        ws.on('message', (data, isBinary) => {
            if (!handshaken) {
                handshaken = true;  // {"protocol":"...","version":1}\x1e
                ws.send(protocol.name === 'json' ? '{}\x1e' : Buffer.from('{}\x1e'), { binary: protocol.name !== 'json' });
                send({ type: MessageType.Ping });
                return;
            }
            for (const m of readHubMessages(data, isBinary)) {
                if (m.type === MessageType.Invocation && m.target === 'Add')
                    send({ type: MessageType.Completion, invocationId: m.invocationId, result: m.arguments[0] + m.arguments[1] });
                if (m.type === MessageType.Invocation && m.target === 'Notify')
                    send({ type: MessageType.Invocation, target: 'Notified', arguments: [m.arguments[0], 1] });
                if (m.type === MessageType.StreamInvocation) {
                    for (let i = 0; i < m.arguments[0]; ++i) send({ type: MessageType.StreamItem, invocationId: m.invocationId, item: i });
                    send({ type: MessageType.Completion, invocationId: m.invocationId });
                }
            }
        });
    });
    return http;
}

async function signalRSession(name, protocol) {
    const { HubConnectionBuilder, HttpTransportType, LogLevel } = require('@microsoft/signalr');
    const http = startHub(protocol);
    const relay = await startRelay(name, await listen(http));
    const connection = new HubConnectionBuilder()
        .withUrl(`http://127.0.0.1:${relay.port}/chathub`, { skipNegotiation: true, transport: HttpTransportType.WebSockets, WebSocket })
        .withHubProtocol(protocol)
        .configureLogging(LogLevel.None)
        .build();
    const notified = new Promise((resolve) => connection.on('Notified', resolve));
    await connection.start();
    await connection.invoke('Add', 2, 40);
    await connection.send('Notify', 'hello');
    await notified;
    await new Promise((resolve, reject) =>
        connection.stream('Counter', 3).subscribe({ next: () => {}, complete: resolve, error: reject }));
    await connection.stop();
    await sleep(100);
    relay.close();
    http.close();
}

sessions['signalr json'] = async function () {
    const { JsonHubProtocol } = require('@microsoft/signalr');
    await signalRSession('signalr json', new JsonHubProtocol());
};

sessions['signalr messagepack'] = async function () {
    const { MessagePackHubProtocol } = require('@microsoft/signalr-protocol-msgpack');
    await signalRSession('signalr messagepack', new MessagePackHubProtocol());
};

// A small Phoenix channel server speaking the V2 serializer: replies to joins, pushes, heartbeats and leaves,
// broadcasts each new_msg, and answers a binary push with a binary broadcast (kind 2).
function startPhoenixServer() {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
        const reply = (joinRef, ref, topic, response = {}) =>
            ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]));
        ws.on('message', (data, isBinary) => {
            if (isBinary) {  // kind 0 push: sizes of join_ref, ref, topic, event, then the strings
                const b = Buffer.from(data);
                const [joinRef, ref, topic] = [[5, b[1]], [5 + b[1], b[2]], [5 + b[1] + b[2], b[3]]]
                    .map(([at, n]) => b.subarray(at, at + n).toString());
                reply(joinRef, ref, topic);
                const event = Buffer.from('uploaded');
                ws.send(Buffer.concat([Buffer.from([2, topic.length, event.length]), Buffer.from(topic), event, Buffer.from([9, 8, 7])]));
                return;
            }
            const [joinRef, ref, topic, event, payload] = JSON.parse(data.toString());
            reply(joinRef, ref, topic, event === 'phx_join' ? { welcome: payload.user } : {});
            if (event === 'new_msg') ws.send(JSON.stringify([joinRef, null, topic, 'new_msg', payload]));
        });
    });
    return http;
}

sessions['phoenix'] = async function () {
    const { Socket } = require('phoenix');
    const http = startPhoenixServer();
    const relay = await startRelay('phoenix', await listen(http));
    const socket = new Socket(`ws://127.0.0.1:${relay.port}/socket`, { transport: WebSocket, heartbeatIntervalMs: 150 });
    socket.connect();
    const channel = socket.channel('room:lobby', { user: 'ada' });
    const ok = (push) => new Promise((resolve, reject) => push.receive('ok', resolve).receive('error', reject).receive('timeout', reject));
    const broadcast = new Promise((resolve) => channel.on('new_msg', resolve));
    const uploaded = new Promise((resolve) => channel.on('uploaded', resolve));
    await ok(channel.join());
    await ok(channel.push('new_msg', { body: 'hello' }));
    await broadcast;
    await ok(channel.push('upload', new Uint8Array([1, 2, 3, 4]).buffer));
    await uploaded;
    await sleep(200);  // a heartbeat or two
    await ok(channel.leave());
    socket.disconnect();
    await sleep(100);
    relay.close();
    http.close();
};
