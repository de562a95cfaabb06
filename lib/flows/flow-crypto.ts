import {
  createCipheriv,
  createDecipheriv,
  constants,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';

/** AES-128-GCM: the key Meta's client wraps is 16 bytes, its tag 16 bytes. */
const AES_KEY_BYTES = 16;
const TAG_BYTES = 16;
/** Meta sends a 16-byte IV; GCM takes 12 and up. Anything outside this range is not Meta's. */
const MIN_IV_BYTES = 12;
const MAX_IV_BYTES = 64;

/** The three base64 fields Meta POSTs to a Flow endpoint. */
export interface FlowEnvelope {
  encrypted_flow_data: string;
  encrypted_aes_key: string;
  initial_vector: string;
}

/** A decrypted request: its JSON text, and the key and IV that encrypt the answer. */
export interface DecryptedFlowEnvelope {
  plaintext: string;
  aesKey: Buffer;
  iv: Buffer;
}

/** The request cannot be decrypted with our private key (answered 421: Meta's client refetches the public key). */
export class FlowDecryptionError extends Error {
  override readonly name = 'FlowDecryptionError';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The envelope's fields when `body` has all three as base64 strings; `undefined` otherwise. */
export function toFlowEnvelope(body: unknown): FlowEnvelope | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const fields = ['encrypted_flow_data', 'encrypted_aes_key', 'initial_vector'] as const;
  for (const field of fields) {
    const value = record[field];
    if (typeof value !== 'string' || value.length === 0 || !BASE64.test(value)) return undefined;
  }
  return {
    encrypted_flow_data: record.encrypted_flow_data as string,
    encrypted_aes_key: record.encrypted_aes_key as string,
    initial_vector: record.initial_vector as string,
  };
}

/**
 * Meta's scheme ("Implementing Endpoint for Flows"): `encrypted_aes_key` is a fresh AES-128 key
 * wrapped with RSA-OAEP (SHA-256 for both the hash and MGF1) under the business public key;
 * `encrypted_flow_data` is the JSON request under AES-128-GCM with `initial_vector`, the 16-byte
 * tag appended. Every failure (wrong key, tampered data, bad lengths) is a FlowDecryptionError.
 */
export function decryptFlowEnvelope(
  envelope: FlowEnvelope,
  privateKey: KeyObject,
): DecryptedFlowEnvelope {
  const iv = Buffer.from(envelope.initial_vector, 'base64');
  const data = Buffer.from(envelope.encrypted_flow_data, 'base64');
  if (iv.length < MIN_IV_BYTES || iv.length > MAX_IV_BYTES || data.length < TAG_BYTES) {
    throw new FlowDecryptionError('The initial vector or the encrypted data has a wrong length');
  }
  let aesKey: Buffer;
  try {
    aesKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(envelope.encrypted_aes_key, 'base64'),
    );
  } catch {
    throw new FlowDecryptionError(
      'encrypted_aes_key does not decrypt with the private key (is the uploaded public key its pair?)',
    );
  }
  if (aesKey.length !== AES_KEY_BYTES) {
    throw new FlowDecryptionError('The AES key is not 128 bits');
  }
  try {
    const decipher = createDecipheriv('aes-128-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { plaintext: plain.toString('utf8'), aesKey, iv };
  } catch {
    throw new FlowDecryptionError('encrypted_flow_data fails AES-GCM authentication');
  }
}

/** Every bit of the request's IV flipped: the IV of the response. */
export function invertIv(iv: Uint8Array): Buffer {
  const flipped = Buffer.allocUnsafe(iv.length);
  for (let i = 0; i < iv.length; i++) flipped[i] = ~iv[i] & 0xff;
  return flipped;
}

/** The response body Meta expects: JSON under AES-128-GCM (same key, inverted IV), tag appended, base64. */
export function encryptFlowPayload(payload: unknown, aesKey: Buffer, iv: Buffer): string {
  const cipher = createCipheriv('aes-128-gcm', aesKey, invertIv(iv), {
    authTagLength: TAG_BYTES,
  });
  const json = JSON.stringify(payload) ?? 'null';
  return Buffer.concat([cipher.update(json, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
}
