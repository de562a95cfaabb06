import { describe, expect, it } from '@jest/globals';
import { BadRequestException, type ExecutionContext } from '@nestjs/common';
import { signWebhookBody } from '../../testing/sign-webhook-body.js';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WhatsAppSignatureGuard } from './whatsapp-signature.guard.js';

const SECRET = 'guard-spec-secret';
const guard = new WhatsAppSignatureGuard({ appSecrets: [SECRET] } as ResolvedWhatsAppOptions);

interface FakeRequest {
  headers: Record<string, string>;
  rawBody: Buffer;
  body: unknown;
}

function signedRequest(text: string, body: (raw: Buffer) => unknown): FakeRequest {
  const raw = Buffer.from(text, 'utf8');
  return {
    headers: {
      'content-type': 'application/json',
      'content-length': String(raw.length),
      'x-hub-signature-256': signWebhookBody(raw, SECRET),
    },
    rawBody: raw,
    body: body(raw),
  };
}

function contextOf(request: FakeRequest): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const PAYLOAD = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}';

describe('WhatsAppSignatureGuard: a body the platform left unparsed', () => {
  // Nest 11's Fastify adapter, set up with app.useBodyParser('application/json', { bodyLimit }),
  // hands the handler a Buffer: without parsing it here every signed webhook was ignored with 200.
  it.each([
    ['a Buffer', (raw: Buffer) => raw],
    ['a string', (raw: Buffer) => raw.toString('utf8')],
  ])('parses a signed body that arrives as %s', (_name, body) => {
    const request = signedRequest(PAYLOAD, body);
    expect(guard.canActivate(contextOf(request))).toBe(true);
    expect(request.body).toEqual(JSON.parse(PAYLOAD));
  });

  it('leaves an already parsed body as it is', () => {
    const parsed = JSON.parse(PAYLOAD) as unknown;
    const request = signedRequest(PAYLOAD, () => parsed);
    expect(guard.canActivate(contextOf(request))).toBe(true);
    expect(request.body).toBe(parsed);
  });

  it('refuses with 400 a signed Buffer body that is not JSON, or that holds a __proto__ key', () => {
    expect(() => guard.canActivate(contextOf(signedRequest('{"a":', (raw) => raw)))).toThrow(
      BadRequestException,
    );
    expect(() =>
      guard.canActivate(contextOf(signedRequest('{"__proto__":{"x":1}}', (raw) => raw))),
    ).toThrow(BadRequestException);
  });
});
