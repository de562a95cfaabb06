import { describe, expect, it } from '@jest/globals';
import { signWebhookBody } from '../../../testing/sign-webhook-body.js';
import { toSigningKeys } from '../verify-signature.js';
import { isVerifiedBody, markVerifiedBody } from './verified-body.js';

const SECRETS = ['verified-body-secret'];
const KEYS = toSigningKeys(SECRETS);
const BYTES = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const SIGNATURE = signWebhookBody(BYTES, SECRETS[0] ?? '');

function marked(): object {
  const request = {};
  markVerifiedBody(request, { 'x-hub-signature-256': SIGNATURE }, BYTES, KEYS);
  return request;
}

describe('the record of what the streamed check verified', () => {
  it('matches a copy of the same bytes, under the same header and the same keys', () => {
    expect(isVerifiedBody(marked(), Buffer.from(BYTES), SIGNATURE, KEYS)).toBe(true);
    // The same secrets array always gives the same keys: that is how the guard knows them.
    expect(toSigningKeys(SECRETS)).toBe(KEYS);
  });

  it('does not match anything else', () => {
    const changed = Buffer.from(BYTES);
    changed[changed.length - 2] = 0x20;
    expect(isVerifiedBody({}, BYTES, SIGNATURE, KEYS)).toBe(false);
    expect(isVerifiedBody(marked(), changed, SIGNATURE, KEYS)).toBe(false);
    expect(isVerifiedBody(marked(), BYTES.subarray(1), SIGNATURE, KEYS)).toBe(false);
    expect(
      isVerifiedBody(marked(), Buffer.concat([BYTES, Buffer.from(' ')]), SIGNATURE, KEYS),
    ).toBe(false);
    expect(isVerifiedBody(marked(), BYTES, SIGNATURE.toUpperCase(), KEYS)).toBe(false);
    expect(isVerifiedBody(marked(), BYTES, [SIGNATURE], KEYS)).toBe(false);
    expect(isVerifiedBody(marked(), BYTES, SIGNATURE, toSigningKeys([...SECRETS]))).toBe(false);
  });

  it('is invisible to JSON and to the request keys user code enumerates', () => {
    const request = marked();
    expect(Object.keys(request)).toEqual([]);
    expect(JSON.stringify(request)).toBe('{}');
  });
});
