// Bench "message store" (issue 15): what the `store` option costs on the webhook path and per send.
// One Nest app per configuration (the W1/W2 app of bench/subjects/ours-app.mjs: no-op handlers,
// de-duplication on), signed POSTs over loopback HTTP, in this process:
//   W1: one text message per POST, one at a time: latency per POST (median, p95), store minus none
//       is the overhead per recorded update.
//   W2: 1000-update POSTs (500 texts, 500 statuses), CONNECTIONS in flight for SECONDS: updates/s,
//       and the ratio to no store (issue 15's target: within 1.5×, i.e. ratio ≥ 0.67).
//   S1: sends (messages.sendText to a user whose window is open) to the fake Graph API, one at a
//       time: latency per send (the window read, the pending insert, the sent update).
// Stores: none, MemoryMessageStore, PGlite (in a temp dir), PostgreSQL when DATABASE_URL is set.
// Run: npm run build && node bench/store-overhead.mjs [--out bench/results/store-overhead.json]
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { request } from 'undici';
import { importLibrary } from './lib/library.mjs';
import {
  batchBody,
  createIdSource,
  sign,
  singleTextBody,
  WEBHOOK_PATH,
} from './lib/webhook-payloads.mjs';
import { oursModule } from './subjects/ours-app.mjs';
import { startNestApp } from './subjects/nest-app.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    singles: { type: 'string', default: '300' },
    sends: { type: 'string', default: '300' },
  },
});
const SECONDS = Number(args.seconds);
const SINGLES = Number(args.singles);
const SENDS = Number(args.sends);
const CONNECTIONS = 4;
const TOKEN = 'bench-access-token';

const { MemoryMessageStore } = await importLibrary();
const { PostgresMessageStore } = await importLibrary('postgres/index.js');
const { FakeGraphApi } = await importLibrary('testing/index.js');

const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[
    Math.min(values.length - 1, Math.floor((p / 100) * values.length))
  ];
const round = (n, digits = 2) => Number(n.toFixed(digits));

async function post(port, body) {
  const answer = await request(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
    body,
  });
  await answer.body.dump();
  if (answer.statusCode !== 200) throw new Error(`webhook answered ${answer.statusCode}`);
}

/** W1: sequential single-update POSTs. */
async function w1(port, nextId) {
  for (let i = 0; i < 30; i++) await post(port, singleTextBody(nextId)); // warm-up
  const times = [];
  for (let i = 0; i < SINGLES; i++) {
    const body = singleTextBody(nextId);
    const t0 = performance.now();
    await post(port, body);
    times.push(performance.now() - t0);
  }
  return { medianMs: round(percentile(times, 50), 3), p95Ms: round(percentile(times, 95), 3) };
}

/** W2: 1000-update POSTs, CONNECTIONS in flight, for SECONDS. */
async function w2(port, nextId) {
  await post(port, batchBody(nextId)); // warm-up
  let updates = 0;
  const times = [];
  const deadline = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const body = batchBody(nextId);
        const start = performance.now();
        await post(port, body);
        times.push(performance.now() - start);
        updates += 1000;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    updatesPerSec: Math.round(updates / seconds),
    // CPU of this process (the app, its store client, PGlite when embedded; not a PostgreSQL
    // server's): what the app's machine pays when the database runs elsewhere.
    appCpuUsPerUpdate: round((cpu.user + cpu.system) / updates, 1),
    posts: times.length,
    medianMs: round(percentile(times, 50), 1),
  };
}

/** S1: sequential sends to a user whose window a message of now opened (the payloads' timestamp is fixed). */
async function s1(port, service, nextId) {
  const now = String(Math.floor(Date.now() / 1000));
  const body = singleTextBody(nextId).replaceAll(
    '"timestamp":"1767615200"',
    `"timestamp":"${now}"`,
  );
  await post(port, body);
  // W1's bodies rotate over 10 senders: send to the one whose window this body opened.
  const to = /"from":"(\d+)"/.exec(body)[1];
  const send = () => service.messages.sendText({ to, text: { body: 'Your order shipped' } });
  for (let i = 0; i < 20; i++) await send();
  const times = [];
  for (let i = 0; i < SENDS; i++) {
    const t0 = performance.now();
    await send();
    times.push(performance.now() - t0);
  }
  return { medianMs: round(percentile(times, 50), 3), p95Ms: round(percentile(times, 95), 3) };
}

async function measure(name, store) {
  const graph = await FakeGraphApi.start({ accessToken: TOKEN });
  const module = await oursModule({ baseUrl: graph.baseUrl, ...(store ? { store } : {}) });
  const started = await startNestApp(module, 'express');
  const { WhatsAppService } = await importLibrary();
  const service = started.app.get(WhatsAppService, { strict: false });
  const nextId = createIdSource();
  try {
    const row = { store: name };
    row.W1 = await w1(started.port, nextId);
    row.W2 = await w2(started.port, nextId);
    row.S1 = await s1(started.port, service, nextId);
    console.error(`${name}: ${JSON.stringify(row)}`);
    return row;
  } finally {
    await started.close();
    await graph.close();
  }
}

const loadBefore = loadavg()[0];
const rows = [];
rows.push(await measure('none'));
rows.push(await measure('memory', new MemoryMessageStore({ maxMessages: 1_000_000 })));

const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
const pglite = new PGlite(dir);
await pglite.waitReady;
try {
  const store = new PostgresMessageStore({ client: pglite });
  await store.migrate();
  rows.push(await measure('PGlite', store));
} finally {
  await pglite.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const schema = `bench_${Date.now().toString(36)}`;
  try {
    const store = new PostgresMessageStore({ client: pool, schema });
    await store.migrate();
    rows.push(await measure('PostgreSQL', store));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
} else console.error('DATABASE_URL not set: the PostgreSQL server row is skipped');

const none = rows[0];
for (const row of rows) {
  row.W1.overheadMsPerUpdate = round(row.W1.medianMs - none.W1.medianMs, 3);
  row.W2.ratioToNone = round(row.W2.updatesPerSec / none.W2.updatesPerSec, 2);
  row.W2.appCpuRatioToNone = round(row.W2.appCpuUsPerUpdate / none.W2.appCpuUsPerUpdate, 2);
  // Machine time per update (the inverse of throughput), store minus none.
  row.W2.overheadUsPerUpdate = round(1e6 / row.W2.updatesPerSec - 1e6 / none.W2.updatesPerSec, 1);
  row.S1.overheadMsPerSend = round(row.S1.medianMs - none.S1.medianMs, 3);
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  loadAverage: { before: round(loadBefore), after: round(loadavg()[0]) },
  settings: { seconds: SECONDS, singles: SINGLES, sends: SENDS, connections: CONNECTIONS },
  rows,
};
console.log(
  '| store | W1 median ms (overhead) | W2 updates/s (× none) | W2 app CPU µs/update (× none) | S1 send median ms (overhead) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.store} | ${r.W1.medianMs} (+${r.W1.overheadMsPerUpdate}) | ${r.W2.updatesPerSec} (${r.W2.ratioToNone}×) | ${r.W2.appCpuUsPerUpdate} (${r.W2.appCpuRatioToNone}×) | ${r.S1.medianMs} (+${r.S1.overheadMsPerSend}) |`,
  );
}
console.log(`load average ${result.loadAverage.before} → ${result.loadAverage.after}`);
if (args.out) writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
