import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FormData } from 'undici';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import { call, type GraphErrorBody } from './sandbox-http.js';

// Attack on the sandbox's tenant isolation: every Graph route, with business A's token on business
// B's objects (number, WABA, media, templates, groups, flows, QR codes, blocked users, subscriptions,
// analytics, the portfolio's WABA list). Each must answer Meta's 100/33 (or 190), never B's data.

const A = { token: 'token-of-a', phone: '109283746501928', waba: '184736291047562' };
const B = { token: 'token-of-b', phone: '200000000000002', waba: '300000000000003' };
const MAYA = '12025550147';
const V = '/v23.0';

describe('sandbox tenant isolation: A’s token on B’s objects', () => {
  let sandbox: WhatsAppSandbox;
  const b: Record<string, string> = {};

  const asB = (method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown) =>
    call<Record<string, unknown>>(sandbox.baseUrl, method, `${V}${path}`, { token: B.token, json });

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: 'isolation-secret',
      accessToken: A.token,
      // Nobody listens: webhooks are not what this test is about.
      webhookUrl: 'http://127.0.0.1:9/whatsapp/webhook',
      webhookRetry: false,
      businesses: [{ phoneNumberId: B.phone, businessAccountId: B.waba, accessToken: B.token }],
      users: [{ wa_id: MAYA, name: 'Maya Ortiz' }],
      readAfterMs: false,
      templateReviewMs: 0,
    });
    // B's objects, made with B's token.
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append(
      'file',
      new Blob([Buffer.from('%PDF-1.4 b only')], { type: 'application/pdf' }),
      'b.pdf',
    );
    const upload = await call<{ id: string }>(sandbox.baseUrl, 'POST', `${V}/${B.phone}/media`, {
      token: B.token,
      body: form,
    });
    expect(upload.status).toBe(200);
    b.media = upload.json.id;
    // A file a user sent to B: its media id arrives in B's webhook only.
    sandbox.userSendsFile(
      MAYA,
      { bytes: Buffer.from('%PDF-1.4 to b'), mimeType: 'application/pdf', filename: 'x.pdf' },
      B.phone,
    );
    b.userMedia = [...sandbox.store.media.keys()].at(-1) as string;
    expect(b.userMedia).not.toBe(b.media);
    const template = await asB('POST', `/${B.waba}/message_templates`, {
      name: 'b_secret_template',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'B only' }],
    });
    expect(template.status).toBe(200);
    b.template = String(template.json.id);
    const flow = await asB('POST', `/${B.waba}/flows`, {
      name: 'b_secret_flow',
      categories: ['OTHER'],
    });
    expect(flow.status).toBe(200);
    b.flow = String(flow.json.id);
    const qr = await asB('POST', `/${B.phone}/message_qrdls`, { prefilled_message: 'B only' });
    expect(qr.status).toBe(200);
    b.qr = String(qr.json.code);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  /** A's token on `path`: Meta's 100/33 (or 190), and nothing of B's in the answer. */
  async function refusedToA(method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown) {
    const res = await call<GraphErrorBody>(sandbox.baseUrl, method, `${V}${path}`, {
      token: A.token,
      json,
    });
    const text = res.bytes.toString('utf8');
    expect({ path, status: res.status, code: res.json.error?.code }).toEqual(
      expect.objectContaining({ path, status: expect.any(Number) }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect([100, 190]).toContain(res.json.error?.code);
    if (res.json.error?.code === 100) expect(res.json.error.error_subcode).toBe(33);
    expect(text).not.toContain('b_secret');
    expect(text).not.toContain('B only');
  }

  it('B’s number, WABA and their management edges', async () => {
    for (const [method, path] of [
      ['GET', `/${B.phone}`],
      ['GET', `/${B.waba}`],
      ['GET', `/${B.waba}/phone_numbers`],
      ['GET', `/${B.waba}/message_templates`],
      ['GET', `/${B.waba}/flows`],
      ['GET', `/${B.waba}/subscribed_apps`],
      ['POST', `/${B.waba}/subscribed_apps`],
      ['DELETE', `/${B.waba}/subscribed_apps`],
      ['GET', `/${B.phone}/whatsapp_business_profile`],
      ['GET', `/${B.phone}/message_qrdls`],
      ['GET', `/${B.phone}/message_qrdls/${b.qr}`],
      ['DELETE', `/${B.phone}/message_qrdls/${b.qr}`],
      ['GET', `/${B.phone}/block_users`],
      ['GET', `/${B.phone}/groups`],
      ['GET', `/${B.phone}/settings`],
      ['GET', `/${B.phone}/call_permissions?user_wa_id=${MAYA}`],
      ['GET', `/${B.phone}/whatsapp_business_encryption`],
      ['GET', `/${B.phone}/whatsapp_commerce_settings`],
      ['GET', `/${B.phone}/conversational_automation`],
    ] as const) {
      await refusedToA(method, path);
    }
  });

  it('B’s media by id (uploaded by B, or sent by a user to B)', async () => {
    for (const id of [b.media, b.userMedia]) {
      await refusedToA('GET', `/${id}`);
      await refusedToA('DELETE', `/${id}`);
    }
    // Still B's: B reads and A's attempts deleted nothing.
    expect((await asB('GET', `/${b.media}`)).status).toBe(200);
    expect((await asB('GET', `/${b.userMedia}`)).status).toBe(200);
  });

  it('B’s template by id, and through A’s own WABA', async () => {
    await refusedToA('GET', `/${b.template}`);
    await refusedToA('POST', `/${b.template}`, { category: 'MARKETING' });
    // A's WABA does not list, delete or analyse B's template.
    const list = await call(sandbox.baseUrl, 'GET', `${V}/${A.waba}/message_templates`, {
      token: A.token,
    });
    expect(list.bytes.toString()).not.toContain('b_secret');
    const deleted = await call(
      sandbox.baseUrl,
      'DELETE',
      `${V}/${A.waba}/message_templates?name=b_secret_template&hsm_id=${b.template}`,
      { token: A.token },
    );
    expect(deleted.status).toBe(400);
    expect((await asB('GET', `/${b.template}`)).status).toBe(200);
  });

  it('B’s flow by id', async () => {
    for (const [method, path] of [
      ['GET', `/${b.flow}`],
      ['GET', `/${b.flow}/assets`],
      ['POST', `/${b.flow}`],
      ['POST', `/${b.flow}/publish`],
      ['POST', `/${b.flow}/deprecate`],
      ['DELETE', `/${b.flow}`],
    ] as const) {
      await refusedToA(method, path, method === 'POST' ? {} : undefined);
    }
    const list = await call(sandbox.baseUrl, 'GET', `${V}/${A.waba}/flows`, { token: A.token });
    expect(list.status).toBe(200);
    expect(list.bytes.toString()).not.toContain('b_secret_flow');
    expect((await asB('GET', `/${b.flow}`)).status).toBe(200);
  });

  it('the portfolio lists only the WABAs A’s token reaches', async () => {
    const res = await call<{ data: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'GET',
      `${V}/${sandbox.businessId}/owned_whatsapp_business_accounts`,
      { token: A.token },
    );
    expect(res.status).toBe(200);
    expect(res.json.data.map((w) => w.id)).toEqual([A.waba]);
  });
});
