import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

// `npm test` has no --forceExit: the watchdog (support/open-handles-watchdog.mjs, Jest's
// globalTeardown) must turn a leaked handle into a red run that names it, and stay silent otherwise.
// Checked on a real Jest run of a one-test project, with and without a leaked listening server.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const WATCHDOG = join(ROOT, 'test/hardening/support/open-handles-watchdog.mjs');
const JEST = join(ROOT, 'node_modules/jest/bin/jest.js');

function runJest(testBody: string): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-watchdog-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'one.test.cjs'), testBody);
  const config = { rootDir: dir, testMatch: ['**/*.test.cjs'], globalTeardown: WATCHDOG };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [JEST, '--config', JSON.stringify(config), '--runInBand'],
      {
        cwd: ROOT,
        env: { ...process.env, OPEN_HANDLES_GRACE_MS: '1000', NODE_OPTIONS: '' },
        timeout: 60_000,
      },
      (error, _stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stderr }),
    );
  });
}

const dirs: string[] = [];

describe('open-handles watchdog (npm test exits by itself or fails naming the leak)', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a test file that leaves a server listening: exit code 1, the server named', async () => {
    const run = await runJest(
      `test('leaks', (done) => { require('node:net').createServer().listen(0, '127.0.0.1', done); });`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('still alive 1000 ms after the last test file');
    expect(run.stderr).toMatch(/Server listening on \{"address":"127\.0\.0\.1"/);
  }, 60_000);

  it('a test file that closes what it opened: exit code 0, no report', async () => {
    const run = await runJest(
      `test('closes', (done) => { const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => s.close(done)); });`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('still alive');
  }, 60_000);
});
