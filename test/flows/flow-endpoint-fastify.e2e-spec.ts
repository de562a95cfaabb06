import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { flowScreen, OnWhatsAppFlow, WhatsAppModule } from '../../lib/index.js';
import { webCryptoDecrypt, webCryptoEncrypt } from './support/webcrypto-meta-client.js';

const SECRET = 'fastify-flows-secret';
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

@Injectable()
class Start {
  @OnWhatsAppFlow({ action: 'INIT' })
  init() {
    return flowScreen('FIRST', { ok: true });
  }
}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: 't',
      appSecret: SECRET,
      webhookPath: false,
      flows: { privateKey: keys.privateKey, path: '/hooks/flows/' },
    }),
  ],
  providers: [Start],
})
class FastifyFlows {}

describe('Flows endpoint on Fastify (same answers as Express)', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(FastifyFlows, new FastifyAdapter(), {
      rawBody: true,
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/hooks/flows`;
  });
  afterAll(() => app.close());

  async function post(body: string, secret = SECRET) {
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    return {
      status: res.statusCode,
      body: await res.body.text(),
      type: res.headers['content-type'],
    };
  }

  it('answers INIT (PKCS#1 key, custom path) with the encrypted screen as text', async () => {
    const encrypted = await webCryptoEncrypt(
      { version: '3.0', action: 'INIT', flow_token: 'f' },
      keys.publicKey,
    );
    const answer = await post(encrypted.body);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/plain/);
    expect(await webCryptoDecrypt(answer.body, encrypted.aesKey, encrypted.iv)).toEqual({
      screen: 'FIRST',
      data: { ok: true },
    });
  });

  it('answers 432 for a wrong signature and 400 for a signed body that is not an envelope', async () => {
    expect((await post('{}', 'wrong')).status).toBe(432);
    expect((await post('{"a":1}')).status).toBe(400);
  });
});
