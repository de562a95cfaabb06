import { describe, it, expect, afterEach } from '@jest/globals';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import type { WhatsAppSandboxOptions } from '../../lib/sandbox/sandbox-options.js';
import { call, userSays } from './sandbox-http.js';
import { WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'delivery-secret';
const PNID = '109283746501928';
const MAYA = '12025550147';

describe('WhatsAppSandbox: webhook delivery', () => {
  let sandbox: WhatsAppSandbox | undefined;
  let receiver: WebhookReceiver | undefined;

  async function start(options: Partial<WhatsAppSandboxOptions> = {}) {
    receiver = await WebhookReceiver.start(SECRET);
    sandbox = await WhatsAppSandbox.start({
      appSecret: SECRET,
      webhookUrl: receiver.url,
      phoneNumberId: PNID,
      users: [{ wa_id: MAYA, name: 'Zoë Ortiz' }],
      readAfterMs: false,
      ...options,
    });
    return { sandbox, receiver };
  }

  afterEach(async () => {
    await sandbox?.close();
    await receiver?.close();
    sandbox = undefined;
    receiver = undefined;
  });

  const botSays = (s: WhatsAppSandbox, body: string) =>
    call<{ messages: Array<{ id: string }> }>(s.baseUrl, 'POST', `/v26.0/${PNID}/messages`, {
      json: { messaging_product: 'whatsapp', to: MAYA, type: 'text', text: { body } },
    });

  it("signs Meta's exact bytes: non-ASCII as lowercase \\uXXXX and / as \\/", async () => {
    const { sandbox, receiver } = await start();
    const { id } = await userSays(sandbox.baseUrl, MAYA, 'Café 👋 — a/b');
    await receiver.waitFor(() => receiver.messages().length === 1);
    const [post] = receiver.received;
    expect(post?.signatureValid).toBe(true);
    expect(post?.raw).toContain('"name":"Zo\\u00eb Ortiz"');
    expect(post?.raw).toContain('"body":"Caf\\u00e9 \\ud83d\\udc4b \\u2014 a\\/b"');
    expect(post?.raw).toMatch(/^[\x20-\x7e]+$/);
    // Re-serialising changes the bytes, so a receiver that re-serialises would fail the signature.
    expect(JSON.stringify(post?.json)).not.toBe(post?.raw);
    expect(post?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '184736291047562',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15557771234', phone_number_id: PNID },
                contacts: [
                  {
                    profile: { name: 'Zoë Ortiz' },
                    wa_id: MAYA,
                    user_id: expect.stringMatching(/^US\.\d+$/),
                  },
                ],
                messages: [
                  {
                    from: MAYA,
                    from_user_id: expect.stringMatching(/^US\./),
                    id,
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    type: 'text',
                    text: { body: 'Café 👋 — a/b' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('batches updates that pile up while the app is busy into one POST', async () => {
    const { sandbox, receiver } = await start();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    receiver.hold = (n) => (n === 0 ? released : undefined);
    await userSays(sandbox.baseUrl, MAYA, 'first');
    // The first POST is in flight (held by the app); these three wait and travel together.
    await receiver.waitFor(() => receiver.received.length === 1);
    await userSays(sandbox.baseUrl, MAYA, 'second');
    await userSays(sandbox.baseUrl, MAYA, 'third');
    await userSays(sandbox.baseUrl, MAYA, 'fourth');
    release();
    await receiver.waitFor(() => receiver.messages().length === 4);
    expect(receiver.received).toHaveLength(2);
    // One entry for the account, one change per message, each with its sender in `contacts`.
    const second = receiver.received[1]?.json.entry ?? [];
    expect(second).toHaveLength(1);
    const values = second[0]?.changes.map((c) => c.value) ?? [];
    expect(
      values.flatMap((v) => v.messages ?? []).map((m) => (m.text as { body: string }).body),
    ).toEqual(['second', 'third', 'fourth']);
    expect(values.every((v) => v.contacts?.length === 1)).toBe(true);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('sends sent → delivered → read for every outgoing message, read when the user opens the chat', async () => {
    const { sandbox, receiver } = await start({ deliveredAfterMs: 0 });
    await userSays(sandbox.baseUrl, MAYA, 'hi');
    const one = await botSays(sandbox, 'one');
    const two = await botSays(sandbox, 'two');
    const ids = [one.json.messages[0]?.id, two.json.messages[0]?.id];
    const progression = (id: string | undefined) =>
      receiver
        .statuses()
        .filter((s) => s.id === id)
        .map((s) => s.status);
    await receiver.waitFor(() => ids.every((id) => progression(id).length === 2));
    expect(ids.map(progression)).toEqual([
      ['sent', 'delivered'],
      ['sent', 'delivered'],
    ]);
    // A non-browser client says it is one by its content type (see docs/sandbox.md, "Who may call it").
    const opened = await call(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/read`, {
      json: {},
    });
    expect(opened.status).toBe(200);
    await receiver.waitFor(() => ids.every((id) => progression(id).length === 3));
    expect(ids.map(progression)).toEqual([
      ['sent', 'delivered', 'read'],
      ['sent', 'delivered', 'read'],
    ]);
    const sent = receiver.statuses().find((s) => s.id === ids[0] && s.status === 'sent');
    expect(sent).toMatchObject({
      recipient_id: MAYA,
      timestamp: expect.stringMatching(/^\d+$/),
      pricing: {
        billable: false,
        pricing_model: 'PMP',
        type: 'free_customer_service',
        category: 'service',
      },
    });
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('reads without the page after readAfterMs and echoes biz_opaque_callback_data', async () => {
    const { sandbox, receiver } = await start({ deliveredAfterMs: 0, readAfterMs: 0 });
    await userSays(sandbox.baseUrl, MAYA, 'hi');
    const res = await call<{ messages: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'POST',
      `/v26.0/${PNID}/messages`,
      {
        json: {
          messaging_product: 'whatsapp',
          to: MAYA,
          type: 'text',
          text: { body: 'tracked' },
          biz_opaque_callback_data: 'campaign-7',
        },
      },
    );
    const id = res.json.messages[0]?.id;
    await receiver.waitFor(() => receiver.statuses().filter((s) => s.id === id).length === 3);
    const statuses = receiver.statuses().filter((s) => s.id === id);
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(statuses.every((s) => s.biz_opaque_callback_data === 'campaign-7')).toBe(true);
  });

  it('retries a POST the app answered 500, with the same bytes and signature, then marks the message delivered', async () => {
    const { sandbox, receiver } = await start({ webhookRetry: { maxRetries: 3, baseDelayMs: 5 } });
    receiver.answer = (n) => (n === 0 ? 500 : 200);
    const { id } = await userSays(sandbox.baseUrl, MAYA, 'retry me');
    await receiver.waitFor(() => receiver.received.length === 2);
    await sandbox.webhooksIdle();
    const [first, second] = receiver.received;
    expect(second?.raw).toBe(first?.raw);
    expect(second?.signature).toBe(first?.signature);
    expect(second?.signatureValid).toBe(true);
    expect(sandbox.store.messages.get(id)?.status).toBe('delivered');
    const webhookTraffic = sandbox.store.traffic.filter((t) => t.direction === 'webhook');
    expect(webhookTraffic.map((t) => t.status)).toEqual([500, 200]);
    expect(JSON.stringify(sandbox.store.traffic)).not.toContain(SECRET);
  });

  it('gives up after maxRetries and leaves the message undelivered', async () => {
    const lines: string[] = [];
    const { sandbox, receiver } = await start({
      webhookRetry: { maxRetries: 2, baseDelayMs: 1 },
      logger: (line) => lines.push(line),
    });
    receiver.answer = () => 503;
    const { id } = await userSays(sandbox.baseUrl, MAYA, 'never acknowledged');
    await receiver.waitFor(() => receiver.received.length === 3);
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(sandbox.store.messages.get(id)?.status).toBe('sent');
    expect(lines).toEqual([
      expect.stringContaining('answered 503; retry 1/2'),
      expect.stringContaining('answered 503; retry 2/2'),
      expect.stringContaining('dropped after 3 attempt(s)'),
    ]);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('stops retrying on close()', async () => {
    const { sandbox, receiver } = await start({
      webhookRetry: { maxRetries: 5, baseDelayMs: 60_000 },
    });
    receiver.answer = () => 500;
    await userSays(sandbox.baseUrl, MAYA, 'x');
    await receiver.waitFor(() => receiver.received.length === 1);
    const idle = sandbox.webhooksIdle();
    await sandbox.close();
    await idle;
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
  });

  it('reports a free-form send outside the window as a failed status with 131047 in failed-status mode', async () => {
    const { sandbox, receiver } = await start({ windowViolation: 'failed-status' });
    const res = await botSays(sandbox, 'out of window');
    expect(res.status).toBe(200);
    const id = res.json.messages[0]?.id;
    await receiver.waitFor(() => receiver.statuses().some((s) => s.id === id));
    expect(receiver.statuses().find((s) => s.id === id)).toMatchObject({
      status: 'failed',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          error_data: { details: expect.any(String) },
        },
      ],
    });
  });
});
