// Stand-in for k6/experimental/websockets: the subset of its WebSocket that FrameScope's k6 export uses
// (constructor with protocols and params.headers / params.compression, binaryType, onopen, onmessage,
// onerror, onclose, addEventListener, send, close), backed by the `ws` package. It tallies what it sends
// so the harness can check the script's load against its settings.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../node/package.json', import.meta.url));
const WsSocket = require('ws');

export const tally = { opened: 0, closed: 0, sent: 0, sentBytes: 0, sentText: 0, sentBinary: 0, received: 0, errors: [], extensions: [], protocols: [] };
const closed = [];
export function allClosed() {
  return Promise.all(closed);
}

export class WebSocket {
  constructor(url, protocols, params = {}) {
    const options = { headers: params.headers || {}, perMessageDeflate: params.compression === 'deflate' };
    this._ws = new WsSocket(url, protocols || undefined, options);
    this._ws.binaryType = 'arraybuffer';
    this.binaryType = 'blob';
    this._listeners = { open: [], message: [], error: [], close: [] };
    closed.push(new Promise((resolve) => this._ws.on('close', resolve)));
    this._ws.on('open', () => {
      tally.opened++;
      tally.extensions.push(this._ws.extensions);
      tally.protocols.push(this._ws.protocol);
      this._emit('open', {});
    });
    this._ws.on('message', (data, isBinary) => {
      tally.received++;
      this._emit('message', { data: isBinary && this.binaryType === 'arraybuffer' ? data : data.toString() });
    });
    this._ws.on('error', (error) => {
      tally.errors.push(String(error));
      this._emit('error', { error: String(error) });
    });
    this._ws.on('close', () => {
      tally.closed++;
      this._emit('close', {});
    });
  }
  addEventListener(type, listener) {
    this._listeners[type].push(listener);
  }
  _emit(type, event) {
    const handler = this[`on${type}`];
    if (handler) handler(event);
    for (const listener of this._listeners[type]) listener(event);
  }
  send(data) {
    const text = typeof data === 'string';
    const bytes = text ? Buffer.byteLength(data) : data.byteLength;
    tally.sent++;
    tally.sentBytes += bytes;
    text ? tally.sentText++ : tally.sentBinary++;
    this._ws.send(text ? data : Buffer.from(data), { binary: !text });
  }
  close() {
    this._ws.close(1000);
  }
}
