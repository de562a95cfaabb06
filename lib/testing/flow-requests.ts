import type { KeyObject } from 'node:crypto';
import { decryptFlowAnswer, encryptFlowEnvelope } from '../flows/flow-client-crypto.js';
import { signWebhookBody } from './sign-webhook-body.js';

/** The app secret `encryptFlowRequest` signs with unless told otherwise (the WhatsAppTestApp's). */
const TEST_APP_SECRET = 'test-app-secret';

export interface EncryptFlowRequestOptions {
  /** Sign with this app secret. Default: the WhatsAppTestApp's (`WHATSAPP_TEST_SECRETS.appSecret`). */
  appSecret?: string;
  /** Fixed AES key / IV (16 bytes each) instead of random ones, for reproducible bytes. */
  aesKey?: Buffer;
  iv?: Buffer;
}

/** What WhatsApp POSTs to a Flows endpoint, and what decrypts the answer. */
export interface FlowRequestFixture {
  /** The JSON text to POST (`encrypted_flow_data`, `encrypted_aes_key`, `initial_vector`). */
  body: string;
  /** `content-type` and `x-hub-signature-256` (HMAC-SHA256 of `body` with the app secret). */
  headers: { 'content-type': string; 'x-hub-signature-256': string };
  /** Give both to `decryptFlowResponse` with the answer's body. */
  aesKey: Buffer;
  iv: Buffer;
}

/**
 * Encrypts a Flows data-exchange request (`{ version, action, screen?, data?, flow_token }`) the
 * way WhatsApp does, with the business public key (PEM or KeyObject), and signs it.
 */
export function encryptFlowRequest(
  payload: object,
  publicKey: string | KeyObject,
  options: EncryptFlowRequestOptions = {},
): FlowRequestFixture {
  const { envelope, aesKey, iv } = encryptFlowEnvelope(payload, publicKey, options);
  const body = JSON.stringify(envelope);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(body, options.appSecret ?? TEST_APP_SECRET),
    },
    aesKey,
    iv,
  };
}

/** Decrypts a Flows endpoint's base64 answer with the request's AES key and IV; returns its JSON. */
export function decryptFlowResponse<T = unknown>(body: string, aesKey: Buffer, iv: Buffer): T {
  return decryptFlowAnswer(body, aesKey, iv) as T;
}
