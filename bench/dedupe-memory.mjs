// Bytes per key of MemoryDedupeStore, the way the webhook fills it:
//   npm run build && node --expose-gc bench/dedupe-memory.mjs [n=1000000]
import { randomBytes } from 'node:crypto';

const { MemoryDedupeStore } = await import(
  process.env.DEDUPE_STORE_MODULE ?? '../dist/webhook/dedupe/memory-dedupe-store.js'
);
const n = Number(process.argv[2] ?? 1_000_000);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const WEEK = 7 * 24 * 3600 * 1000;

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
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

// Cap 2n: the store keeps at least half its cap, so all n keys stay (no generation is dropped).
const store = new MemoryDedupeStore({ maxEntries: 2 * n });
const before = heap();
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
