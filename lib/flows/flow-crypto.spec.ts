import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { decryptFlowAnswer, encryptFlowEnvelope } from './flow-client-crypto.js';
import {
  decryptFlowEnvelope,
  encryptFlowPayload,
  FlowDecryptionError,
  invertIv,
  toFlowEnvelope,
} from './flow-crypto.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('flow crypto', () => {
  it('inverts every bit of the IV', () => {
    expect(invertIv(Buffer.from([0x00, 0xff, 0x0f, 0xa5]))).toEqual(
      Buffer.from([0xff, 0x00, 0xf0, 0x5a]),
    );
  });

  it('round-trips a request and its answer', () => {
    const request = { version: '3.0', action: 'INIT', flow_token: 'é/ü' };
    const { envelope, aesKey, iv } = encryptFlowEnvelope(request, publicKey);
    const decrypted = decryptFlowEnvelope(envelope, privateKey);
    expect(JSON.parse(decrypted.plaintext)).toEqual(request);
    expect(decrypted.aesKey).toEqual(aesKey);
    const answer = encryptFlowPayload({ screen: 'A' }, decrypted.aesKey, decrypted.iv);
    expect(decryptFlowAnswer(answer, aesKey, iv)).toEqual({ screen: 'A' });
  });

  it('accepts only objects with three base64 strings as an envelope', () => {
    expect(toFlowEnvelope(null)).toBeUndefined();
    expect(toFlowEnvelope([])).toBeUndefined();
    expect(
      toFlowEnvelope({ encrypted_flow_data: 'a', encrypted_aes_key: 'b', initial_vector: '%' }),
    ).toBeUndefined();
  });

  it('fails only with FlowDecryptionError, whatever the envelope (fuzzed)', () => {
    const { envelope } = encryptFlowEnvelope({ action: 'ping' }, publicKey);
    const base64 = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64'));
    fc.assert(
      fc.property(
        fc.record({
          encrypted_flow_data: fc.oneof(base64, fc.constant(envelope.encrypted_flow_data)),
          encrypted_aes_key: fc.oneof(base64, fc.constant(envelope.encrypted_aes_key)),
          initial_vector: fc.oneof(base64, fc.constant(envelope.initial_vector)),
        }),
        (candidate) => {
          const untouched =
            candidate.encrypted_flow_data === envelope.encrypted_flow_data &&
            candidate.encrypted_aes_key === envelope.encrypted_aes_key &&
            candidate.initial_vector === envelope.initial_vector;
          try {
            decryptFlowEnvelope(candidate, privateKey);
            return untouched;
          } catch (error) {
            return error instanceof FlowDecryptionError;
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
