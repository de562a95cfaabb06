import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { WhatsAppValidationError, type WhatsAppService } from '../../lib/index.js';
import { FakeGraphApi } from '../../lib/testing/index.js';
import { createClient, PHONE_ID, TOKEN, WABA_ID } from '../client/client-test-helper.js';

const FLOW_JSON = {
  version: '7.2',
  data_api_version: '3.0',
  routing_model: { APPOINTMENT: ['CONFIRM'], CONFIRM: [] },
  screens: [{ id: 'APPOINTMENT', layout: { type: 'SingleColumnLayout', children: [] } }],
};

// Meta's answer to an asset upload with an error (shape from the Flows API reference).
const VALIDATION_ERRORS = [
  {
    error: 'INVALID_PROPERTY_VALUE',
    error_type: 'FLOW_JSON_ERROR',
    message: 'Invalid value found for property type.',
    line_start: 10,
    line_end: 10,
    column_start: 21,
    column_end: 34,
    pointers: [
      {
        line_start: 10,
        line_end: 10,
        column_start: 21,
        column_end: 34,
        path: 'screens[0].layout.children[0].type',
      },
    ],
  },
];

describe('whatsapp.flows against the loopback Graph API', () => {
  let fake: FakeGraphApi;
  let wa: WhatsAppService;
  beforeAll(async () => {
    fake = await FakeGraphApi.start({ accessToken: TOKEN });
    wa = createClient(fake);
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await wa.close();
    await fake.close();
  });

  it('create: POST /{waba}/flows with name, categories, flow_json (text), endpoint_uri, publish', async () => {
    fake.answerNext({ status: 200, json: { id: '9001', success: true, validation_errors: [] } });
    const created = await wa.flows.create({
      name: 'Book an appointment',
      categories: ['APPOINTMENT_BOOKING', 'SOME_FUTURE_CATEGORY'],
      flow_json: FLOW_JSON,
      endpoint_uri: 'https://example.com/whatsapp/flows',
      publish: false,
    });
    expect(created.id).toBe('9001');
    const [req] = fake.requestsTo('POST', `/${WABA_ID}/flows`);
    expect(req.json).toEqual({
      name: 'Book an appointment',
      categories: ['APPOINTMENT_BOOKING', 'SOME_FUTURE_CATEGORY'],
      flow_json: JSON.stringify(FLOW_JSON),
      publish: false,
      endpoint_uri: 'https://example.com/whatsapp/flows',
    });
  });

  it('uploadJson: multipart file=flow.json (application/json), name, asset_type=FLOW_JSON; typed validation errors', async () => {
    fake.answerNext({ status: 200, json: { success: true, validation_errors: VALIDATION_ERRORS } });
    const answer = await wa.flows.uploadJson('9001', FLOW_JSON);
    expect(answer.validation_errors?.[0]).toMatchObject({
      line_start: 10,
      column_start: 21,
      error_type: 'FLOW_JSON_ERROR',
    });
    const [req] = fake.requestsTo('POST', '/9001/assets');
    expect(req.fields).toEqual({ name: 'flow.json', asset_type: 'FLOW_JSON' });
    expect(req.files).toHaveLength(1);
    expect(req.files?.[0]).toMatchObject({
      field: 'file',
      filename: 'flow.json',
      contentType: 'application/json',
    });
    expect(JSON.parse(req.files?.[0].data.toString('utf8') ?? '')).toEqual(FLOW_JSON);
  });

  it('get asks for the useful fields; list pages with the after cursor', async () => {
    fake.answerNext({
      status: 200,
      json: { id: '9001', status: 'DRAFT', preview: { preview_url: 'https://x', expires_at: 'y' } },
    });
    const flow = await wa.flows.get('9001');
    expect(flow.status).toBe('DRAFT');
    expect(fake.requests[0].query.fields).toBe(
      'id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri,preview,whatsapp_business_account,application,health_status',
    );
    fake.answerNext({
      status: 200,
      json: {
        data: [{ id: '1' }],
        paging: { cursors: { after: 'A' }, next: 'https://graph/next' },
      },
    });
    fake.answerNext({
      status: 200,
      json: { data: [{ id: '2' }], paging: { cursors: { after: 'B' } } },
    });
    const ids: string[] = [];
    for await (const f of wa.flows.listAll()) ids.push(f.id);
    expect(ids).toEqual(['1', '2']);
    expect(fake.requests[2].query).toMatchObject({
      after: 'A',
      fields: 'id,name,status,categories,validation_errors',
    });
  });

  it("update, publish, deprecate, delete, listAssets, metrics hit Meta's paths", async () => {
    for (let i = 0; i < 6; i++) fake.answerNext({ status: 200, json: { success: true, data: [] } });
    await wa.flows.update('9001', { name: 'Booking v2', endpoint_uri: 'https://example.com/f' });
    await wa.flows.publish('9001');
    await wa.flows.deprecate('9001');
    await wa.flows.delete('9001');
    await wa.flows.listAssets('9001');
    await wa.flows.metrics('9001', {
      name: 'ENDPOINT_REQUEST_COUNT',
      granularity: 'DAY',
      since: '2026-11-01',
      until: '2026-11-30',
    });
    expect(fake.requests.map((r) => `${r.method} ${r.graphPath}`)).toEqual([
      'POST /9001',
      'POST /9001/publish',
      'POST /9001/deprecate',
      'DELETE /9001',
      'GET /9001/assets',
      'GET /9001',
    ]);
    expect(fake.requests[0].json).toEqual({
      name: 'Booking v2',
      endpoint_uri: 'https://example.com/f',
    });
    expect(fake.requests[5].query.fields).toBe(
      'metric.name(ENDPOINT_REQUEST_COUNT).granularity(DAY).since(2026-11-01).until(2026-11-30)',
    );
  });

  it('sets and reads the business public key of the number', async () => {
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fake.answerNext({ status: 200, json: { success: true } });
    await wa.flows.setEncryptionPublicKey(publicKey);
    const [req] = fake.requestsTo('POST', `/${PHONE_ID}/whatsapp_business_encryption`);
    expect(req.json).toEqual({ business_public_key: publicKey });
    fake.answerNext({
      status: 200,
      json: {
        data: [{ business_public_key: publicKey, business_public_key_signature_status: 'VALID' }],
      },
    });
    await expect(wa.flows.getEncryptionPublicKey()).resolves.toEqual({
      business_public_key: publicKey,
      business_public_key_signature_status: 'VALID',
    });
  });

  it('refuses bad input before any request, naming the field', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => wa.flows.get('../me'), 'flowId'],
      [() => wa.flows.create({ name: '', categories: ['OTHER'] }), 'name'],
      [() => wa.flows.create({ name: 'x', categories: [] }), 'categories'],
      [
        () => wa.flows.create({ name: 'x', categories: ['OTHER'], endpoint_uri: 'http://plain' }),
        'endpoint_uri',
      ],
      [() => wa.flows.uploadJson('1', 42 as never), 'flowJson'],
      [() => wa.flows.metrics('1', { name: 'X)', granularity: 'DAY' }), 'name'],
      [() => wa.flows.setEncryptionPublicKey('-----BEGIN PRIVATE KEY-----'), 'publicKey'],
    ];
    for (const [call, field] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WhatsAppValidationError);
      expect((error as WhatsAppValidationError).field).toBe(field);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('whatsapp.forAccount(...).flows', () => {
  it("uses the tenant's token and WABA", async () => {
    const fake = await FakeGraphApi.start();
    const wa = createClient(fake);
    try {
      fake.answerNext({ status: 200, json: { data: [] } });
      await wa.forAccount({ accessToken: 'tenant-token', businessAccountId: '777' }).flows.list();
      expect(fake.requests[0]).toMatchObject({ method: 'GET', graphPath: '/777/flows' });
      expect(fake.requests[0].headers.authorization).toBe('Bearer tenant-token');
    } finally {
      await wa.close();
      await fake.close();
    }
  });
});
