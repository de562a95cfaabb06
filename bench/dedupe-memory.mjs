// Memory and window of MemoryDedupeStore, the way the webhook fills it:
//   npm run build && node --expose-gc bench/dedupe-memory.mjs [n=1000000]
//     bytes per key (n keys, nothing dropped) and the cap holding (3n keys into a cap of n);
//   npm run build && node --expose-gc bench/dedupe-memory.mjs window [rate=1000] [minutes]
//     the default store (createDedupeStore with the default options, as the module builds it) on a
//     simulated clock at `rate` new updates/s for `minutes` (default: until the steady state, two
//     rotations): the shortest window it kept (in simulated seconds), keys and heap at their peak,
//     and the warnings it logged. One rate per process, so the heap belongs to that run.
import { randomBytes } from 'node:crypto';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const dist = process.env.DEDUPE_DIST ?? '../dist';
const WEEK = 7 * 24 * 3600 * 1000;

// Heap and array buffers (where the store's tables live) after two forced GCs.
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};
// A wamid as Meta sends it (~60 chars); ids come out of JSON.parse like the body parser's.
const wamids = (count) =>
  JSON.parse(
    JSON.stringify(
      Array.from(
        { length: count },
        () => `wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQ${randomBytes(24).toString('base64')}AA=`,
      ),
    ),
  );

if (process.argv[2] === 'window') await windowRun();
else await perKey();

async function perKey() {
  const { MemoryDedupeStore } = await import(`${dist}/webhook/5-dedupe/memory-dedupe-store.js`);
  const n = Number(process.argv[2] ?? 1_000_000);
  // Cap n + 1: its one rotation (at half the cap) drops nothing, the older generation being empty.
  const before = heap();
  const store = new MemoryDedupeStore({ maxEntries: n + 1 });
  let ns = 0n;
  for (let done = 0; done < n; done += 1000) {
    const ids = wamids(Math.min(1000, n - done)); // one batch of payload ids, garbage afterwards
    const t0 = process.hrtime.bigint();
    for (const id of ids) store.claimSync(`m:${id}`, WEEK); // the parser's key
    ns += process.hrtime.bigint() - t0;
  }
  const after = heap();
  console.log(
    JSON.stringify({
      node: process.version,
      entries: store.size,
      keyLength: `m:${wamids(1)[0]}`.length,
      bytesPerEntry: Math.round((after - before) / store.size),
      heapMB: Math.round((after - before) / 1e6),
      nsPerNewClaim: Math.round(Number(ns) / n),
    }),
  );

  // The cap holds: 3n more new keys into a store capped at n.
  const capped = new MemoryDedupeStore({ maxEntries: n });
  let max = 0;
  for (let done = 0; done < 3 * n; done += 1000) {
    for (const id of wamids(1000)) capped.claimSync(`m:${id}`, WEEK);
    max = Math.max(max, capped.size);
  }
  console.log(JSON.stringify({ cap: n, maxSizeSeen: max, capHolds: max <= n }));
}

async function windowRun() {
  const { createDedupeStore } = await import(`${dist}/webhook/5-dedupe/create-dedupe-store.js`);
  const { OPTION_DEFAULTS } = await import(`${dist}/options/resolve-options.js`);
  const rate = Number(process.argv[3] ?? 1000);
  // DEDUPE_MAX_ENTRIES / DEDUPE_MIN_WINDOW_MS: size another configuration than the default.
  const options = {
    ...OPTION_DEFAULTS.dedupe,
    maxEntries: Number(process.env.DEDUPE_MAX_ENTRIES || OPTION_DEFAULTS.dedupe.maxEntries),
    minWindowMs: Number(process.env.DEDUPE_MIN_WINDOW_MS || OPTION_DEFAULTS.dedupe.minWindowMs),
  };
  const { minWindowMs, maxEntries } = options;
  // The steady state: two rotations, by time (minWindowMs) or by count (half the cap).
  const rotationS = Math.min(minWindowMs / 1000, maxEntries / 2 / rate);
  const minutes = Number(process.argv[4] ?? Math.ceil((2.1 * rotationS) / 60));
  let t = 1_767_611_200_000;
  const warnings = [];
  const before = heap();
  const store = createDedupeStore(options, { warn: (m) => warnings.push(m) }, () => t);
  const claims = Math.round(rate * minutes * 60);
  const msPerClaim = 1000 / rate;
  let clock = t;
  let minWindowAfterRotation = Infinity;
  let peak = { keys: 0, heapMB: 0 };
  let lastSize = 0;
  for (let done = 0; done < claims; done += 1000) {
    const ids = wamids(Math.min(1000, claims - done));
    for (const id of ids) {
      clock += msPerClaim;
      t = Math.floor(clock);
      store.claimSync(`m:${id}`, WEEK);
      // A rotation dropped keys: the window right after it is the shortest it keeps.
      if (store.size < lastSize)
        minWindowAfterRotation = Math.min(minWindowAfterRotation, store.windowMs);
      lastSize = store.size;
    }
    // Heap at the largest key counts: just before a rotation (sampled once per 100 000 claims).
    if (done % 100_000 === 0 && store.size > peak.keys) {
      peak = { keys: store.size, heapMB: Math.round((heap() - before) / 1e6) };
    }
  }
  const bytesPerKey = (peak.heapMB * 1e6) / peak.keys;
  console.log(
    JSON.stringify({
      node: process.version,
      rate,
      simulatedMinutes: minutes,
      minWindowMs,
      maxEntries,
      shortestWindowS: Math.round(minWindowAfterRotation / 100) / 10,
      peakKeys: peak.keys,
      peakHeapMB: peak.heapMB,
      bytesPerKey: Math.round(bytesPerKey),
      // The store at its largest (two full generations), from the measured bytes per key.
      fullCapMB: Math.round(
        (Math.min(maxEntries, 2 * rate * (minWindowMs / 1000)) * bytesPerKey) / 1e6,
      ),
      warnings,
    }),
  );
}
