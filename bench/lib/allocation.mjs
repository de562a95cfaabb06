// Bytes allocated on the V8 heap while `fn` runs: heap growth plus everything garbage collections
// freed meanwhile (v8.GCProfiler reports the heap before and after each collection), its wall time
// and the process's CPU time. Needs --expose-gc.
import { GCProfiler } from 'node:v8';

export async function measureAllocation(fn) {
  globalThis.gc();
  const profiler = new GCProfiler();
  const before = process.memoryUsage().heapUsed;
  profiler.start();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const after = process.memoryUsage().heapUsed;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  }
  // CPU time of the whole process (GC threads included): on a shared machine, wall time also counts
  // the time the process waited for a core.
  const cpuNs = (cpu.user + cpu.system) * 1000;
  return { value, ns, cpuNs, bytes: after - before + freed, collections: statistics.length };
}
