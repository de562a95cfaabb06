// Bytes allocated on the V8 heap while `fn` runs: heap growth plus everything garbage collections
// freed meanwhile (v8.GCProfiler reports the heap before and after each collection). Needs --expose-gc.
import { GCProfiler } from 'node:v8';

export async function measureAllocation(fn) {
  globalThis.gc();
  const profiler = new GCProfiler();
  const before = process.memoryUsage().heapUsed;
  profiler.start();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const ns = Number(process.hrtime.bigint() - t0);
  const after = process.memoryUsage().heapUsed;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  }
  return { value, ns, bytes: after - before + freed, collections: statistics.length };
}
