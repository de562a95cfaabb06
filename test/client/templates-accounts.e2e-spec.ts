import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError, type WhatsAppService } from '../../lib/index.js';
import { FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
import { API, PHONE_ID, TOKEN, WABA_ID, createClient, rejection } from './client-test-helper.js';

let fake: FakeGraphApi;
let wa: WhatsAppService;
let bare: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  wa = createClient(fake);
  bare = createClient(fake, { phoneNumberId: undefined, businessAccountId: undefined });
});
afterAll(async () => {
  await wa.close();
  await bare.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('templates', () => {
  it('list: one page with cursors, query parameters on the wire', async () => {
    const page = await wa.templates.list({
      limit: 2,
      status: 'APPROVED',
      fields: ['name', 'status'],
    });
    expect(page.data.map((t) => t.name)).toEqual(['hello_world', 'order_update']);
    expect(page.paging?.cursors?.after).toBeDefined();
    expect(page.paging?.next).toContain('after=');
    const [req] = fake.requests;
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`${API}/${WABA_ID}/message_templates`);
    expect(req.query).toEqual({ fields: 'name,status', limit: '2', status: 'APPROVED' });
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const next = await wa.templates.list({ limit: 2, after: page.paging?.cursors?.after });
    expect(next.data.map((t) => t.name)).toEqual(['appointment_reminder', 'welcome_back']);
  });

  it('listAll iterates every page, following the after cursor', async () => {
    const names: string[] = [];
    for await (const template of wa.templates.listAll({ limit: 2 })) names.push(template.name);
    expect(names).toEqual([
      'hello_world',
      'order_update',
      'appointment_reminder',
      'welcome_back',
      'otp_code',
    ]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.map((r) => r.query.after === undefined)).toEqual([true, false, false]);
  });

  it('get, create, update and delete (by name, and by hsmId)', async () => {
    const hello = fake.store.templates[0];
    expect(await wa.templates.get(hello.id)).toMatchObject({ id: hello.id, name: 'hello_world' });
    const created = await wa.templates.create({
      name: 'shipping_notice',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Your order {{1}} shipped', example: { body_text: [['42']] } },
      ],
    });
    expect(created).toEqual({ id: expect.any(String), status: 'PENDING', category: 'UTILITY' });
    expect(
      await wa.templates.update(created.id, {
        components: [{ type: 'BODY', text: 'Order {{1}} is on its way' }],
      }),
    ).toEqual({
      success: true,
    });
    expect(await wa.templates.delete({ name: 'shipping_notice', hsmId: created.id })).toEqual({
      success: true,
    });
    expect(await wa.templates.delete({ name: 'order_update' })).toEqual({ success: true });
    expect(fake.requests.map((r) => [r.method, r.path, r.query, r.json])).toEqual([
      ['GET', `${API}/${hello.id}`, {}, undefined],
      [
        'POST',
        `${API}/${WABA_ID}/message_templates`,
        {},
        {
          name: 'shipping_notice',
          language: 'en_US',
          category: 'UTILITY',
          components: [
            { type: 'BODY', text: 'Your order {{1}} shipped', example: { body_text: [['42']] } },
          ],
        },
      ],
      [
        'POST',
        `${API}/${created.id}`,
        {},
        { components: [{ type: 'BODY', text: 'Order {{1}} is on its way' }] },
      ],
      [
        'DELETE',
        `${API}/${WABA_ID}/message_templates`,
        { hsm_id: created.id, name: 'shipping_notice' },
        undefined,
      ],
      ['DELETE', `${API}/${WABA_ID}/message_templates`, { name: 'order_update' }, undefined],
    ]);
  });

  it('validates before any request', async () => {
    expect(await rejection(wa.templates.get('1/../2'))).toMatchObject({ field: 'templateId' });
    expect(await rejection(wa.templates.update('1', {}))).toMatchObject({ field: 'def' });
    expect(await rejection(wa.templates.delete({ name: 'x', hsmId: '1&name=y' }))).toMatchObject({
      field: 'hsmId',
    });
    expect(await rejection(wa.templates.delete({ name: '' }))).toMatchObject({ field: 'name' });
    expect(
      await rejection(
        wa.templates.create({
          name: 'Bad Name',
          language: 'en',
          category: 'UTILITY',
          components: [{ type: 'BODY' }],
        }),
      ),
    ).toMatchObject({ field: 'name' });
    expect(
      await rejection(
        wa.templates.create({
          name: 'ok',
          language: 'en',
          category: 'SPAM' as never,
          components: [{ type: 'BODY' }],
        }),
      ),
    ).toMatchObject({ field: 'category' });
    expect(await rejection(wa.templates.list({ limit: 0 }))).toMatchObject({ field: 'limit' });
    expect(fake.requests).toHaveLength(0);
  });

  it('names the missing businessAccountId option', async () => {
    const error = await rejection(bare.templates.list());
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as Error).message).toContain('businessAccountId');
    const ok = await bare.templates.list({ businessAccountId: WABA_ID, limit: 1 });
    expect(ok.data).toHaveLength(1);
  });
});

describe('accounts and business', () => {
  it('listPhoneNumbers and getPhoneNumber', async () => {
    const page = await wa.accounts.listPhoneNumbers({
      fields: 'id,display_phone_number,quality_rating',
      limit: 10,
    });
    expect(page.data).toEqual([expect.objectContaining({ id: PHONE_ID, quality_rating: 'GREEN' })]);
    const phone = await wa.accounts.getPhoneNumber(PHONE_ID, { fields: ['throughput'] });
    expect(phone).toMatchObject({ id: PHONE_ID, throughput: { level: 'STANDARD' } });
    expect(fake.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      [
        'GET',
        `${API}/${WABA_ID}/phone_numbers`,
        { fields: 'id,display_phone_number,quality_rating', limit: '10' },
      ],
      ['GET', `${API}/${PHONE_ID}`, { fields: 'throughput' }],
    ]);
  });

  it('business.listAccounts uses owned_ (default) or client_whatsapp_business_accounts', async () => {
    const owned = await wa.business.listAccounts({
      businessId: FAKE_IDS.businessId,
      fields: 'id,name',
    });
    expect(owned.data).toEqual([expect.objectContaining({ id: WABA_ID, name: 'Fake WABA' })]);
    const client = await wa.business.listAccounts({
      businessId: FAKE_IDS.businessId,
      relation: 'client',
    });
    expect(client.data).toEqual([]);
    expect(fake.requests.map((r) => [r.path, r.query])).toEqual([
      [`${API}/${FAKE_IDS.businessId}/owned_whatsapp_business_accounts`, { fields: 'id,name' }],
      [`${API}/${FAKE_IDS.businessId}/client_whatsapp_business_accounts`, {}],
    ]);
  });

  it('names missing ids', async () => {
    expect(await rejection(wa.business.listAccounts())).toMatchObject({ field: 'businessId' });
    expect(
      await rejection(wa.business.listAccounts({ businessId: '1', relation: 'x' as never })),
    ).toMatchObject({
      field: 'relation',
    });
    expect(await rejection(bare.accounts.listPhoneNumbers())).toMatchObject({
      field: 'businessAccountId',
    });
    expect(await rejection(wa.accounts.getPhoneNumber('1/phone_numbers'))).toMatchObject({
      field: 'phoneNumberId',
    });
    const sendError = await rejection(
      bare.messages.sendText({ to: '15551234567', text: { body: 'x' } }),
    );
    expect(sendError).toMatchObject({ field: 'phoneNumberId' });
    expect((sendError as Error).message).toContain('module option "phoneNumberId"');
    expect(fake.requests).toHaveLength(0);
  });
});
