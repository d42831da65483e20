// Stand-in for k6/crypto: randomBytes(n) returns an ArrayBuffer of n random bytes, as k6's does.
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(size) {
  const bytes = nodeRandomBytes(size);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
