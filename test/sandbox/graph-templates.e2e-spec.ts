import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call, userSays, type GraphErrorBody } from './sandbox-http.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const V = '/v26.0';
const WABA = '184736291047562';
const PNID = '109283746501928';
const SECRET = 'template-secret';

const orderShipped = {
  name: 'order_shipped',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track it' }] },
  ],
};

describe('WhatsAppSandbox: templates and phone numbers', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;
  const templateEvents = () =>
    receiver.changes().filter((c) => c.field === 'message_template_status_update');

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: SECRET,
      businessAccountId: WABA,
      phoneNumberId: PNID,
      displayPhoneNumber: '+1 555-777-1234',
      templateReviewMs: 0,
    }));
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('creates a template PENDING, then approves it with a signed message_template_status_update webhook', async () => {
    const created = await call(sandbox.baseUrl, 'POST', `${V}/${WABA}/message_templates`, {
      json: orderShipped,
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'PENDING',
      category: 'UTILITY',
    });
    await receiver.waitFor(() => templateEvents().length === 1);
    const [post] = receiver.received;
    expect(post?.signatureValid).toBe(true);
    expect(post?.json.entry[0]).toMatchObject({ id: WABA, time: expect.any(Number) });
    expect(templateEvents()[0]?.value).toEqual({
      event: 'APPROVED',
      message_template_id: Number(created.json.id),
      message_template_name: 'order_shipped',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'UTILITY',
    });
    const fetched = await call(sandbox.baseUrl, 'GET', `${V}/${String(created.json.id)}`);
    expect(fetched.json).toMatchObject({
      name: 'order_shipped',
      status: 'APPROVED',
      language: 'en_US',
    });
  });

  it('rejects a template whose name contains "reject", with the REJECTED webhook', async () => {
    const created = await call(sandbox.baseUrl, 'POST', `${V}/${WABA}/message_templates`, {
      json: { ...orderShipped, name: 'promo_reject_me', category: 'MARKETING' },
    });
    expect(created.status).toBe(200);
    await receiver.waitFor(() => templateEvents().length === 2);
    expect(templateEvents()[1]?.value).toMatchObject({
      event: 'REJECTED',
      message_template_name: 'promo_reject_me',
      reason: 'INVALID_FORMAT',
      rejection_info: { reason: expect.any(String) },
    });
    // A rejected template cannot be sent.
    const send = await call<GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: {
        messaging_product: 'whatsapp',
        to: '12025550147',
        type: 'template',
        template: { name: 'promo_reject_me', language: { code: 'en_US' } },
      },
    });
    expect(send.json.error.code).toBe(132001);
  });

  it('refuses a duplicate name and language, a bad category and a missing BODY with code 100', async () => {
    const bodies = [
      orderShipped,
      { ...orderShipped, name: 'other', category: 'PROMO' },
      { ...orderShipped, name: 'no_body', components: [{ type: 'FOOTER', text: 'x' }] },
      { ...orderShipped, name: 'Bad Name' },
    ];
    for (const json of bodies) {
      const res = await call<GraphErrorBody>(
        sandbox.baseUrl,
        'POST',
        `${V}/${WABA}/message_templates`,
        { json },
      );
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe(100);
    }
  });

  it('sends a template with the right parameters and checks their count', async () => {
    await userSays(sandbox.baseUrl, '12025550147', 'hi');
    const template = (params: string[]) => ({
      messaging_product: 'whatsapp',
      to: '12025550147',
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#4821' }] },
          { type: 'body', parameters: params.map((text) => ({ type: 'text', text })) },
        ],
      },
    });
    const ok = await call(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: template(['Maya', '#4821']),
    });
    expect(ok.status).toBe(200);
    const short = await call<GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json: template(['Maya']),
    });
    expect(short.json.error.code).toBe(132000);
  });

  it('lists templates with filters, fields and cursor paging', async () => {
    const all = await call<{
      data: Array<Record<string, unknown>>;
      paging: Record<string, unknown>;
    }>(sandbox.baseUrl, 'GET', `${V}/${WABA}/message_templates?fields=name,status&limit=2`);
    expect(all.json.data).toHaveLength(2);
    expect(Object.keys(all.json.data[0] ?? {}).sort()).toEqual(['id', 'name', 'status']);
    expect(all.json.paging.next).toEqual(expect.stringContaining('after='));
    const after = (all.json.paging.cursors as { after: string }).after;
    const next = await call<{ data: unknown[]; paging: Record<string, unknown> }>(
      sandbox.baseUrl,
      'GET',
      `${V}/${WABA}/message_templates?fields=name,status&limit=2&after=${after}`,
    );
    expect(next.json.data).toHaveLength(1);
    expect(next.json.paging.next).toBeUndefined();
    const approved = await call<{ data: Array<{ name: string }> }>(
      sandbox.baseUrl,
      'GET',
      `${V}/${WABA}/message_templates?status=APPROVED`,
    );
    expect(approved.json.data.map((t) => t.name).sort()).toEqual(['hello_world', 'order_shipped']);
  });

  it('edits a template, which goes back to review and is approved again', async () => {
    const id = sandbox.store.findTemplate('order_shipped', 'en_US')?.id as string;
    const before = templateEvents().length;
    const edited = await call(sandbox.baseUrl, 'POST', `${V}/${id}`, {
      json: { components: [{ type: 'BODY', text: 'Your order {{1}} shipped.' }] },
    });
    expect(edited.json).toEqual({ success: true });
    await receiver.waitFor(() => templateEvents().length === before + 1);
    expect(templateEvents()[before]?.value).toMatchObject({
      event: 'APPROVED',
      message_template_id: Number(id),
    });
  });

  it('deletes templates by name and answers code 100 for an unknown name', async () => {
    const ok = await call(
      sandbox.baseUrl,
      'DELETE',
      `${V}/${WABA}/message_templates?name=order_shipped`,
    );
    expect(ok.json).toEqual({ success: true });
    expect(sandbox.store.findTemplate('order_shipped', 'en_US')).toBeUndefined();
    const again = await call<GraphErrorBody>(
      sandbox.baseUrl,
      'DELETE',
      `${V}/${WABA}/message_templates?name=order_shipped`,
    );
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe(100);
  });

  it('lists and gets the phone number', async () => {
    const list = await call<{ data: Array<Record<string, unknown>> }>(
      sandbox.baseUrl,
      'GET',
      `${V}/${WABA}/phone_numbers`,
    );
    expect(list.json.data).toEqual([
      expect.objectContaining({
        id: PNID,
        display_phone_number: '+1 555-777-1234',
        verified_name: 'Sandbox Business',
        quality_rating: 'GREEN',
      }),
    ]);
    const one = await call(sandbox.baseUrl, 'GET', `${V}/${PNID}?fields=throughput`);
    expect(one.json).toEqual({ throughput: { level: 'STANDARD' }, id: PNID });
  });
});
