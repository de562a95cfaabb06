import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { compileMatcher } from '../../handlers/handler-matcher.js';
import { HandlerRegistry } from '../../handlers/handler-registry.js';
import type { WhatsAppContextMessagesApi } from '../../handlers/whatsapp-context.js';
import { resolveWhatsAppOptions } from '../../options/resolve-options.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import type { UpdateQueue } from '../../types/ports/update-queue.js';
import { QueuedUpdateFailedError, UpdateQueueWorkers } from './update-queue-workers.js';

describe('UpdateQueueWorkers.run with a hostile error', () => {
  it('a handler throwing an Error whose message getter throws still fails the attempt (so the queue retries it)', async () => {
    const done = new Set<string>();
    const queue: UpdateQueue = {
      completions: {
        isDone: (key) => Promise.resolve(done.has(key)),
        markDone: (key) => Promise.resolve(void done.add(key)),
      },
      enqueue: () => Promise.resolve(),
      start: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const registry = new HandlerRegistry();
    registry.add('message', {
      handler: {
        id: 'Hostile.handle',
        invoke: () => {
          const error = new Error('x');
          Object.defineProperty(error, 'message', {
            get() {
              throw new Error('message getter');
            },
          });
          throw error;
        },
      },
      matchers: [compileMatcher({ kind: 'message', options: {} })],
    });
    const options = resolveWhatsAppOptions({ accessToken: 't', processing: 'queue', queue }, false);
    const workers = new UpdateQueueWorkers(registry, options, {} as WhatsAppContextMessagesApi);
    const update: WebhookUpdate = {
      kind: 'message',
      key: 'm:wamid.1',
      origin: { businessAccountId: 'waba', field: 'messages' },
      message: { id: 'wamid.1', type: 'text', timestamp: '1' } as never,
    };
    const error = Logger.prototype.error;
    Logger.prototype.error = () => undefined;
    try {
      await expect(workers.run(update)).rejects.toThrow(QueuedUpdateFailedError);
      await expect(workers.run(update)).rejects.toThrow(
        /Hostile\.handle: \(no message\)|unreadable/,
      );
    } finally {
      Logger.prototype.error = error;
    }
    expect(done.size).toBe(0);
  });
});
