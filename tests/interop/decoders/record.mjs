// Prints every WebSocket message of real application-protocol sessions as JSON lines (see relay.mjs).
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
