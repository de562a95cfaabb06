import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import {
  flowCompletion,
  flowScreen,
  OnWhatsAppFlow,
  WhatsAppFlowTokenExpiredError,
  WhatsAppModule,
  type WhatsAppFlowRequest,
} from '../../lib/index.js';
import {
  decryptFlowResponse,
  encryptFlowRequest,
  WhatsAppTestApp,
} from '../../lib/testing/index.js';

@Injectable()
class SignupFlow {
  @OnWhatsAppFlow({ action: 'INIT' })
  start() {
    return flowScreen('DETAILS', { greeting: 'Hi' });
  }

  @OnWhatsAppFlow({ screen: 'DETAILS' })
  finish(request: WhatsAppFlowRequest<{ name: string }>) {
    if (request.flow_token === 'old') throw new WhatsAppFlowTokenExpiredError();
    return flowCompletion(request, { name: request.data?.name });
  }
}

// The app's own key stays out of tests: WhatsAppTestApp replaces it with a throw-away pair.
const productionKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: 'x',
      appSecret: 'y',
      flows: { privateKey: productionKey },
    }),
  ],
  providers: [SignupFlow],
})
class SignupModule {}

describe('testing kit: WhatsAppTestApp.flow(), encryptFlowRequest, decryptFlowResponse', () => {
  let wa: WhatsAppTestApp;
  beforeAll(async () => {
    wa = await WhatsAppTestApp.create({ imports: [SignupModule] });
  });
  afterAll(() => wa.close());

  it('drives a flow in a few lines', async () => {
    await expect(wa.flow({ action: 'INIT', flow_token: 't1' })).resolves.toMatchObject({
      status: 200,
      response: { screen: 'DETAILS', data: { greeting: 'Hi' } },
    });
    const done = await wa.flow({
      action: 'data_exchange',
      screen: 'DETAILS',
      data: { name: 'Ada' },
      flow_token: 't1',
    });
    expect(done.response).toEqual(flowCompletion('t1', { name: 'Ada' }));
    await expect(wa.flow({ action: 'ping' })).resolves.toMatchObject({
      response: { data: { status: 'active' } },
    });
    await expect(
      wa.flow({ action: 'data_exchange', screen: 'DETAILS', flow_token: 'old' }),
    ).resolves.toMatchObject({
      status: 427,
      response: { error_msg: 'This form is no longer available.' },
    });
    await expect(wa.flow({ action: 'ping' }, { appSecret: 'wrong' })).resolves.toMatchObject({
      status: 432,
      response: undefined,
    });
  });

  it('encryptFlowRequest gives the exact body and headers WhatsApp would POST', async () => {
    const key = wa.flowPublicKey;
    if (key === undefined) throw new Error('no flows endpoint');
    const fixture = encryptFlowRequest({ version: '3.0', action: 'INIT', flow_token: 't2' }, key);
    expect(Object.keys(JSON.parse(fixture.body) as object).sort()).toEqual([
      'encrypted_aes_key',
      'encrypted_flow_data',
      'initial_vector',
    ]);
    const res = await request(`${wa.url}/whatsapp/flows`, {
      method: 'POST',
      headers: fixture.headers,
      body: fixture.body,
    });
    expect(res.statusCode).toBe(200);
    expect(decryptFlowResponse(await res.body.text(), fixture.aesKey, fixture.iv)).toEqual({
      screen: 'DETAILS',
      data: { greeting: 'Hi' },
    });
  });
});

// A forRootAsync app whose factory reads its Flows key from the environment, absent in tests.
@Module({
  imports: [
    WhatsAppModule.forRootAsync({
      flowsPath: 'whatsapp/flows',
      useFactory: () => ({
        accessToken: process.env.FLOW_KIT_UNSET_TOKEN ?? 'x',
        appSecret: process.env.FLOW_KIT_UNSET_SECRET ?? 'y',
        flows: { privateKey: process.env.FLOW_KIT_UNSET_PRIVATE_KEY ?? '' },
      }),
    }),
  ],
  providers: [SignupFlow],
})
class EnvSignupModule {}

const publicPem = (key: KeyObject | undefined): string | undefined =>
  key?.export({ type: 'spki', format: 'pem' }).toString();

describe("testing kit: WhatsAppTestApp.flow() in appOptions: 'merge' mode", () => {
  const drive = async (wa: WhatsAppTestApp): Promise<void> => {
    await expect(wa.flow({ action: 'INIT', flow_token: 'm1' })).resolves.toMatchObject({
      status: 200,
      response: { screen: 'DETAILS', data: { greeting: 'Hi' } },
    });
    // Signed with the test app secret: the app's own secret is replaced in merge mode too.
    await expect(wa.flow({ action: 'ping' }, { appSecret: 'y' })).resolves.toMatchObject({
      status: 432,
    });
  };

  it("replaces the app's own key with a throw-away pair, as in 'replace' mode", async () => {
    const wa = await WhatsAppTestApp.create({ imports: [SignupModule], appOptions: 'merge' });
    try {
      expect(publicPem(wa.flowPublicKey)).toBeDefined();
      // Before: the app's production key was used.
      expect(publicPem(wa.flowPublicKey)).not.toBe(publicPem(createPublicKey(productionKey)));
      await drive(wa);
    } finally {
      await wa.close();
    }
  });

  it('needs no key from the app: a factory whose key is missing in tests still boots', async () => {
    // Before: create() threw "flows.privateKey: expected a PEM private key".
    const wa = await WhatsAppTestApp.create({ imports: [EnvSignupModule], appOptions: 'merge' });
    try {
      await drive(wa);
    } finally {
      await wa.close();
    }
  });

  it('uses the flows of the `options` overlay when given', async () => {
    const overlayKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wa = await WhatsAppTestApp.create({
      imports: [EnvSignupModule],
      appOptions: 'merge',
      options: { flows: { privateKey: overlayKey.privateKey } },
    });
    try {
      // Before: the overlay was ignored (and the app's missing key failed the start).
      expect(publicPem(wa.flowPublicKey)).toBe(overlayKey.publicKey);
      await drive(wa);
    } finally {
      await wa.close();
    }
  });
});
