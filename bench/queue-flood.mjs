// Bench "one flooding sender" (ISSUE18): the latency of other users while one sender floods the
// queue. A private redis-server (noeviction), BullMqUpdateQueue from dist/redis, handlers that take
// HANDLER_MS each. One sender posts FLOOD updates at once, then OTHERS users post one update each;
// prints each configuration's latency (enqueue to handled) for the others, and for the flood.
// Run: npm run build && node bench/queue-flood.mjs
import { BullMqUpdateQueue } from '../dist/redis/index.js';
import { startRedis } from './lib/redis-server.mjs';

const FLOOD = Number(process.env.FLOOD ?? 400);
const OTHERS = Number(process.env.OTHERS ?? 40);
const HANDLER_MS = Number(process.env.HANDLER_MS ?? 5);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function update(id, from) {
  return {
    kind: 'message',
    key: `m:${id}`,
    origin: { field: 'messages', businessAccountId: '1022', phoneNumberId: '1065' },
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
  const queue = new BullMqUpdateQueue({ connection: url, queueName: `flood-${name}`, ...options });
  const enqueuedAt = new Map();
  const latency = new Map();
  await queue.start(async (u) => {
    await sleep(HANDLER_MS);
    latency.set(u.key, Date.now() - enqueuedAt.get(u.key));
  });
  const flood = Array.from({ length: FLOOD }, (_, i) => update(`flood-${i}`, '15550000001'));
  for (let i = 0; i < flood.length; i += 50) {
    const batch = flood.slice(i, i + 50);
    for (const u of batch) enqueuedAt.set(u.key, Date.now());
    await queue.enqueue(batch);
  }
  const others = Array.from({ length: OTHERS }, (_, i) =>
    update(`other-${i}`, `1555100${String(i).padStart(4, '0')}`),
  );
  for (const u of others) {
    enqueuedAt.set(u.key, Date.now());
    await queue.enqueue([u]);
  }
  const deadline = Date.now() + 120_000;
  while (latency.size < FLOOD + OTHERS && Date.now() < deadline) await sleep(20);
  const other = others.map((u) => latency.get(u.key)).filter((v) => v !== undefined);
  const floodLatency = flood.map((u) => latency.get(u.key)).filter((v) => v !== undefined);
  await queue.close();
  return {
    name,
    ...options,
    othersHandled: other.length,
    othersP50ms: percentile(other, 50),
    othersP95ms: percentile(other, 95),
    othersMaxMs: Math.max(...other),
    othersOver1s: other.filter((v) => v > 1000).length,
    floodLastMs: Math.max(...floodLatency),
  };
}

// Default maxmemory-policy noeviction, which queue mode requires.
const redis = await startRedis();
const url = redis.url;
try {
  const results = [];
  results.push(await scenario(url, 'p8', { partitions: 8, concurrency: 8 }));
  results.push(await scenario(url, 'p64', { partitions: 64, concurrency: 8 }));
  console.log(JSON.stringify({ FLOOD, OTHERS, HANDLER_MS, results }, null, 2));
} finally {
  await redis.stop();
}
