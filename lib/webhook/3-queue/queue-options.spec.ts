import { describe, expect, it } from '@jest/globals';
import { resolveWhatsAppOptions, WhatsAppConfigError } from '../../options/resolve-options.js';
import type { UpdateQueue } from '../../types/ports/update-queue.js';

const queue: UpdateQueue = {
  enqueue: () => Promise.resolve(),
  start: () => Promise.resolve(),
  close: () => Promise.resolve(),
  completions: { isDone: () => Promise.resolve(false), markDone: () => Promise.resolve() },
};
const base = { accessToken: 't', appSecret: 's' };

describe("options of processing: 'queue'", () => {
  it('accepts a queue with processing "queue"', () => {
    expect(resolveWhatsAppOptions({ ...base, processing: 'queue', queue }, 'wh')).toMatchObject({
      processing: 'queue',
      queue,
    });
  });

  it('requires the queue option, naming it', () => {
    expect(() => resolveWhatsAppOptions({ ...base, processing: 'queue' }, 'wh')).toThrow(
      new WhatsAppConfigError(
        'queue',
        'processing "queue" needs an update queue, e.g. new BullMqUpdateQueue({...}) from nestjs-whatsapp-cloud/redis',
      ),
    );
    expect(() =>
      resolveWhatsAppOptions({ ...base, processing: 'queue', queue: {} as UpdateQueue }, 'wh'),
    ).toThrow(/"queue"/);
  });

  it('refuses a queue without processing "queue" (it would silently do nothing)', () => {
    expect(() => resolveWhatsAppOptions({ ...base, queue }, 'wh')).toThrow(
      /"queue": is only used with processing: "queue"/,
    );
  });

  it('checks outboundLimiter has acquire()', () => {
    expect(() => resolveWhatsAppOptions({ ...base, outboundLimiter: {} as never }, 'wh')).toThrow(
      /"outboundLimiter"/,
    );
  });
});
