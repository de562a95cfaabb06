import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildChildFixture } from './support/child-build.js';
import { nextMessage } from './support/child-messages.js';
import {
  entriesFor,
  startInstance,
  textDelivery,
  type Instance,
} from './support/queue-instances.js';
import {
  acquireRedis,
  redisAvailable,
  redisServerBinary,
  RedisServer,
  uniquePrefix,
  waitFor,
} from './support/redis-server.js';

const run = redisAvailable('queue recovery (BullMQ)') ? describe : describe.skip;

const ok = (body: string) => entriesFor(body).filter((e) => e.outcome === 'ok');

run('queue recovery', () => {
  const instances: Instance[] = [];
  let redis: { url: string; release: () => Promise<void> };
  let child: ChildProcess | undefined;
  let compiled: string;

  beforeAll(async () => {
    redis = await acquireRedis();
    compiled = buildChildFixture('test/redis/fixtures/worker-instance.ts');
  }, 60_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(instances.map((instance) => instance.app.close()));
    await redis.release();
    if (compiled)
      rmSync(dirname(dirname(dirname(dirname(compiled)))), { recursive: true, force: true });
  });

  it('a worker process SIGKILLed mid-job: the other instance recovers the stalled job and handles it', async () => {
    const queueName = uniquePrefix('stall');
    // The webhook instance takes no jobs itself: the child process must be the one that starts it.
    const webhook = await startInstance('A', {
      connection: redis.url,
      queueName,
      partitions: 2,
      workers: false,
    });
    instances.push(webhook);
    child = fork(compiled, [], {
      env: { ...process.env, REDIS_URL: redis.url, QUEUE_NAME: queueName, PARTITIONS: '2' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await nextMessage(child, (m) => m.ready !== undefined);
    const started = nextMessage(child, (m) => m.started === 'wamid.stall-1');
    expect(await webhook.post(textDelivery('wamid.stall-1', '15553330001', 'stall-1'))).toBe(200);
    await started;

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect((await webhook.queue.counts()).active).toBe(1); // held by a dead worker

    const survivor = await startInstance('B', {
      connection: redis.url,
      queueName,
      partitions: 2,
      worker: { lockDuration: 1000, stalledInterval: 300 },
    });
    instances.push(survivor);
    await waitFor(() => ok('stall-1').length > 0, 'the stalled job to be recovered', 20_000);
    expect(ok('stall-1')).toEqual([expect.objectContaining({ instance: 'B' })]);
    await waitFor(
      async () => (await survivor.queue.counts()).completed === 1,
      'the job to complete',
    );
  }, 40_000);

  it('shutdown stops taking jobs and lets the running one finish', async () => {
    const queueName = uniquePrefix('drain');
    const instance = await startInstance('D', { connection: redis.url, queueName, partitions: 1 });
    const webhook = await startInstance('E', {
      connection: redis.url,
      queueName,
      partitions: 1,
      workers: false,
    });
    instances.push(webhook);
    expect(
      await instance.post(textDelivery('wamid.drain-1', '15555550001', 'drain-1-work-300')),
    ).toBe(200);
    expect(await instance.post(textDelivery('wamid.drain-2', '15555550001', 'drain-2'))).toBe(200);
    await waitFor(() => entriesFor('drain-1-work-300').length > 0, 'the first job to start');
    await instance.app.close();
    // The running job finished before close() resolved; the queued one was not taken.
    expect(ok('drain-1-work-300')).toHaveLength(1);
    expect(entriesFor('drain-2')).toHaveLength(0);
    expect(await webhook.queue.counts()).toMatchObject({ waiting: 1, active: 0, completed: 1 });
  });

  it('shutdown is bounded: close() returns while a job still runs, and the job is not lost', async () => {
    const queueName = uniquePrefix('bounded');
    const instance = await startInstance('F', {
      connection: redis.url,
      queueName,
      partitions: 1,
      shutdownTimeoutMs: 100,
    });
    expect(await instance.post(textDelivery('wamid.slow', '15555550002', 'slow-work-1500'))).toBe(
      200,
    );
    await waitFor(() => entriesFor('slow-work-1500').length > 0, 'the job to start');
    await instance.app.close();
    expect(ok('slow-work-1500')).toHaveLength(0); // close() did not wait for it
    // It finishes in the background (in a real shutdown the process may exit first: stalled recovery).
    await waitFor(() => ok('slow-work-1500').length === 1, 'the job to finish after close()');
  });

  const withBinary = redisServerBinary() ? it : it.skip;
  withBinary(
    'Redis stopped mid-run: the webhook answers 503 while it is down, nothing is lost after it is back',
    async () => {
      const server = await RedisServer.start();
      let instance: Instance | undefined;
      try {
        const c = await startInstance('C', {
          connection: server.url,
          queueName: uniquePrefix('outage'),
          partitions: 2,
          enqueueTimeoutMs: 500,
        });
        instance = c;
        expect(await c.post(textDelivery('wamid.out-1', '15554440001', 'out-before'))).toBe(200);
        await waitFor(() => ok('out-before').length === 1, 'the first update to be handled');

        await server.stop();
        const refused = textDelivery('wamid.out-2', '15554440001', 'out-during');
        expect(await c.post(refused)).toBe(503);
        const health = await c.queue.check();
        expect(health.whatsapp_queue).toMatchObject({ status: 'down', redis: 'down' });

        await server.restart();
        // Meta keeps redelivering the refused POST; once Redis is back it is accepted and handled.
        await waitFor(async () => (await c.post(refused)) === 200, 'the webhook to accept again');
        await waitFor(() => ok('out-during').length > 0, 'the refused update to be handled');
        expect(ok('out-during')).toHaveLength(1);
        expect(ok('out-before')).toHaveLength(1);
      } finally {
        await instance?.app.close(); // before its Redis goes away for good
        await server.close();
      }
    },
    40_000,
  );
});
