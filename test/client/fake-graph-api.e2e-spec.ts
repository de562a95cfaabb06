import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';

let fake: FakeGraphApi;
beforeAll(async () => {
  fake = await FakeGraphApi.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const auth = { authorization: 'Bearer any' };
async function call(
  method: 'GET' | 'POST',
  path: string,
  json?: unknown,
  headers: Record<string, string> = auth,
) {
  const res = await request(fake.baseUrl + path, {
    method,
    headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe('FakeGraphApi (the testing kit itself)', () => {
  it('requires a bearer token, and a specific one when configured', async () => {
    const missing = await call('GET', `/v26.0/${FAKE_IDS.phoneNumberId}`, undefined, {});
    expect(missing).toMatchObject({ status: 401, json: { error: { code: 190 } } });
    const strict = await FakeGraphApi.start({ accessToken: 'right' });
    const res = await request(`${strict.baseUrl}/v26.0/${FAKE_IDS.phoneNumberId}`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    await strict.close();
  });

  it('answers sends like Meta and records them; expectSent explains a miss', async () => {
    const sent = await call('POST', `/v26.0/${FAKE_IDS.phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      to: '+1 555 0100',
      type: 'text',
      text: { body: 'hi' },
    });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ contacts: [{ input: '+1 555 0100', wa_id: '15550100' }] });
    expect(fake.expectSent({ type: 'text', text: { body: 'hi' } }).to).toBe('+1 555 0100');
    expect(() => fake.expectSent({ type: 'image' })).toThrow(
      /no sent message matches.*\n.*text to \+1 555 0100/s,
    );
    const bad = await call('POST', `/v26.0/${FAKE_IDS.phoneNumberId}/messages`, { to: '1' });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 100 } } });
  });

  it('scripted answers only apply to matching requests, in order, `times` times', async () => {
    fake.failNext({ status: 500, error: { code: 131000 } }, 2, {
      method: 'POST',
      path: /\/messages$/,
    });
    const page = await call('GET', `/v26.0/${FAKE_IDS.businessAccountId}/phone_numbers`);
    expect(page.status).toBe(200);
    const body = { messaging_product: 'whatsapp', to: '1555', type: 'text', text: { body: 'x' } };
    const path = `/v26.0/${FAKE_IDS.phoneNumberId}/messages`;
    expect((await call('POST', path, body)).status).toBe(500);
    expect((await call('POST', path, body)).status).toBe(500);
    expect((await call('POST', path, body)).status).toBe(200);
    await fake.waitForRequests(4);
    expect(fake.requestsTo('POST', `/${FAKE_IDS.phoneNumberId}/messages`)).toHaveLength(3);
  });

  it('pages with after and before cursors', async () => {
    const first = await call(
      'GET',
      `/v26.0/${FAKE_IDS.businessAccountId}/message_templates?limit=2`,
    );
    const paging = first.json.paging as { cursors: { after: string }; next: string };
    expect(paging.next).toContain(fake.baseUrl);
    const second = await call(
      'GET',
      `/v26.0/${FAKE_IDS.businessAccountId}/message_templates?limit=2&after=${paging.cursors.after}`,
    );
    const back = (second.json.paging as { cursors: { before: string } }).cursors.before;
    const again = await call(
      'GET',
      `/v26.0/${FAKE_IDS.businessAccountId}/message_templates?limit=2&before=${back}`,
    );
    expect(again.json.data).toEqual(first.json.data);
    const last = await call(
      'GET',
      `/v26.0/${FAKE_IDS.businessAccountId}/message_templates?limit=10`,
    );
    expect(last.json.paging).not.toHaveProperty('next');
  });

  it('reset() forgets requests and scripts and re-seeds the store', async () => {
    fake.failNext({ error: { code: 100 } });
    fake.store.templates = [];
    fake.reset();
    const res = await call('GET', `/v26.0/${FAKE_IDS.businessAccountId}/message_templates`);
    expect(res.status).toBe(200);
    expect((res.json.data as unknown[]).length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
  });
});
