// Publish/subscribe sessions: Socket.IO, MQTT 3.1.1 (aedes) and 5.0, STOMP.
import { createServer } from 'node:http';
import { once } from 'node:events';
import WebSocket, { WebSocketServer, createWebSocketStream } from 'ws';
import { listen, require, sleep, startRelay } from './relay.mjs';

export const sessions = {};

sessions['socket.io'] = async function () {
    const { Server } = require('socket.io');
    const { io } = require('socket.io-client');
    const http = createServer();
    const server = new Server(http);
    server.on('connection', (socket) => {
        socket.on('chat', (message, ack) => ack({ received: message, at: 1 }));
        socket.on('upload', (name, bytes, ack) => ack(name, bytes.length, Buffer.from([1, 2, 3])));
        socket.emit('welcome', { text: 'hi' }, Buffer.from('binary from server'));
        socket.emit('question', 'ready?', (answer) => socket.emit('answered', answer));
    });
    server.of('/admin').on('connection', (socket) => socket.emit('stats', { users: 1 }));
    const relay = await startRelay('socket.io', await listen(http));
    const client = io(`http://127.0.0.1:${relay.port}`, { transports: ['websocket'] });
    client.on('question', (text, reply) => reply('yes'));
    const answered = once(client, 'answered');
    await once(client, 'welcome');
    await client.emitWithAck('chat', 'hello');
    await client.emitWithAck('upload', 'file.bin', Buffer.from([0, 1, 2, 3, 4]));
    await answered;
    const admin = io(`http://127.0.0.1:${relay.port}/admin`, { transports: ['websocket'] });
    await once(admin, 'stats');
    admin.disconnect();
    client.disconnect();
    await sleep(100);
    server.close();
    relay.close();
};

async function mqttSession(client, v5) {
    await once(client, 'connect');
    const messages = [];
    client.on('message', (topic, payload) => messages.push(topic));
    await client.subscribeAsync('sensors/#', { qos: 2, ...(v5 ? { properties: { subscriptionIdentifier: 7 } } : {}) });
    await client.publishAsync('sensors/1', '21.5', { qos: 0 });
    await client.publishAsync('sensors/2', Buffer.from([1, 2, 3]), { qos: 1 });
    const props = v5 ? { properties: { contentType: 'text/plain', userProperties: { unit: 'C' },
                                       responseTopic: 'replies/1', messageExpiryInterval: 60 } } : {};
    await client.publishAsync('sensors/3', 'twenty-two', { qos: 2, ...props });
    await client.publishAsync('sensors/retained', 'kept', { qos: 1, retain: true });
    while (messages.length < 4) await sleep(20);
    await client.unsubscribeAsync('sensors/#');
    await client.endAsync();
}

sessions['mqtt 3.1.1 (aedes)'] = async function () {
    const { Aedes } = await import('aedes');
    const mqtt = require('mqtt');
    const broker = await Aedes.createBroker();
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (websocket, req) => broker.handle(createWebSocketStream(websocket), req));
    const relay = await startRelay('mqtt 3.1.1 (aedes)', await listen(http));
    await mqttSession(mqtt.connect(`ws://127.0.0.1:${relay.port}/mqtt`, { protocolVersion: 4, clientId: 'fs-311' }), false);
    await sleep(100);
    relay.close();
    await new Promise((resolve) => broker.close(resolve));
    wss.close();
    http.close();
};

// aedes 1.2 refuses protocol level 5, so MQTT 5 runs against this small broker built on mqtt-packet (the
// parser and generator the mqtt client itself uses): CONNACK with properties, SUBACK, UNSUBACK, the QoS 1
// and 2 flows, delivery to matching subscriptions, PINGRESP.
function startMqtt5Broker() {
    const mqttPacket = require('mqtt-packet');
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
        const opts = { protocolVersion: 5 };
        const parser = mqttPacket.parser(opts);
        const send = (packet) => ws.send(mqttPacket.generate(packet, opts));
        const filters = [];
        let nextId = 100;
        const matches = (filter, topic) => filter.endsWith('/#') ? topic.startsWith(filter.slice(0, -1)) : filter === topic;
        parser.on('packet', (p) => {
            switch (p.cmd) {
                case 'connect':
                    send({ cmd: 'connack', reasonCode: 0, sessionPresent: false,
                           properties: { topicAliasMaximum: 10, receiveMaximum: 20, assignedClientIdentifier: 'fs-5' } });
                    break;
                case 'subscribe':
                    filters.push(...p.subscriptions.map((s) => s.topic));
                    send({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map((s) => s.qos) });
                    break;
                case 'unsubscribe': send({ cmd: 'unsuback', messageId: p.messageId, granted: [0] }); break;
                case 'publish':
                    if (p.qos === 1) send({ cmd: 'puback', messageId: p.messageId });
                    if (p.qos === 2) send({ cmd: 'pubrec', messageId: p.messageId });
                    if (filters.some((f) => matches(f, p.topic)))
                        send({ cmd: 'publish', topic: p.topic, payload: p.payload, qos: p.qos, retain: false,
                               dup: false, messageId: p.qos ? nextId++ : undefined, properties: p.properties });
                    break;
                case 'pubrel': send({ cmd: 'pubcomp', messageId: p.messageId }); break;
                case 'pubrec': send({ cmd: 'pubrel', messageId: p.messageId }); break;
                case 'pingreq': send({ cmd: 'pingresp' }); break;
                case 'disconnect': ws.close(); break;
                default: break;
            }
        });
        ws.on('message', (data) => parser.parse(data));
    });
    return http;
}

sessions['mqtt 5.0'] = async function () {
    const mqtt = require('mqtt');
    const http = startMqtt5Broker();
    const relay = await startRelay('mqtt 5.0', await listen(http));
    await mqttSession(mqtt.connect(`ws://127.0.0.1:${relay.port}/mqtt`, {
        protocolVersion: 5, clientId: 'fs-5', properties: { sessionExpiryInterval: 300, receiveMaximum: 50 } }), true);
    await sleep(100);
    relay.close();
    http.close();
};


// A small STOMP 1.2 server: CONNECTED with heart-beats, RECEIPT for every receipt header, SEND delivered as
// MESSAGE to matching subscriptions, heart-beats answered by the client library.
function startStompServer() {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, handleProtocols: (p) => (p.has('v12.stomp') ? 'v12.stomp' : false) });
    wss.on('connection', (ws) => {
        const subscriptions = new Map();
        let messageId = 0;
        const beat = setInterval(() => ws.send('\n'), 150);  // STOMP heart-beat from the server side
        ws.on('close', () => clearInterval(beat));
        const frame = (command, headers, body = '') =>
            ws.send(`${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`);
        ws.on('message', (data) => {
            for (const raw of data.toString().split('\0')) {
                const text = raw.replace(/^[\r\n]+/, '');
                if (!text) continue;
                const [head, ...rest] = text.split('\n\n');
                const [command, ...lines] = head.split('\n');
                const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
                const body = rest.join('\n\n');
                if (command === 'CONNECT' || command === 'STOMP') frame('CONNECTED', { version: '1.2', 'heart-beat': '200,200', server: 'framescope-test/1' });
                if (command === 'SUBSCRIBE') subscriptions.set(headers.id, headers.destination);
                if (command === 'UNSUBSCRIBE') subscriptions.delete(headers.id);
                if (command === 'SEND') {
                    for (const [id, destination] of subscriptions)
                        if (destination === headers.destination)
                            frame('MESSAGE', { destination, subscription: id, 'message-id': `m-${++messageId}`,
                                               'content-type': headers['content-type'] || 'text/plain',
                                               'content-length': Buffer.byteLength(body) }, body);
                }
                if (headers.receipt) frame('RECEIPT', { 'receipt-id': headers.receipt });
                if (command === 'DISCONNECT') setTimeout(() => ws.close(), 20);
            }
        });
    });
    return http;
}

sessions['stomp'] = async function () {
    const { Client } = require('@stomp/stompjs');
    const http = startStompServer();
    const relay = await startRelay('stomp', await listen(http));
    const client = new Client({
        webSocketFactory: () => new WebSocket(`ws://127.0.0.1:${relay.port}/stomp`, ['v12.stomp']),
        heartbeatIncoming: 200, heartbeatOutgoing: 200, reconnectDelay: 0,
    });
    const connected = new Promise((resolve) => { client.onConnect = resolve; });
    client.activate();
    await connected;
    const received = [];
    const subscription = client.subscribe('/topic/prices', (message) => received.push(message.body));
    const receipt = new Promise((resolve) => client.watchForReceipt('send-1', resolve));
    client.publish({ destination: '/topic/prices', body: JSON.stringify({ symbol: 'ACME', bid: 12.5 }),
                     headers: { receipt: 'send-1', 'content-type': 'application/json' } });
    await receipt;
    client.publish({ destination: '/topic/prices', body: 'plain text price' });
    while (received.length < 2) await sleep(20);
    await sleep(500);  // long enough for heart-beats both ways
    subscription.unsubscribe();
    await client.deactivate();
    await sleep(100);
    relay.close();
    http.close();
};
