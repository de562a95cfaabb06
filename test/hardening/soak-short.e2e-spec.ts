import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The 20-second version of the soak (bench/soak.mjs; `npm run soak` runs it for 5 minutes). It
// drives the built library (dist/, built by `pretest`) in a child process at a fixed rate with 10 %
// duplicate deliveries, 1 % failing handlers and random batch sizes, and checks losses, duplicates,
// RSS growth and event-loop stalls itself; the thresholds here are loose for a busy CI machine.
// The de-duplication store's clock runs 60 times faster (20 s are 20 simulated minutes): the
// duplicates come after Meta-like delays of 0 s to 5 simulated minutes, and the store rotates its
// generations by time (dropping keys older than its 10-minute window) during the run.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface SoakReport {
  simulatedMinutes: number;
  duplicateDelaysS: Record<string, number>;
  dedupeWindowS: { windowS: number; minWindowS: number };
  updatesSent: number;
  handledUnique: number;
  handledTwice: number;
  lost: number;
  duplicateDeliveries: number;
  plannedFailingUpdates: number;
  deliveries: number;
  rssMb: { growth: number };
  eventLoopDelayMs: { p99: number; max: number };
  checks: Record<string, boolean>;
  ok: boolean;
}

function runSoak(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/soak.mjs', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('soak, 20-second version', () => {
  it('every update handled once, none lost, despite duplicates after seconds to minutes and failing handlers; memory and event loop bounded', async () => {
    const run = await runSoak([
      '--duration',
      '20',
      '--rate',
      '100',
      '--time-scale',
      '60',
      '--max-stall-ms',
      '1000',
      '--max-rss-growth-mb',
      '96',
      '--json',
    ]);
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    expect({ code: run.code, stderr: run.stderr.slice(0, 2000) }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(line) as SoakReport;
    process.stdout.write(`soak (20 s): ${line}\n`);
    expect(report.updatesSent).toBeGreaterThan(10_000);
    expect(report.duplicateDeliveries).toBeGreaterThan(report.deliveries * 0.05);
    expect(report.plannedFailingUpdates).toBeGreaterThan(50);
    // Duplicates after minutes, not milliseconds, all within the store's window.
    expect(report.simulatedMinutes).toBeGreaterThanOrEqual(20);
    const afterMinutes = Object.entries(report.duplicateDelaysS)
      .filter(([delayS]) => Number(delayS) >= 60)
      .reduce((sum, [, n]) => sum + n, 0);
    expect(afterMinutes).toBeGreaterThan(report.duplicateDeliveries * 0.3);
    expect(report.dedupeWindowS.windowS).toBeGreaterThanOrEqual(report.dedupeWindowS.minWindowS);
    expect(report.lost).toBe(0);
    expect(report.handledUnique).toBe(report.updatesSent);
    expect(report.handledTwice).toBe(0);
    expect(Object.entries(report.checks).filter(([, ok]) => !ok)).toEqual([]);
    expect(report.ok).toBe(true);
  }, 90_000);
});
