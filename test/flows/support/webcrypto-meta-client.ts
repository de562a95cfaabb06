import { webcrypto } from 'node:crypto';

const subtle = webcrypto.subtle;

/** A request as WhatsApp's client builds it, by WebCrypto only (independent of the library's node:crypto code). */
export interface WebCryptoFlowRequest {
  body: string;
  aesKey: Uint8Array;
  iv: Uint8Array;
}

function pemToDer(pem: string): Uint8Array {
  const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

const b64 = (bytes: ArrayBuffer | Uint8Array): string =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64');

/** Encrypts `payload` with RSA-OAEP-SHA256 (key wrap) and AES-128-GCM (16-byte IV, 128-bit tag appended). */
export async function webCryptoEncrypt(
  payload: unknown,
  publicKeyPem: string,
): Promise<WebCryptoFlowRequest> {
  const rsa = await subtle.importKey(
    'spki',
    pemToDer(publicKeyPem),
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['encrypt'],
  );
  const aesKey = webcrypto.getRandomValues(new Uint8Array(16));
  const iv = webcrypto.getRandomValues(new Uint8Array(16));
  const aes = await subtle.importKey('raw', aesKey, 'AES-GCM', false, ['encrypt']);
  const data = await subtle.encrypt(
    { name: 'AES-GCM', iv, tagLength: 128 },
    aes,
    new TextEncoder().encode(JSON.stringify(payload)),
  );
  const wrapped = await subtle.encrypt({ name: 'RSA-OAEP' }, rsa, aesKey);
  const body = JSON.stringify({
    encrypted_flow_data: b64(data),
    encrypted_aes_key: b64(wrapped),
    initial_vector: b64(iv),
  });
  return { body, aesKey, iv };
}

/** Decrypts an endpoint's base64 answer: AES-GCM with the same key and every bit of the IV flipped. */
export async function webCryptoDecrypt(
  body: string,
  aesKey: Uint8Array,
  iv: Uint8Array,
): Promise<unknown> {
  const flipped = iv.map((byte) => ~byte & 0xff);
  const aes = await subtle.importKey('raw', aesKey, 'AES-GCM', false, ['decrypt']);
  const plain = await subtle.decrypt(
    { name: 'AES-GCM', iv: flipped, tagLength: 128 },
    aes,
    Uint8Array.from(Buffer.from(body, 'base64')),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}
