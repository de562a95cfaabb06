import {
  constants,
  createCipheriv,
  createDecipheriv,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { invertIv, type FlowEnvelope } from './flow-crypto.js';

/** An encrypted request as WhatsApp's client builds it, with the secrets that read its answer. */
export interface EncryptedFlowRequest {
  envelope: FlowEnvelope;
  aesKey: Buffer;
  iv: Buffer;
}

/**
 * WhatsApp's side of the exchange (the testing kit and the sandbox play it): a fresh AES-128 key
 * and 16-byte IV per request, the JSON under AES-128-GCM (tag appended), the key wrapped with
 * RSA-OAEP-SHA256 under the business public key.
 */
export function encryptFlowEnvelope(
  payload: unknown,
  publicKey: string | KeyObject,
  secrets: { aesKey?: Buffer; iv?: Buffer } = {},
): EncryptedFlowRequest {
  const aesKey = secrets.aesKey ?? randomBytes(16);
  const iv = secrets.iv ?? randomBytes(16);
  const cipher = createCipheriv('aes-128-gcm', aesKey, iv, { authTagLength: 16 });
  const data = Buffer.concat([
    cipher.update(JSON.stringify(payload), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    aesKey,
  );
  return {
    envelope: {
      encrypted_flow_data: data.toString('base64'),
      encrypted_aes_key: wrapped.toString('base64'),
      initial_vector: iv.toString('base64'),
    },
    aesKey,
    iv,
  };
}

/** Reads an endpoint's base64 answer (same key, inverted IV); throws when it does not authenticate. */
export function decryptFlowAnswer(body: string, aesKey: Buffer, iv: Buffer): unknown {
  const data = Buffer.from(body.trim(), 'base64');
  if (data.length < 16) throw new Error('The flow response is too short to be AES-GCM data');
  const decipher = createDecipheriv('aes-128-gcm', aesKey, invertIv(iv), { authTagLength: 16 });
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([
    decipher.update(data.subarray(0, data.length - 16)),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}
