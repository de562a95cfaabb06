import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { WhatsAppApiError, WhatsAppService } from '../../lib/index.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';

// whatsapp.flows against the sandbox's Graph API: the flow, its Flow JSON asset, validation errors
// with a position, publishing rules, and the business public key.
describe('sandbox Graph API: flows and the business encryption key', () => {
  let sandbox: WhatsAppSandbox;
  let wa: WhatsAppService;
  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({ appSecret: 's', accessToken: 'tok' });
    wa = new WhatsAppService(
      resolveWhatsAppOptions(
        {
          accessToken: 'tok',
          baseUrl: sandbox.baseUrl,
          phoneNumberId: sandbox.phoneNumberId,
          businessAccountId: sandbox.businessAccountId,
          retry: false,
        },
        false,
      ),
    );
  });
  afterAll(async () => {
    await wa.close();
    await sandbox.close();
  });

  it('creates a draft, reports Flow JSON errors with line and column, publishes once valid', async () => {
    const { id } = await wa.flows.create({ name: 'signup', categories: ['SIGN_UP'] });
    await expect(wa.flows.publish(id)).rejects.toBeInstanceOf(WhatsAppApiError);
    const bad = await wa.flows.uploadJson(id, '{\n  "version": "7.2",\n  "screens": [,]\n}');
    expect(bad.validation_errors?.[0]).toMatchObject({
      error_type: 'FLOW_JSON_ERROR',
      line_start: 3,
    });
    const good = await wa.flows.uploadJson(id, { version: '7.2', screens: [] });
    expect(good).toEqual({ success: true, validation_errors: [] });
    await wa.flows.publish(id);
    await expect(wa.flows.get(id)).resolves.toMatchObject({
      id,
      name: 'signup',
      status: 'PUBLISHED',
    });
    const assets = await wa.flows.listAssets(id);
    expect(assets.data[0]).toMatchObject({ name: 'flow.json', asset_type: 'FLOW_JSON' });
    const names: string[] = [];
    for await (const flow of wa.flows.listAll()) names.push(String(flow.name));
    expect(names).toContain('signup');
    await expect(wa.flows.create({ name: 'signup', categories: ['OTHER'] })).rejects.toMatchObject({
      code: 100,
    });
    await expect(wa.flows.delete(id)).rejects.toBeInstanceOf(WhatsAppApiError);
    await wa.flows.deprecate(id);
    await expect(wa.flows.get(id, { fields: 'status' })).resolves.toEqual({
      id,
      status: 'DEPRECATED',
    });
  });

  it('stores the business public key of the number', async () => {
    await expect(wa.flows.getEncryptionPublicKey()).resolves.toBeUndefined();
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await wa.flows.setEncryptionPublicKey(publicKey);
    await expect(wa.flows.getEncryptionPublicKey()).resolves.toEqual({
      business_public_key: publicKey,
      business_public_key_signature_status: 'VALID',
    });
  });
});
