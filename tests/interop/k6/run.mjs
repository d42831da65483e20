// Runs a k6 script exported by FrameScope under Node, with the stand-ins in ./k6 for the k6 modules it
// imports (the WebSocket backed by the `ws` package of tests/interop/node), and prints one JSON line.
//   node run.mjs SCRIPT.js
// 1. copies SCRIPT with its `k6/...` imports pointed at the stand-ins, and checks that the copy parses as
//    an ES module (node --check); an import with no stand-in is an error;
// 2. runs each VU of options.scenarios.framescope in its own worker thread (k6 VUs have their own
//    runtime, and sleep() blocks only its VU), calling the default function once, as per-vu-iterations
//    with iterations: 1 does, and waits until its connection has closed;
// 3. adds up what the VUs sent (count, bytes, text or binary), the echoes the script counted (ws_echoes),
//    its round trips (ws_rtt) and the negotiated extensions and subprotocols.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const standIns = {
  k6: 'k6.mjs',
  'k6/crypto': 'crypto.mjs',
  'k6/metrics': 'metrics.mjs',
  'k6/experimental/websockets': 'websockets.mjs',
};

function fail(why) {
  console.error(why);
  process.exit(1);
}

function prepare(scriptPath) {
  const source = readFileSync(scriptPath, 'utf8');
  const rewritten = source.replace(/from\s+'(k6[^']*)'/g, (_, name) => {
    if (!standIns[name]) fail(`no stand-in for the k6 module '${name}'`);
    return `from '${new URL(`./k6/${standIns[name]}`, import.meta.url).href}'`;
  });
  const copy = join(mkdtempSync(join(tmpdir(), 'framescope-k6-')), 'script.mjs');
  writeFileSync(copy, rewritten);
  try {
    execFileSync(process.execPath, ['--check', copy], { stdio: 'pipe' });
  } catch (error) {
    fail(`the script does not parse as an ES module: ${error.stderr}`);
  }
  return copy;
}

async function runVu() {
  globalThis.__VU = workerData.vu;
  globalThis.__ITER = 0;
  const script = await import(workerData.copy);
  const { tally, allClosed } = await import('./k6/websockets.mjs');
  const { metrics } = await import('./k6/metrics.mjs');
  script.default();
  await allClosed();
  parentPort.postMessage({ tally, metrics });
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function main(scriptPath) {
  const copy = prepare(scriptPath);
  const { options } = await import(copy);
  const scenario = options?.scenarios?.framescope;
  if (!scenario || scenario.executor !== 'per-vu-iterations' || scenario.iterations !== 1)
    fail('the script has no per-vu-iterations scenario "framescope" with one iteration');
  const limit = setTimeout(() => fail(`the VUs were still running after maxDuration ${scenario.maxDuration}`),
                           parseInt(scenario.maxDuration, 10) * 1000);
  const results = await Promise.all(Array.from({ length: scenario.vus }, (_, i) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { copy, vu: i + 1 } });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  clearTimeout(limit);
  const sum = { vus: scenario.vus, sent: 0, sentBytes: 0, sentText: 0, sentBinary: 0, received: 0, echoes: 0,
                opened: 0, closed: 0, errors: [], extensions: [], protocols: [] };
  const rtts = [];
  for (const { tally, metrics } of results) {
    for (const key of ['sent', 'sentBytes', 'sentText', 'sentBinary', 'received', 'opened', 'closed']) sum[key] += tally[key];
    for (const key of ['errors', 'extensions', 'protocols']) sum[key].push(...tally[key]);
    sum.echoes += metrics.ws_echoes?.value ?? 0;
    rtts.push(...(metrics.ws_rtt?.values ?? []));
  }
  rtts.sort((a, b) => a - b);
  sum.rtt = { count: rtts.length, p50_ms: percentile(rtts, 0.5), p99_ms: percentile(rtts, 0.99) };
  console.log(JSON.stringify(sum));
}

if (isMainThread) {
  if (process.argv.length !== 3) fail('usage: node run.mjs SCRIPT.js');
  main(process.argv[2]).catch((error) => fail(String(error?.stack ?? error)));
} else {
  runVu().catch((error) => {
    throw error;
  });
}
