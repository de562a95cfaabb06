import { describe, expect, it } from '@jest/globals';
import { redactTraffic } from './traffic-redaction.js';

describe('redactTraffic', () => {
  it('hides PINs, secrets and tokens at any depth, keeps the rest, leaves the input alone', () => {
    const body = {
      pin: '123456',
      webhook_configuration: { override_callback_uri: 'https://x.example', verify_token: 'vt' },
      list: [{ access_token: 'EAAB', token_type: 'bearer' }],
    };
    expect(redactTraffic.json(body)).toEqual({
      pin: '[redacted]',
      webhook_configuration: {
        override_callback_uri: 'https://x.example',
        verify_token: '[redacted]',
      },
      list: [{ access_token: '[redacted]', token_type: 'bearer' }],
    });
    expect(body.pin).toBe('123456');
    expect(redactTraffic.json('text')).toBe('text');
    expect(redactTraffic.json(undefined)).toBeUndefined();
  });

  it('hides client_secret and input_token in a query, in place', () => {
    const query = new URLSearchParams('client_id=1&client_secret=s3cret&code=AQ1&input_token=EAAB');
    redactTraffic.query(query);
    expect(query.toString()).toBe(
      'client_id=1&client_secret=%5Bredacted%5D&code=AQ1&input_token=%5Bredacted%5D',
    );
  });
});
