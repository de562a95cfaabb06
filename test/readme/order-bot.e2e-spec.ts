import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WhatsAppTestApp, webhook } from 'nestjs-whatsapp-cloud/testing';
import { BotModule, OrderBot } from './order-bot.module.js';

describe('OrderBot', () => {
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    // No WHATSAPP_* variables needed: the module gets test options and a fake Graph API.
    wa = await WhatsAppTestApp.create({ imports: [BotModule] });
  });
  afterEach(() => wa.graph.reset());
  afterAll(() => wa.close());

  it('answers an order status question', async () => {
    const answer = await wa.receive(webhook.text({ body: 'status 42' }));

    expect(answer.status).toBe(200); // the handlers have run when receive() resolves
    wa.graph.expectSent({
      to: '15551234567', // the builders' default sender
      type: 'text',
      text: { body: 'Order 42 is on its way.' },
    });
  });

  it('handles every message of a batch', async () => {
    await wa.receive(
      webhook.batch(
        webhook.text({ body: 'status 1', sender: { waId: '447700900001' } }),
        webhook.text({ body: 'hello', sender: { waId: '447700900002' } }),
      ),
    );

    wa.graph.expectSent({ to: '447700900001', text: { body: 'Order 1 is on its way.' } });
    wa.graph.expectSent({ to: '447700900002', text: { body: 'Send "status <order number>".' } });
  });

  it('remembers messages WhatsApp could not deliver', async () => {
    await wa.receive(webhook.status('failed', { id: 'wamid.out-1' }));

    expect(wa.get(OrderBot).undelivered).toEqual(['wamid.out-1']);
  });

  it('answers 500 when a reply fails, so that Meta delivers the message again', async () => {
    wa.graph.failNext(
      { status: 400, error: { code: 131026, message: 'Message undeliverable' } },
      2,
    );

    const answer = await wa.receive(webhook.text({ body: 'status 9' }));

    expect(answer.status).toBe(500);
    expect(wa.graph.sentMessages()).toHaveLength(1); // 131026 is not retryable: one attempt
  });

  it('refuses a delivery without a valid signature', async () => {
    const answer = await wa.receive(webhook.text({ body: 'status 3' }), { signature: false });

    expect(answer.status).toBe(401);
    expect(wa.graph.requests).toHaveLength(0);
  });
});
