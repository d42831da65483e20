// Stand-in for k6: sleep(seconds) blocks this VU (a worker thread of the harness) as k6's sleep does.
export function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, seconds * 1000));
}
