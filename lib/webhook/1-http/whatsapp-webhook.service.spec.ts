import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { HandlerRegistry } from '../../handlers/handler-registry.js';
import { WebhookDispatcher, type DispatchResult } from '../4-dispatch/webhook-dispatcher.js';
import type { WhatsAppContextMessagesApi } from '../../handlers/whatsapp-context.js';
import { resolveWhatsAppOptions } from '../../options/resolve-options.js';
import type { WebhookProcessingMode } from '../../options/whatsapp-options.interface.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { WhatsAppWebhookService } from './whatsapp-webhook.service.js';

// The service's last resort: even a dispatch that rejects (a bug, or a dispatcher subclass) is a
// logged failure, never an unhandled rejection. Before, `track()` (`void work.finally(...)`) and the
// background path (`void work.then(...)`) left such a rejection unhandled and Node exited.

class RejectingDispatcher extends WebhookDispatcher {
  override dispatch(): Promise<DispatchResult> {
    return Promise.reject(new Error('internal bug'));
  }
}

const update: WebhookUpdate = {
  kind: 'event',
  key: 'e:x:1',
  origin: { businessAccountId: 'waba', field: 'x' },
  value: {},
};

function service(processing: WebhookProcessingMode): WhatsAppWebhookService {
  const options = resolveWhatsAppOptions({ accessToken: 't', processing }, false);
  const dispatcher = new RejectingDispatcher(
    new HandlerRegistry(),
    options,
    null,
    {} as WhatsAppContextMessagesApi,
  );
  return new WhatsAppWebhookService(dispatcher, options);
}

describe('WhatsAppWebhookService: a dispatch that rejects', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const originalError = Logger.prototype.error;
  const logged: string[] = [];
  beforeEach(() => {
    unhandled.length = 0;
    logged.length = 0;
    process.on('unhandledRejection', onUnhandled);
    Logger.prototype.error = (message: unknown) => void logged.push(String(message));
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    Logger.prototype.error = originalError;
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('at-least-once: answers "failed" (500, Meta redelivers), logs it, leaves no unhandled rejection', async () => {
    const webhook = service('at-least-once');
    await expect(webhook.process([update])).resolves.toBe('failed');
    await webhook.drain();
    await settle();
    expect(unhandled).toEqual([]);
    expect(logged).toEqual([expect.stringContaining('Internal error while dispatching')]);
  });

  it('background: answers "ok" at once, logs the failure, leaves no unhandled rejection', async () => {
    const webhook = service('background');
    expect(webhook.process([update])).toBe('ok');
    await webhook.drain();
    await settle();
    expect(unhandled).toEqual([]);
    expect(logged).toEqual([expect.stringContaining('Internal error while dispatching')]);
  });
});
