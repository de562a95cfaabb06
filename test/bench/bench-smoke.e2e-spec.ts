// Runs `npm run bench` in its smoke profile (every subject and scenario, ~1 s each, no targets),
// so the bench keeps working as the library changes. Needs the build (`npm test` builds first).
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface Result {
  scenario: string;
  subject: string;
  responses?: number;
  errors?: number;
  allHandled?: boolean;
  nsPerUpdate?: number;
  updates?: number;
  capHolds?: boolean;
  size?: number;
  cap?: number;
  rps?: number;
}

interface Report {
  machine: { cpus: number; node: string };
  results: Result[];
  ratios: { ratio: number | null; met?: boolean }[];
  checks: { met?: boolean }[];
  skipped: { subject: string; reason: string }[];
}

const WEBHOOK_SUBJECTS = [
  'limit',
  'nest-manual',
  'ours',
  'ours-background',
  'nest-manual-fastify',
  'ours-fastify',
  'ours-store',
];

describe('npm run bench (smoke profile)', () => {
  let dir: string;
  let report: Report;
  const find = (scenario: string, subject: string): Result | undefined =>
    report.results.find((r) => r.scenario === scenario && r.subject === subject);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const out = join(dir, 'smoke.json');
    await promisify(execFile)(
      process.execPath,
      ['bench/run.mjs', '--smoke', '--quiet', '--out', out],
      { timeout: 110_000 },
    );
    report = JSON.parse(await readFile(out, 'utf8')) as Report;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the report schema of issue 6', () => {
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.ratios.length).toBeGreaterThan(0);
    // A smoke run is too short to judge targets.
    expect([...report.ratios, ...report.checks].some((entry) => 'met' in entry)).toBe(false);
  });

  it('gets only 2xx answers from every webhook subject (signatures and bodies are right)', () => {
    for (const subject of WEBHOOK_SUBJECTS) {
      const result = find('W1', subject);
      expect(result).toBeDefined();
      expect(result?.responses).toBeGreaterThan(0);
      expect(result?.errors).toBe(0);
    }
    expect(find('W3', 'ours')?.errors).toBe(0);
  });

  it('measures the queue mode on its own redis-server, or says why not', () => {
    const queue = find('W1', 'ours-queue');
    const skipped = report.skipped.find((s) => s.subject === 'ours-queue');
    if (skipped) {
      expect(queue).toBeUndefined();
      expect(skipped.reason).toMatch(/redis-server/);
      return;
    }
    expect(queue?.responses).toBeGreaterThan(0);
    expect(queue?.errors).toBe(0);
    expect(queue?.allHandled).toBe(true);
  });

  it('counts every update of every batch in the handlers', () => {
    expect(find('W2', 'ours')?.responses).toBeGreaterThan(0);
    expect(find('W2', 'ours')?.allHandled).toBe(true);
  });

  it('measures dispatch and de-duplication memory', () => {
    for (const variant of ['parse', 'dedupe-off', 'ours']) {
      expect(find('D1', variant)?.updates).toBeGreaterThan(0);
      expect(find('D1', variant)?.nsPerUpdate).toBeGreaterThan(0);
    }
    const capped = find('M1', 'capped');
    const cap = capped?.cap ?? 0;
    expect(capped?.capHolds).toBe(true);
    // Filled to one short of its cap, the store keeps every id (no generation dropped).
    const full = find('M1', 'perEntry');
    expect(full?.size).toBe((full?.cap ?? 0) - 1);
    // Past its cap the store keeps between half of it (the latest claims) and all of it.
    expect(capped?.size).toBeLessThanOrEqual(cap);
    expect(capped?.size).toBeGreaterThanOrEqual(cap / 2);
  });

  it('sends through the client, raw undici and fetch without errors', () => {
    for (const sender of ['ours', 'undici-pool', 'fetch']) {
      expect(find('O1', sender)?.rps).toBeGreaterThan(0);
      expect(find('O1', sender)?.errors).toBe(0);
    }
  });
});
