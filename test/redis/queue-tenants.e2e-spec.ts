import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BullMqUpdateQueue, type BullMqUpdateQueueOptions } from '../../lib/redis/index.js';
import { laneOf } from '../../lib/redis/tenant-lanes.js';
import { journal, okRuns, startInstance, type Instance } from './support/queue-instances.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

/** Per-tenant fairness of queue mode (ISSUE14 §2): tenant lanes, real Redis, real Nest apps. */
const run = redisServerBinary() ? describe : describe.skip;

const A = { phone: '106540352242922', waba: '102290129340398' };
const B = { phone: '207700000000001', waba: '207700000000900' };
const LANES = 4;
const A_USERS = 40;
const A_PER_USER = 10;

/** A Meta-shaped POST body: one change of `phone` with a text message per [id, from, body]. */
function delivery(tenant: typeof A, messages: [string, string, string][]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: tenant.waba,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: tenant.phone },
              contacts: messages.map(([, from]) => ({ profile: { name: 'T' }, wa_id: from })),
              messages: messages.map(([id, from, body]) => ({
                from,
                id,
                timestamp: '1750000000',
                type: 'text',
                text: { body },
              })),
            },
          },
        ],
      },
    ],
  });
}

/** How many of a tenant's updates (by body prefix) the `first` handler finished. */
const handled = (prefix: string) =>
  journal.filter((e) => e.handler === 'first' && e.outcome === 'ok' && e.body.startsWith(prefix))
    .length;

run("processing: 'queue' tenant lanes", () => {
  let server: RedisServer;
  const instances: Instance[] = [];

  beforeEach(async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'noeviction' } });
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.app.close()));
    await server.close();
  });

  async function start(name: string, options: Omit<BullMqUpdateQueueOptions, 'connection'>) {
    const instance = await startInstance(name, {
      connection: server.url,
      shutdownTimeoutMs: 300,
      ...options,
    });
    instances.push(instance);
    return instance;
  }

  it('refuses lanes that do not divide the partitions, and an unknown tenantOf, before connecting', () => {
    const connection = 'redis://127.0.0.1:9';
    expect(() => new BullMqUpdateQueue({ connection, partitions: 64, tenantLanes: 5 })).toThrow(
      '"tenantLanes" must divide "partitions"',
    );
    expect(() => new BullMqUpdateQueue({ connection, tenantLanes: 0 })).toThrow(
      '"tenantLanes" must be a positive integer',
    );
    expect(
      () => new BullMqUpdateQueue({ connection, tenantLanes: 8, tenantOf: 'waba' as never }),
    ).toThrow('"tenantOf" must be');
  });

  it("B's users are handled while A's flood is still queued; each conversation stays in order across two replicas", async () => {
    // The two numbers land in different lanes (the default tenant is the receiving number).
    expect(laneOf(A.phone, LANES)).not.toBe(laneOf(B.phone, LANES));
    const queueName = uniquePrefix('tenants');
    const options = { queueName, partitions: 16, tenantLanes: LANES, concurrency: 2 };
    // Everything is stored before any worker runs: A's 400 updates, then B's 8, the last in line.
    const webhook = await start('H', { ...options, workers: false });
    const flood: [string, string, string][] = [];
    for (let seq = 0; seq < A_PER_USER; seq++) {
      for (let user = 0; user < A_USERS; user++) {
        const from = `1555770${String(user).padStart(4, '0')}`;
        flood.push([`wamid.ta-${user}-${seq}`, from, `ta-${user}-${seq}`]);
      }
    }
    for (let i = 0; i < flood.length; i += 50) {
      expect(await webhook.post(delivery(A, flood.slice(i, i + 50)))).toBe(200);
    }
    for (let user = 0; user < 8; user++) {
      const from = `1666770${String(user).padStart(4, '0')}`;
      expect(await webhook.post(delivery(B, [[`wamid.tb-${user}`, from, `tb-${user}`]]))).toBe(200);
    }
    expect((await webhook.queue.counts()).waiting).toBe(flood.length + 8);

    await Promise.all([start('W1', options), start('W2', options)]);
    await waitFor(() => handled('tb-') === 8, "B's 8 updates", 60_000);
    // Counted, not timed: A's lane and B's lane take turns for the slots, so few of A's updates
    // ran before B's. Without lanes B's updates sit behind ~25 of A's in each partition (FIFO)
    // and are handled when most of A's 400 are (measured: 8 of 400 with lanes, 400 without).
    const aDoneWhenBDone = handled('ta-');
    expect(aDoneWhenBDone).toBeLessThan(flood.length / 4);

    await waitFor(() => handled('ta-') === flood.length, "A's flood", 120_000);
    for (let user = 0; user < 8; user++) expect(okRuns(`tb-${user}`)).toBe(1);
    // Each of A's conversations: one at a time (started after the previous finished), in order,
    // whichever replica ran them.
    for (let user = 0; user < A_USERS; user++) {
      const steps = journal
        .filter((e) => e.handler === 'first' && e.body.startsWith(`ta-${user}-`))
        .map((e) => `${e.outcome} ${e.body}`);
      const expected = Array.from({ length: A_PER_USER }, (_, seq) => [
        `started ta-${user}-${seq}`,
        `ok ta-${user}-${seq}`,
      ]).flat();
      expect(steps).toEqual(expected);
    }
  }, 180_000);
});
