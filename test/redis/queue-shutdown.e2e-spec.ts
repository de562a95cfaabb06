import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildChildFixture } from './support/child-build.js';
import { nextMessage } from './support/child-messages.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

// BullMQ's Worker.close() never resolves when its blocking connection is between two reconnect
// attempts (Redis down, or restarted a moment ago), and its timers then kept the process alive for
// ever: the intermittent "Jest did not exit" of `npm test`. A process whose queue was closed must
// exit by itself, whatever state Redis is in (test/redis/fixtures/closing-instance.ts).
const run = redisServerBinary() ? describe : describe.skip;

run('queue shutdown with Redis unreachable', () => {
  let compiled: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    compiled = buildChildFixture('test/redis/fixtures/closing-instance.ts');
  }, 60_000);
  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (compiled)
      rmSync(dirname(dirname(dirname(dirname(compiled)))), { recursive: true, force: true });
  });

  // 500 ms: close() gives up waiting and lets the workers go in the background;
  // 10 s (the default): close() itself notices that nothing runs and lets them go.
  it.each([500, 10_000])(
    'shutdownTimeoutMs %i: close() while Redis is down, then the process exits on its own',
    async (shutdownTimeoutMs) => {
      const server = await RedisServer.start();
      try {
        const child = fork(compiled, [], {
          env: {
            ...process.env,
            REDIS_URL: server.url,
            QUEUE_NAME: uniquePrefix('shutdown'),
            SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
          },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        children.push(child);
        const exited = new Promise<number | null>((resolve) =>
          child.once('exit', (code) => resolve(code)),
        );
        await nextMessage(child, (m) => m.ready !== undefined);
        await server.stop();
        // Let the clients fail and wait between reconnect attempts (the state BullMQ cannot close from).
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const closed = nextMessage(child, (m) => m.closed === true);
        child.send({ close: true });
        await closed;
        // Without the fix the child stays alive (reconnect and lock-renewal timers) until killed.
        await waitFor(() => child.exitCode !== null, 'the closed process to exit', 15_000);
        expect(await exited).toBe(0);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});
