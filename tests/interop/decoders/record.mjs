// Prints every WebSocket message of real application-protocol sessions as JSON lines:
// {session, connection, url, subprotocol, sender, binary, base64}. tests/decoders/tst_decoders_interop.cpp
// decodes each of them.
//
// Peers: socket.io + socket.io-client; aedes (MQTT 3.1.1) and, because aedes 1.2 refuses protocol level 5,
// a small MQTT 5 broker on mqtt-packet, both with the `mqtt` client; graphql-ws + graphql;
// subscriptions-transport-ws (server and client); @stomp/stompjs against a small STOMP server written here;
// json-rpc-2.0's client and server; @microsoft/signalr's client (JSON and MessagePack hub protocols) against
// a small hub written here that writes with the library's own protocol classes; the phoenix client against a
// small channel server written here. A relay (relay.mjs) sits between each client and its server and
// forwards every message unchanged, so what is printed is what the peers sent each other.
// Usage: node record.mjs [session name...]   (default: all sessions)
import { sessions as pubsub } from './sessions_pubsub.mjs';
import { sessions as rpc } from './sessions_rpc.mjs';

const all = { ...pubsub, ...rpc };
const wanted = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(all);
const watchdog = setTimeout(() => {
    process.stderr.write('record.mjs: sessions did not finish within 60 s\n');
    process.exit(1);
}, 60000);
for (const name of wanted) {
    if (!all[name]) {
        process.stderr.write(`record.mjs: no session named ${name}\n`);
        process.exit(2);
    }
    await all[name]();
}
clearTimeout(watchdog);
process.exit(0);
