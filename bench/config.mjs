// What `npm run bench` runs. Durations are the measured time per subject in a scenario, split into
// interleaved rounds (A B C … A B C …) so that a burst of noise on the shared machine hits every
// subject alike; ratios are taken within a round and their median reported.

const WEBHOOK_ALL = [
  'limit',
  'nest-manual',
  'ours',
  'ours-background',
  'nest-manual-fastify',
  'ours-fastify',
  // BullMQ on a private redis-server the bench starts; "not measured", with the reason, without it.
  'ours-queue',
  'ours-store',
];
// W2 without the queue mode: 1000 updates per POST are stored as 1000 jobs far faster than the
// workers run them, so each round would leave minutes of backlog (measured once: docs/performance.md).
const WEBHOOK_NO_QUEUE = WEBHOOK_ALL.filter((name) => name !== 'ours-queue');

export const PROFILES = {
  full: {
    rounds: 3,
    warmupSec: 1,
    W1: { subjects: WEBHOOK_ALL, body: 'single', connections: 50, totalSec: 8 },
    W2: { subjects: WEBHOOK_NO_QUEUE, body: 'batch', connections: 10, totalSec: 4.5 },
    W3: {
      // limit shows the latency floor of the machine at that rate.
      subjects: ['ours', 'nest-manual', 'limit'],
      body: 'single',
      connections: 50,
      overallRate: 2000,
      totalSec: 10,
    },
    // Each round gets a third of the updates; `maxSec` bounds a round whatever the speed.
    D1: { updates: 1_000_000, warmupUpdates: 110_000, maxSec: 3 },
    // `perEntry`: the default cap (1 250 000) filled to one id short of it (no generation dropped),
    // so the memory kept divided by the ids is the cost of one id in a full store.
    // `capped`: a cap far below the ids fed (100 000, the default before dedupe.minWindowMs);
    // the store must stay at it whatever goes through.
    M1: {
      perEntry: { ids: 1_249_999, cap: 1_250_000, maxSec: 10 },
      capped: { ids: 1_000_000, cap: 100_000, maxSec: 8 },
    },
    O1: { subjects: ['ours', 'undici-pool', 'fetch'], inFlight: 50, totalSec: 8 },
  },
  // `npm test` runs this (test/bench): every subject and scenario once, ~1 s each, no targets.
  smoke: {
    rounds: 1,
    warmupSec: 0,
    // Unpinned: both cores start the apps, which is most of a smoke run.
    pin: false,
    W1: { subjects: WEBHOOK_ALL, body: 'single', connections: 10, totalSec: 0.3 },
    W2: { subjects: ['ours'], body: 'batch', connections: 2, totalSec: 0.5 },
    W3: { subjects: ['ours'], body: 'single', connections: 5, overallRate: 200, totalSec: 0.5 },
    D1: { updates: 20_000, warmupUpdates: 0, maxSec: 1 },
    M1: {
      perEntry: { ids: 19_999, cap: 20_000, maxSec: 1 },
      capped: { ids: 20_000, cap: 5_000, maxSec: 1 },
    },
    O1: { subjects: ['ours', 'undici-pool', 'fetch'], inFlight: 10, totalSec: 0.3 },
  },
};

/** Targets of issues 6 and 16 (medians, same run). `max` targets are upper bounds. */
export const TARGETS = {
  ratios: [
    { scenario: 'W1', subject: 'ours', baseline: 'nest-manual', metric: 'rps', target: 0.95 },
    {
      scenario: 'W1',
      subject: 'ours',
      baseline: 'nest-manual',
      metric: 'cpuUsPerReq',
      target: 1.05,
      max: true,
    },
    {
      scenario: 'W1',
      subject: 'ours',
      baseline: 'nest-manual',
      metric: 'p99Ms',
      target: 1.2,
      max: true,
    },
    {
      scenario: 'W1',
      subject: 'ours-fastify',
      baseline: 'nest-manual',
      metric: 'rps',
      target: 2.0,
    },
    {
      scenario: 'W2',
      subject: 'ours',
      baseline: 'nest-manual',
      metric: 'updatesPerSec',
      target: 0.9,
    },
    {
      scenario: 'W2',
      subject: 'ours-fastify',
      baseline: 'nest-manual-fastify',
      metric: 'updatesPerSec',
      target: 1.0,
    },
    // Issue 16: the latency at a fixed rate, against bare node:http on the same machine and run.
    { scenario: 'W3', subject: 'ours', baseline: 'limit', metric: 'p99Ms', target: 1.5, max: true },
    { scenario: 'W2', subject: 'ours', baseline: 'limit', metric: 'updatesPerSec', target: 0.8 },
    { scenario: 'O1', subject: 'ours', baseline: 'undici-pool', metric: 'rps', target: 0.8 },
    { scenario: 'O1', subject: 'ours', baseline: 'fetch', metric: 'rps', target: 8.0 },
  ],
  // Shown for orientation, no target.
  info: [
    { scenario: 'W1', subject: 'nest-manual', baseline: 'limit', metric: 'rps' },
    { scenario: 'W1', subject: 'ours-background', baseline: 'nest-manual', metric: 'rps' },
    { scenario: 'W1', subject: 'ours-fastify', baseline: 'nest-manual-fastify', metric: 'rps' },
    {
      scenario: 'W1',
      subject: 'ours-fastify',
      baseline: 'nest-manual-fastify',
      metric: 'cpuUsPerReq',
    },
    { scenario: 'W1', subject: 'ours', baseline: 'nest-manual', metric: 'cpuUserUsPerReq' },
    {
      scenario: 'W1',
      subject: 'ours-fastify',
      baseline: 'nest-manual-fastify',
      metric: 'cpuUserUsPerReq',
    },
    {
      scenario: 'W2',
      subject: 'ours-background',
      baseline: 'nest-manual',
      metric: 'updatesPerSec',
    },
    { scenario: 'W1', subject: 'ours-queue', baseline: 'ours', metric: 'rps' },
    { scenario: 'W1', subject: 'ours-queue', baseline: 'ours', metric: 'cpuUsPerReq' },
    { scenario: 'W1', subject: 'ours-store', baseline: 'ours', metric: 'rps' },
    { scenario: 'W2', subject: 'ours-store', baseline: 'ours', metric: 'updatesPerSec' },
    { scenario: 'W3', subject: 'nest-manual', baseline: 'limit', metric: 'p99Ms' },
    { scenario: 'O1', subject: 'ours', baseline: 'undici-pool', metric: 'cpuUsPerReq' },
  ],
  absolute: [
    { scenario: 'W3', subject: 'ours', metric: 'errors', target: 0, max: true },
    // Issue 16: the whole path, and de-duplication alone (`dedupe` = ours − dedupe-off, per round).
    { scenario: 'D1', subject: 'ours', metric: 'nsPerUpdate', target: 600, max: true },
    { scenario: 'D1', subject: 'dedupe', metric: 'nsPerUpdate', target: 100, max: true },
    // The same in CPU time, which a shared machine's waits for a core do not inflate.
    { scenario: 'D1', subject: 'ours', metric: 'cpuNsPerUpdate', target: 600, max: true },
    { scenario: 'D1', subject: 'dedupe', metric: 'cpuNsPerUpdate', target: 100, max: true },
    { scenario: 'W1', subject: 'ours-queue', metric: 'allHandled', target: true },
    { scenario: 'W2', subject: '*', metric: 'allHandled', target: true },
    // A full default store: ≤ 24 bytes per id, and its 1 249 999 ids (≥ 1 000 000) in ≤ 32 MB.
    { scenario: 'M1', subject: 'perEntry', metric: 'bytesPerEntry', target: 24, max: true },
    { scenario: 'M1', subject: 'perEntry', metric: 'retainedMB', target: 32, max: true },
    // Past its cap the store keeps at most `cap` ids, in no more memory than `cap` × 24 bytes.
    { scenario: 'M1', subject: 'capped', metric: 'capHolds', target: true },
    { scenario: 'M1', subject: 'capped', metric: 'bytesPerCapEntry', target: 24, max: true },
  ],
};
