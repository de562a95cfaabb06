import { describe, expect, it } from '@jest/globals';
import {
  webhookFixtureBytes,
  webhookFixtureNames,
} from '../../../test/fixtures/webhook-fixtures.js';
import { toMetaJson } from './meta-json.js';

describe('toMetaJson', () => {
  it.each(webhookFixtureNames())('reproduces the bytes of fixture %s after JSON.parse', (name) => {
    const bytes = webhookFixtureBytes(name).toString('utf8');
    expect(toMetaJson(JSON.parse(bytes))).toBe(bytes);
  });

  it('escapes non-ASCII as lowercase \\uXXXX (emoji as surrogate pairs) and / as \\/', () => {
    expect(toMetaJson({ s: 'Café 😀 a/b', n: 1.5 })).toBe(
      '{"s":"Caf\\u00e9 \\ud83d\\ude00 a\\/b","n":1.5}',
    );
    expect(toMetaJson('ÿĀ\u2028')).toBe('"\\u00ff\\u0100\\u2028"');
  });

  it('leaves ASCII, escapes JSON needs and control characters alone', () => {
    expect(toMetaJson({ q: 'say "hi"\\\n\t<&>' })).toBe('{"q":"say \\"hi\\"\\\\\\n\\t<&>"}');
  });

  it('refuses what JSON cannot represent', () => {
    expect(() => toMetaJson(undefined)).toThrow(TypeError);
  });
});
