import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkDownloadUrl } from './download-url.js';
import { pathId, requiredId } from './path-id.js';

describe('pathId', () => {
  it('accepts Graph ids', () => {
    expect(pathId('106540352242922', 'phoneNumberId')).toBe('106540352242922');
    expect(pathId('fake_id-1', 'mediaId')).toBe('fake_id-1');
  });

  it('property: nothing that could change the URL path or query passes', () => {
    const dangerous = fc.constantFrom(
      '/',
      '..',
      '?',
      '#',
      '%2F',
      '%',
      ' ',
      '\\',
      '\n',
      '&',
      '=',
      '.',
      ':',
      '@',
    );
    fc.assert(
      fc.property(fc.string(), dangerous, fc.string(), (before, bad, after) => {
        expect(() => pathId(before + bad + after, 'id')).toThrow(WhatsAppValidationError);
      }),
    );
  });

  it('refuses non-strings and over-long ids, naming the field', () => {
    for (const value of [undefined, 1, null, {}, 'x'.repeat(129), '']) {
      expect(() => pathId(value, 'templateId')).toThrow(/"templateId"/);
    }
  });

  it('requiredId names the module option when the default is missing or bad', () => {
    expect(requiredId(undefined, '1', 'phoneNumberId', 'phoneNumberId')).toBe('1');
    expect(() =>
      requiredId(undefined, undefined, 'businessAccountId', 'businessAccountId'),
    ).toThrow(/module option "businessAccountId"/);
  });
});

describe('checkDownloadUrl', () => {
  const hosts = new Set(['lookaside.fbsbx.com']);
  const base = new URL('http://127.0.0.1:4000');

  it('allows https media hosts and the media path of the Graph origin itself', () => {
    expect(
      checkDownloadUrl('https://lookaside.fbsbx.com/a?mid=1', hosts, base, 'url').hostname,
    ).toBe('lookaside.fbsbx.com');
    expect(checkDownloadUrl('https://LOOKASIDE.fbsbx.com/a', hosts, base, 'url').hostname).toBe(
      'lookaside.fbsbx.com',
    );
    expect(
      checkDownloadUrl(
        'http://127.0.0.1:4000/whatsapp_business/attachments/?mid=1',
        hosts,
        base,
        'url',
      ).port,
    ).toBe('4000');
  });

  it.each([
    'http://lookaside.fbsbx.com/a',
    'https://evil.com/a',
    'https://lookaside.fbsbx.com@evil.com/a',
    'https://a:b@lookaside.fbsbx.com/a',
    'http://127.0.0.1:4001/media',
    'https://127.0.0.1:4000/media',
    'ftp://lookaside.fbsbx.com/a',
    'nope',
  ])('refuses %s', (url) => {
    expect(() => checkDownloadUrl(url, hosts, base, 'url')).toThrow(WhatsAppValidationError);
  });
});
