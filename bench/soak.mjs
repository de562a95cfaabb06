#!/usr/bin/env node
// Soak: plays Meta against the built library (dist/) for a long time at a fixed rate, with
// duplicate deliveries after Meta-like delays, failing handlers and random batch sizes, then checks
// that every update was handled, none twice, memory stayed bounded and the event loop never stalled.
//
//   npm run soak                                              5 minutes, 200 deliveries/s, clock × 30
//   npm run soak -- --duration 20 --rate 100 --time-scale 60  the short version npm test runs
//   flags: --duration <s> --rate <deliveries/s> --max-batch <n> --duplicates <0..1> --failures <0..1>
//          --time-scale <x> --max-entries <n> --min-window-ms <ms>
//          --seed <n> --max-stall-ms <ms> --max-rss-growth-mb <MB> --json
//
// Time is compressed by --time-scale: the de-duplication store's clock runs that many times faster
// than the wall clock, and Meta's delays (below, in simulated time) are that many times shorter.
// A fraction --duplicates of the deliveries is delivered again after a delay drawn from
// DUPLICATE_DELAYS_S (immediately, then seconds to minutes, as Meta's duplicates and retries come;
// only delays that end before --duration are drawn, so a run takes its duration); a delivery
// answered with anything but 200 is retried after RETRY_DELAYS_S. --max-entries / --min-window-ms
// override the store's defaults (e.g. a cap too small for the rate, to see the checks fail).
//
// Meta's side runs here; the app runs in a child process (bench/soak/soak-app.mjs), which measures
// its own RSS (after a forced GC, from the end of the warm-up to the end) and event-loop delay
// (perf_hooks.monitorEventLoopDelay with a 10 ms resolution: the figures include those 10 ms).
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { Child } from './lib/child.mjs';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '300' },
    rate: { type: 'string', default: '200' },
    'max-batch': { type: 'string', default: '20' },
    duplicates: { type: 'string', default: '0.1' },
    failures: { type: 'string', default: '0.01' },
    'time-scale': { type: 'string', default: '30' },
    'max-entries': { type: 'string' },
    'min-window-ms': { type: 'string' },
    seed: { type: 'string', default: '20261125' },
    'max-stall-ms': { type: 'string', default: '250' },
    'max-rss-growth-mb': { type: 'string', default: '64' },
    json: { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(flags.duration);
const RATE = Number(flags.rate);
const MAX_BATCH = Number(flags['max-batch']);
const DUPLICATES = Number(flags.duplicates);
const FAILURES = Number(flags.failures);
const TIME_SCALE = Number(flags['time-scale']);
const SEED = Number(flags.seed);
const MAX_STALL_MS = Number(flags['max-stall-ms']);
const MAX_RSS_GROWTH_MB = Number(flags['max-rss-growth-mb']);
const WARM_UP_S = Math.min(30, Math.max(3, DURATION_S * 0.1));
const APP_SECRET = 'soak-app-secret';
/**
 * Simulated delays of a duplicate delivery after the first: immediately, then seconds to minutes.
 * The longest stays 5 minutes inside the store's 10-minute window: a margin for timers and
 * answers running late on a loaded machine (5 s of wall clock at --time-scale 60).
 */
const DUPLICATE_DELAYS_S = [0, 1, 5, 15, 30, 60, 120, 180, 300];
/** Simulated delays of Meta's retries of a delivery not answered 200: growing, the last repeated. */
const RETRY_DELAYS_S = [1, 5, 15, 30, 60, 120, 300];
/** Wall-clock milliseconds of a simulated delay (at least 10 ms, so a retry loop never spins). */
const wallMs = (simulatedS) => Math.max(10, (simulatedS * 1000) / TIME_SCALE);

/** mulberry32: a small seeded PRNG, so a run can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);

// Upper bound of updates, so the app can pre-allocate its counters.
const capacity = Math.ceil(RATE * (DURATION_S + 1) * MAX_BATCH) + 1000;
const app = await Child.start(
  'soak-app',
  new URL('./soak/soak-app.mjs', import.meta.url).pathname,
  {
    execArgv: ['--expose-gc'],
    env: {
      SOAK_CAPACITY: String(capacity),
      SOAK_APP_SECRET: APP_SECRET,
      SOAK_TIME_SCALE: String(TIME_SCALE),
      SOAK_MAX_ENTRIES: flags['max-entries'] ?? '',
      SOAK_MIN_WINDOW_MS: flags['min-window-ms'] ?? '',
    },
  },
);
const pool = new Pool(`http://127.0.0.1:${app.info.port}`, { connections: 32 });

let updates = 0;
const stats = {
  deliveries: 0,
  duplicateDeliveries: 0,
  redeliveries: 0,
  plannedFailingUpdates: 0,
  non200: 0,
  networkErrors: 0,
  gaveUp: 0,
};
/** Duplicate deliveries by simulated delay in seconds. */
const duplicateDelaysS = Object.fromEntries(DUPLICATE_DELAYS_S.map((d) => [d, 0]));
const pending = new Set();

function update(n) {
  const fail = random() < FAILURES;
  if (fail) stats.plannedFailingUpdates++;
  const id = `wamid.soak.${n}`;
  if (random() < 0.3) {
    return `{"statuses":[{"id":"${id}","status":"delivered","timestamp":"1767614000","recipient_id":"15550002222"${fail ? ',"biz_opaque_callback_data":"fail-once"' : ''}}]}`;
  }
  return `{"messages":[{"from":"15550002222","id":"${id}","timestamp":"1767614000","type":"text","text":{"body":"${fail ? 'fail-once' : 'hello'}"}}]}`;
}

/** A new delivery: 1..MAX_BATCH updates, each in its own change (Meta batches this way too). */
function newBody() {
  const size = 1 + Math.floor(random() * MAX_BATCH);
  const changes = [];
  for (let i = 0; i < size; i++) {
    const value = update(updates++).slice(0, -1);
    changes.push(
      `{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"PNID"},${value.slice(1)}}}`,
    );
  }
  return `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[${changes.join(',')}]}]}`;
}

async function deliver(body) {
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  // Meta redelivers until it gets a 200, after growing delays (here at most 100 times).
  for (let attempt = 0; attempt < 100; attempt++) {
    if (attempt > 0) {
      stats.redeliveries++;
      const delayS = RETRY_DELAYS_S[Math.min(attempt - 1, RETRY_DELAYS_S.length - 1)];
      await new Promise((resolve) => setTimeout(resolve, wallMs(delayS)));
    }
    try {
      const response = await pool.request({
        method: 'POST',
        path: '/whatsapp/webhook',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body,
      });
      await response.body.dump();
      if (response.statusCode === 200) return;
      stats.non200++;
    } catch {
      stats.networkErrors++;
    }
  }
  stats.gaveUp++;
}

function track(work) {
  pending.add(work);
  void work.finally(() => pending.delete(work));
}

/**
 * Delivery number `index` (scheduled at `index / RATE` s): a new body, delivered now and, for a
 * fraction --duplicates of them, again after a delay that ends before the run does. Decided from
 * the seeded PRNG and the schedule only (never the wall clock), so a seed always makes one run.
 */
function send(index) {
  const body = newBody();
  stats.deliveries++;
  track(deliver(body));
  if (random() >= DUPLICATES) return;
  const leftS = (DURATION_S - index / RATE) * TIME_SCALE;
  const fitting = DUPLICATE_DELAYS_S.filter((d) => d <= leftS);
  const delayS = fitting[Math.floor(random() * fitting.length)];
  stats.deliveries++;
  stats.duplicateDeliveries++;
  duplicateDelaysS[delayS]++;
  // Pending from now on, so the run waits for it.
  const later = new Promise((resolve) => setTimeout(resolve, (delayS * 1000) / TIME_SCALE));
  track(later.then(() => deliver(body)));
}

// Fixed rate: deliveries are started on schedule whatever the answers' latency.
const started = performance.now();
let sent = 0;
let warmed = false;
let maxPending = 0;
await new Promise((resolve) => {
  const tick = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    if (!warmed && elapsed >= WARM_UP_S) {
      warmed = true;
      void app.request('warm');
    }
    const due = Math.min(Math.floor(elapsed * RATE), Math.floor(DURATION_S * RATE));
    while (sent < due) send(sent++);
    maxPending = Math.max(maxPending, pending.size);
    if (elapsed >= DURATION_S) {
      clearInterval(tick);
      resolve();
    }
  }, 5);
});
while (pending.size > 0) await Promise.allSettled([...pending]);
const elapsedS = (performance.now() - started) / 1000;
const result = await app.request('results', { updates });
await pool.close();
await app.stop();

const rssGrowthMb = result.rss.finalMb - result.rss.baselineMb;
const checks = {
  'handled unique == sent unique': result.handledUnique === updates,
  'handled twice == 0': result.handledTwice === 0,
  'every delivery acknowledged': stats.gaveUp === 0,
  'planned failures happened': result.plannedFailures === stats.plannedFailingUpdates,
  [`event-loop delay max < ${MAX_STALL_MS} ms`]: result.eventLoopDelayMs.max < MAX_STALL_MS,
  [`RSS growth < ${MAX_RSS_GROWTH_MB} MB`]: rssGrowthMb < MAX_RSS_GROWTH_MB,
  'no unexpected error or warning': result.unexpectedCount === 0,
};
const report = {
  seed: SEED,
  durationS: Number(elapsedS.toFixed(1)),
  rate: RATE,
  timeScale: TIME_SCALE,
  simulatedMinutes: Number(((elapsedS * TIME_SCALE) / 60).toFixed(1)),
  maxBatch: MAX_BATCH,
  updatesSent: updates,
  updatesPerSecond: Math.round(updates / elapsedS),
  ...stats,
  duplicateDelaysS,
  dedupeWindowS: result.dedupe,
  // Deliveries started and not yet answered 200, including duplicates waiting for their delay.
  maxInFlight: maxPending,
  handledUnique: result.handledUnique,
  handledTwice: result.handledTwice,
  lost: updates - result.handledUnique,
  firstLost: result.lost,
  plannedFailuresSeen: result.plannedFailures,
  rssMb: {
    baseline: Number(result.rss.baselineMb.toFixed(1)),
    final: Number(result.rss.finalMb.toFixed(1)),
    peak: Number(result.rss.peakMb.toFixed(1)),
    growth: Number(rssGrowthMb.toFixed(1)),
    series: result.rss.seriesMb.map((mb) => Math.round(mb)),
  },
  eventLoopDelayMs: Object.fromEntries(
    Object.entries(result.eventLoopDelayMs).map(([k, v]) => [k, Number(v.toFixed(1))]),
  ),
  unexpected: result.unexpected,
  checks,
  ok: Object.values(checks).every(Boolean),
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  console.log(JSON.stringify(report, null, 2));
  console.log(report.ok ? 'soak: all checks passed' : 'soak: FAILED');
}
process.exitCode = report.ok ? 0 : 1;
