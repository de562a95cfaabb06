import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MessageLifecycle } from './message-lifecycle.js';
import { resolveSandboxOptions } from './sandbox-options.js';
import { SandboxStore, type ChatMessage } from './sandbox-store.js';
import { TemplateReview } from './template-review.js';
import type { WebhookDelivery } from './webhook-delivery.js';

// WhatsAppSandbox.close() stops these timers first, but its server answers until close() ends:
// a send or a template accepted in that window must not arm a timer that outlives the sandbox.
describe('sandbox timers after close()', () => {
  const options = resolveSandboxOptions({ appSecret: 'secret' });
  const delivery = { enqueue: () => undefined } as unknown as WebhookDelivery;

  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('MessageLifecycle: a message accepted after close() schedules no delivered/read step', () => {
    const lifecycle = new MessageLifecycle(options, new SandboxStore(), delivery);
    lifecycle.close();
    const message: ChatMessage = {
      id: 'wamid.x',
      waId: '15551234567',
      phoneNumberId: options.phoneNumberId,
      from: 'bot',
      at: 0,
      type: 'text',
      payload: {},
      status: 'accepted',
      reactions: {},
    };
    lifecycle.accepted(message);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('TemplateReview: a template submitted after close() schedules no verdict', () => {
    const review = new TemplateReview(options, new SandboxStore(), delivery);
    review.close();
    review.submit({
      id: '1',
      businessAccountId: options.businessAccountId,
      name: 'late',
      language: 'en_US',
      category: 'UTILITY',
      components: [],
      status: 'PENDING',
      parameter_format: 'POSITIONAL',
      rejected_reason: 'NONE',
    });
    expect(jest.getTimerCount()).toBe(0);
  });
});
