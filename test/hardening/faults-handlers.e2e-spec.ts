import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { HandlerErrorInfo } from '../../lib/types/ports/handler-error-info.js';
import { WhatsAppWebhookService } from '../../lib/webhook/1-http/whatsapp-webhook.service.js';
import {
  failuresLeft,
  journal,
  PHONE_NUMBER_ID,
  startInstance,
  type Instance,
} from '../redis/support/queue-instances.js';
import {
  acquireRedis,
  redisAvailable,
  uniquePrefix,
  waitFor,
} from '../redis/support/redis-server.js';

// Handlers failing in the middle of a 40-update batch, in each processing mode, with Meta's
// redelivery played by the test while the answer is not 200. Reuses the Redis suites' instances
// (two handlers per text message, `first` fails as planned in `failuresLeft`).

const SIZE = 40;
/** Position in the batch → planned failures of its `first` handler call. */
const PLANNED = new Map([
  [0, 1],
  [7, 1],
  [19, 2],
  [20, 1],
  [39, 1],
]);

function batch(mode: string): { ids: string[]; body: string } {
  const ids = Array.from({ length: SIZE }, (_, i) => `wamid.batch.${mode}.${i}`);
  const messages = ids.map((id, i) => ({
    from: `1555000${String(i % 4).padStart(4, '0')}`,
    id,
    timestamp: '1750000000',
    type: 'text',
    text: { body: `${mode}-${i}` },
  }));
  for (const [i, times] of PLANNED) failuresLeft.set(`${mode}-${i}`, times);
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
    messages,
  };
  return {
    ids,
    body: JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value }] }],
    }),
  };
}

/** Outcomes of one handler for one id, in order. */
const outcomes = (id: string, handler: 'first' | 'second') =>
  journal
    .filter((e) => e.id === id && e.handler === handler && e.outcome !== 'started')
    .map((e) => e.outcome);

async function deliverUntilAcknowledged(instance: Instance, body: string): Promise<number[]> {
  const answers: number[] = [];
  for (let attempt = 0; attempt < 6 && answers.at(-1) !== 200; attempt++)
    answers.push(await instance.post(body));
  return answers;
}

describe('handler failures mid-batch, per processing mode', () => {
  const instances: Instance[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.app.close()));
  });

  it("at-least-once: 500 while a call failed; Meta's retries run only the failed calls; every update handled once", async () => {
    const instance = await startInstance('at-least-once', null);
    instances.push(instance);
    const { ids, body } = batch('alo');
    const answers = await deliverUntilAcknowledged(instance, body);
    // Position 19 fails twice: two 500s, then 200.
    expect(answers).toEqual([500, 500, 200]);
    ids.forEach((id, i) => {
      const planned = PLANNED.get(i) ?? 0;
      expect({ i, first: outcomes(id, 'first') }).toEqual({
        i,
        first: [...Array<string>(planned).fill('failed'), 'ok'],
      });
      expect({ i, second: outcomes(id, 'second') }).toEqual({ i, second: ['ok'] });
    });
  });

  it('background: 200 at once; a failed call is reported to onHandlerError with its update, never redelivered; the rest handled once', async () => {
    const reported: HandlerErrorInfo[] = [];
    const instance = await startInstance('background', null, {
      processing: 'background',
      onHandlerError: (_error, info) => {
        reported.push(info);
      },
    });
    instances.push(instance);
    const { ids, body } = batch('bg');
    expect(await deliverUntilAcknowledged(instance, body)).toEqual([200]);
    await instance.app.get(WhatsAppWebhookService).drain();
    ids.forEach((id, i) => {
      expect({ i, first: outcomes(id, 'first') }).toEqual({
        i,
        first: [PLANNED.has(i) ? 'failed' : 'ok'],
      });
      expect({ i, second: outcomes(id, 'second') }).toEqual({ i, second: ['ok'] });
    });
    const failedKeys = reported.map((info) => JSON.stringify(info)).join('\n');
    for (const i of PLANNED.keys()) expect(failedKeys).toContain(ids[i]);
    expect(reported).toHaveLength(PLANNED.size);
  });

  const withRedis = redisAvailable('hardening: queue mode mid-batch failures') ? it : it.skip;
  withRedis(
    'queue: 200 at once; failed calls retried by the queue until they succeed; every update handled once',
    async () => {
      const redis = await acquireRedis();
      try {
        const instance = await startInstance('queue', {
          connection: redis.url,
          queueName: uniquePrefix('hardening-batch'),
          partitions: 4,
          attempts: 4,
          backoffMs: 10,
        });
        instances.push(instance);
        const { ids, body } = batch('queue');
        expect(await deliverUntilAcknowledged(instance, body)).toEqual([200]);
        await waitFor(
          () =>
            ids.every(
              (id) => outcomes(id, 'first').includes('ok') && outcomes(id, 'second').length > 0,
            ),
          'every update to be handled',
          20_000,
        );
        await waitFor(async () => {
          const counts = await instance.queue.counts();
          return counts.waiting + counts.active + counts.delayed === 0;
        }, 'the queue to drain');
        ids.forEach((id, i) => {
          const planned = PLANNED.get(i) ?? 0;
          expect({ i, first: outcomes(id, 'first') }).toEqual({
            i,
            first: [...Array<string>(planned).fill('failed'), 'ok'],
          });
          expect({ i, second: outcomes(id, 'second') }).toEqual({ i, second: ['ok'] });
        });
        await instance.app.close();
        instances.pop();
      } finally {
        await redis.release();
      }
    },
    40_000,
  );
});
