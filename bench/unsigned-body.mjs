// Issue 10, section 3: what an UNSIGNED webhook POST costs the app (3 MB of nested "[", plain and
// gzipped to ~3 kB), and what four such attackers do to a legitimate delivery. Bounded: a few
// sequential attacks, then 60 legitimate deliveries (or 20 s) under attack. Results: docs/reliability.md.
//
//   node bench/unsigned-body.mjs [--platform express|fastify]
//
// Needs the library built (`npm run build`); BENCH_DIST=<dir> measures another build (e.g. the
// code before the fix, built from an older commit).
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: args } = parseArgs({
  options: { platform: { type: 'string', default: 'express' } },
});
const SECRET = 'bench-app-secret';
const ATTACKS = 5;
const LEGIT = 60;
const UNDER_ATTACK_MAX_MS = 20_000;
const NESTED = Buffer.alloc(3 * 1024 * 1024 - 16, '[');
const GZIPPED = gzipSync(NESTED, { level: 9 });
const TEXT = readFileSync(new URL('../test/fixtures/webhooks/text.json', import.meta.url));
const signature = `sha256=${createHmac('sha256', SECRET).update(TEXT).digest('hex')}`;

const server = fork(new URL('./unsigned-body-server.mjs', import.meta.url), {
  env: { ...process.env, BENCH_SECRET: SECRET, BENCH_PLATFORM: args.platform },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = (message) =>
  new Promise((resolve) => {
    server.once('message', resolve);
    if (message !== undefined) server.send(message);
  });
const { port } = await ask();

function post(body, headers, agent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/whatsapp/webhook', headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const unsigned = (gzip) => ({
  'content-type': 'application/json',
  ...(gzip ? { 'content-encoding': 'gzip' } : {}),
});
const attackBody = (gzip) => (gzip ? GZIPPED : NESTED);
const legit = (agent) =>
  post(TEXT, { 'content-type': 'application/json', 'x-hub-signature-256': signature }, agent);
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (n) => Math.round(n * 10) / 10;

const results = { platform: args.platform, loadavg: loadavg().map(round), attacks: {}, legit: {} };
for (const gzip of [false, true]) {
  const rows = [];
  for (let i = 0; i < ATTACKS; i++) {
    await ask('reset');
    const started = performance.now();
    const { status, ms } = await post(attackBody(gzip), unsigned(gzip), false).catch((error) => ({
      status: error.code,
      ms: performance.now() - started,
    }));
    const { busyMs, maxBlockMs } = await ask('read');
    rows.push({ status, wallMs: ms, busyMs, maxBlockMs });
  }
  results.attacks[gzip ? `gzip ${GZIPPED.length} B` : `plain ${NESTED.length} B`] = {
    statuses: [...new Set(rows.map((r) => r.status))],
    wallMs: round(
      quantile(
        rows.map((r) => r.wallMs),
        0.5,
      ),
    ),
    busyMs: round(
      quantile(
        rows.map((r) => r.busyMs),
        0.5,
      ),
    ),
    maxBlockMs: round(Math.max(...rows.map((r) => r.maxBlockMs))),
  };
}

async function legitLatencies(attackers, gzip) {
  let attacking = true;
  const attackAnswers = {};
  const loops = Array.from({ length: attackers }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (attacking) {
      const answer = await post(attackBody(gzip), unsigned(gzip), agent).catch((error) => ({
        status: error.code,
      }));
      attackAnswers[answer.status] = (attackAnswers[answer.status] ?? 0) + 1;
    }
    agent.destroy();
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const started = performance.now();
  while (latencies.length < LEGIT && performance.now() - started < UNDER_ATTACK_MAX_MS) {
    const { status, ms } = await legit(agent);
    if (status !== 200) throw new Error(`legitimate delivery answered ${status}`);
    latencies.push(ms);
  }
  attacking = false;
  await Promise.all(loops);
  agent.destroy();
  return {
    n: latencies.length,
    p50Ms: round(quantile(latencies, 0.5)),
    p95Ms: round(quantile(latencies, 0.95)),
    attackAnswers,
  };
}
results.legit['no attacker'] = await legitLatencies(0, false);
results.legit['4 plain attackers'] = await legitLatencies(4, false);
results.legit['4 gzip attackers'] = await legitLatencies(4, true);

server.send('stop');
console.log(JSON.stringify(results, null, 2));
