// Bench "one flooding tenant" (ISSUE14 §2): the latency of tenant B's users while tenant A (another
// business number) floods the queue. A private redis-server (noeviction), BullMqUpdateQueue from
// dist/redis (or from $DIST, e.g. the build of main), handlers that take HANDLER_MS each. Tenant A
// posts FLOOD updates from A_USERS users in POSTs of 50; then B_USERS users of tenant B post one
// update each. Prints, per configuration, B's latency (enqueue to handled), how much of A's backlog
// was still waiting when B's last update was handled, and when A's flood was drained.
// Run: npm run build && node bench/queue-tenants.mjs
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRedis } from './lib/redis-server.mjs';

const DIST = resolve(process.env.DIST ?? new URL('../dist', import.meta.url).pathname);
const { BullMqUpdateQueue } = await import(pathToFileURL(join(DIST, 'redis/index.js')).href);
const FLOOD = Number(process.env.FLOOD ?? 5000);
const A_USERS = Number(process.env.A_USERS ?? 500);
const B_USERS = Number(process.env.B_USERS ?? 40);
const HANDLER_MS = Number(process.env.HANDLER_MS ?? 5);
const ONLY = process.env.ONLY?.split(',');
const A = { phone: '1065', waba: '1022' };
const B = { phone: '2077', waba: '2033' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function update(tenant, id, from) {
  return {
    kind: 'message',
    key: `m:${id}`,
    origin: { field: 'messages', businessAccountId: tenant.waba, phoneNumberId: tenant.phone },
    message: { from, id, type: 'text', timestamp: '1', text: { body: id } },
  };
}

const percentile = (values, p) =>
  values.length === 0
    ? NaN
    : [...values].sort((a, b) => a - b)[
        Math.min(values.length - 1, Math.floor((p / 100) * values.length))
      ];

async function scenario(url, name, options) {
  const queue = new BullMqUpdateQueue({
    connection: url,
    queueName: `tenants-${name}`,
    ...options,
  });
  const enqueuedAt = new Map();
  const latency = new Map();
  let aHandled = 0;
  let aHandledWhenBDone;
  const bKeys = new Set();
  await queue.start(async (u) => {
    await sleep(HANDLER_MS);
    latency.set(u.key, Date.now() - enqueuedAt.get(u.key));
    if (u.origin.phoneNumberId === A.phone) aHandled++;
    else if ([...bKeys].every((key) => latency.has(key))) aHandledWhenBDone ??= aHandled;
  });
  const flood = Array.from({ length: FLOOD }, (_, i) =>
    update(A, `a-${i}`, `1555${String(i % A_USERS).padStart(6, '0')}`),
  );
  const started = Date.now();
  for (let i = 0; i < flood.length; i += 50) {
    const batch = flood.slice(i, i + 50);
    for (const u of batch) enqueuedAt.set(u.key, Date.now());
    await queue.enqueue(batch);
  }
  const floodStoredMs = Date.now() - started;
  const others = Array.from({ length: B_USERS }, (_, i) =>
    update(B, `b-${i}`, `1666${String(i).padStart(6, '0')}`),
  );
  for (const u of others) bKeys.add(u.key);
  for (const u of others) {
    enqueuedAt.set(u.key, Date.now());
    await queue.enqueue([u]);
  }
  const deadline = Date.now() + 300_000;
  while (latency.size < FLOOD + B_USERS && Date.now() < deadline) await sleep(20);
  const b = others.map((u) => latency.get(u.key)).filter((v) => v !== undefined);
  const a = flood.map((u) => latency.get(u.key)).filter((v) => v !== undefined);
  await queue.close();
  const { connection: _connection, tenantOf, ...shown } = options;
  return {
    name,
    ...shown,
    ...(tenantOf ? { tenantOf: typeof tenantOf === 'function' ? 'function' : tenantOf } : {}),
    floodStoredMs,
    bHandled: b.length,
    bP50ms: percentile(b, 50),
    bP95ms: percentile(b, 95),
    bMaxMs: Math.max(...b),
    aWaitingWhenBDone: aHandledWhenBDone === undefined ? undefined : FLOOD - aHandledWhenBDone,
    aHandled: a.length,
    aDrainedMs: Math.max(...a),
  };
}

// Default maxmemory-policy noeviction, which queue mode requires.
const redis = await startRedis();
const url = redis.url;
const scenarios = [
  // The layout of main: every conversation hashed over the 64 partitions.
  ['shared', { partitions: 64, concurrency: 8 }],
  // Tenant lanes: A (lane 1) and B (lane 5) in different lanes of 8 partitions each.
  ['lanes8', { partitions: 64, concurrency: 8, tenantLanes: 8 }],
  // Worst case of lanes: B hashed onto A's lane (forced here by a tenantOf returning a lane).
  ['lanes8-same-lane', { partitions: 64, concurrency: 8, tenantLanes: 8, tenantOf: () => 1 }],
];
try {
  const results = [];
  for (const [name, options] of scenarios) {
    if (ONLY && !ONLY.includes(name)) continue;
    results.push(await scenario(url, name, options));
    console.error(JSON.stringify(results.at(-1)));
  }
  console.log(JSON.stringify({ DIST, FLOOD, A_USERS, B_USERS, HANDLER_MS, results }, null, 2));
} finally {
  await redis.stop();
}
