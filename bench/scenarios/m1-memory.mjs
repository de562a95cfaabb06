// M1: distinct message ids through the default de-duplication store (MemoryDedupeStore), keys
// built exactly as the parser (`m:<wamid>`) and the dispatcher build them (with the in-memory store
// and one matching handler, as the bench's text handler, the dispatcher claims the update's key;
// `<key>|<handler id>` only when several handlers match an update),
// ids coming out of JSON.parse like a payload's. Reports the memory kept (heap and array buffers,
// where the store's tables live) per remembered id and per id of the cap, and RSS after GC. One
// configuration per process, so RSS belongs to that run. Needs --expose-gc.
import { serveParent } from '../lib/child.mjs';
import { importLibrary } from '../lib/library.mjs';
import { createIdSource } from '../lib/webhook-payloads.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('M1 runs with node --expose-gc');
const { MemoryDedupeStore } = await importLibrary('webhook/5-dedupe/memory-dedupe-store.js');
const TTL_MS = 7 * 24 * 3600 * 1000;
const CHUNK = 10_000;

/** Heap and off-heap memory (typed arrays' buffers) after two forced GCs. */
function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Feeds up to `ids` fresh ids into a store capped at `cap`, for at most `maxSec` seconds. */
async function run({ ids, cap, maxSec }) {
  const nextId = createIdSource();
  const before = heapAfterGc();
  const store = new MemoryDedupeStore({ maxEntries: cap });
  const deadline = performance.now() + maxSec * 1000;
  let fed = 0;
  let claimNs = 0;
  while (fed < ids && performance.now() < deadline) {
    const count = Math.min(CHUNK, ids - fed);
    const chunk = JSON.parse(JSON.stringify(Array.from({ length: count }, nextId)));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const updateKey = `m:${chunk[i]}`;
      if (!(await store.claim(updateKey, TTL_MS))) throw new Error('duplicate');
    }
    claimNs += Number(process.hrtime.bigint() - t0);
    fed += count;
  }
  const retained = heapAfterGc() - before;
  const size = store.size;
  return {
    fed,
    cap,
    size,
    capHolds: size <= cap,
    bytesPerEntry: retained / size,
    bytesPerCapEntry: retained / cap,
    retainedMB: retained / 1e6,
    rssMB: process.memoryUsage().rss / 1e6,
    nsPerClaim: claimNs / fed,
    complete: fed === ids,
  };
}

serveParent({ run });
