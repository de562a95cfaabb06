import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { REDACTED, TokenRedactor } from './token-redactor.js';

const TOKEN = 'EAAGm0PX4ZCpsBAOZBZCxyz1234567890abcdefQRSTuvw';
const redactor = new TokenRedactor(TOKEN);
const half = TOKEN.length >> 1;

describe('TokenRedactor', () => {
  it('redacts the whole token, and keeps the text around it', () => {
    expect(redactor.redactText(`bad token ${TOKEN}.`)).toBe(`bad token ${REDACTED}.`);
    expect(redactor.redactText('nothing here')).toBe('nothing here');
  });

  it('redacts each half of a token split across two strings', () => {
    expect(redactor.redactText(`a ${TOKEN.slice(0, half)}`)).toBe(`a ${REDACTED}`);
    expect(redactor.redactText(`${TOKEN.slice(half)} b`)).toBe(`${REDACTED} b`);
  });

  it('leaves short coincidences alone (fewer than 12 characters of the token here)', () => {
    expect(redactor.redactText('code 1234567890 failed')).toBe('code 1234567890 failed');
  });

  it('redacts base64 and base64url forms at every alignment', () => {
    for (const prefix of ['', 'B', 'Be', 'Bearer ']) {
      const b64 = Buffer.from(`${prefix}${TOKEN}`).toString('base64');
      expect(redactor.redactText(`auth ${b64}`)).not.toContain(b64.slice(8, 40));
      const url = Buffer.from(`${prefix}${TOKEN}`).toString('base64url');
      expect(redactor.redactText(url)).toContain(REDACTED);
    }
  });

  it('drops a string whose percent, backslash or HTML decoding reveals the token', () => {
    const percent = [...TOKEN].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const unicode = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const html = [...TOKEN].map((c) => `&#${c.charCodeAt(0)};`).join('');
    for (const encoded of [
      percent,
      unicode.join(''),
      `${TOKEN.slice(0, 5)}${unicode.slice(5).join('')}`,
      html,
    ]) {
      expect(redactor.redactText(`echo: ${encoded}`)).toBe(REDACTED);
    }
    expect(redactor.redactText('100% fine &#65; \\u0041')).toBe('100% fine &#65; \\u0041');
    expect(redactor.redactText('&#99999999; &#x110000;')).toBe('&#99999999; &#x110000;');
  });

  it('redacts every string and key of a parsed value, bounded in depth', () => {
    const parsed: unknown = JSON.parse(
      JSON.stringify({ message: TOKEN, [TOKEN]: [1, { details: `x${TOKEN}` }], n: 4, ok: true }),
    );
    const out = redactor.redactValue(parsed);
    expect(JSON.stringify(out)).not.toContain(TOKEN.slice(0, 12));
    expect(out).toEqual({
      message: REDACTED,
      [REDACTED]: [1, { details: `x${REDACTED}` }],
      n: 4,
      ok: true,
    });
    let deep: unknown = TOKEN;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(JSON.stringify(redactor.redactValue(deep))).not.toContain(TOKEN);
  });

  it('keeps the token out of its own inspect and JSON output', () => {
    expect(inspect(redactor, { showHidden: true, depth: 5 })).not.toContain(TOKEN.slice(0, 12));
    expect(JSON.stringify(redactor)).not.toContain(TOKEN.slice(0, 12));
  });

  it('a short token is redacted whole only', () => {
    const short = new TokenRedactor('tok-123');
    expect(short.redactText('a tok-123 b tok-12')).toBe(`a ${REDACTED} b tok-12`);
  });
});
