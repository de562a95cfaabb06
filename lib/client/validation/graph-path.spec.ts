import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkGraphPath } from './graph-path.js';

describe('checkGraphPath', () => {
  it('accepts ids and edge names, with or without a leading slash or a version', () => {
    expect(checkGraphPath('/106540352242922/messages')).toEqual({
      version: undefined,
      path: '/106540352242922/messages',
    });
    expect(checkGraphPath('123/message_templates')).toEqual({
      version: undefined,
      path: '/123/message_templates',
    });
    expect(checkGraphPath('/v25.0/g_1/invite_link')).toEqual({
      version: 'v25.0',
      path: '/g_1/invite_link',
    });
  });

  it('property: any path made of safe segments passes unchanged', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segments) => {
        const versioned = /^v\d{1,3}\.\d{1,3}$/.test(segments[0]);
        const rest = versioned ? segments.slice(1) : segments;
        if (rest.length === 0) {
          expect(() => checkGraphPath(`/${segments.join('/')}`)).toThrow(WhatsAppValidationError);
          return;
        }
        expect(checkGraphPath(`/${segments.join('/')}`)).toEqual({
          version: versioned ? segments[0] : undefined,
          path: `/${rest.join('/')}`,
        });
      }),
    );
  });

  it('property: nothing that could leave the path (or the host) passes', () => {
    const dangerous = fc.constantFrom(
      '..',
      '.',
      '?',
      '#',
      '%2F',
      '%',
      ' ',
      '\\',
      '\n',
      ':',
      '@',
      '&',
      '//',
      'https://evil.example',
    );
    fc.assert(
      fc.property(fc.string(), dangerous, fc.string(), (before, bad, after) => {
        expect(() => checkGraphPath(`/123/${before}${bad}${after}`)).toThrow(
          WhatsAppValidationError,
        );
      }),
    );
  });

  it('refuses non-strings, empty paths, a bare version and too many segments, naming "path"', () => {
    for (const value of [undefined, 1, null, {}, '', '/', '/v26.0', '/a/b/c/d/e/f/g/h/i']) {
      expect(() => checkGraphPath(value)).toThrow(/"path"/);
    }
  });
});
