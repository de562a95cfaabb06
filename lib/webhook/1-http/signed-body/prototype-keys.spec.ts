import { describe, expect, it } from '@jest/globals';
import { hasPrototypeKeys } from './prototype-keys.js';

const check = (text: string): boolean => hasPrototypeKeys(Buffer.from(text), JSON.parse(text));

describe('hasPrototypeKeys', () => {
  it('finds __proto__ keys and constructor.prototype at any depth, escaped or not', () => {
    expect(check('{"__proto__":{"x":1}}')).toBe(true);
    expect(check('[[{"a":{"\\u005f\\u005Fproto__":1}}]]')).toBe(true);
    expect(check('{"a":{"constructor":{"prototype":{}}}}')).toBe(true);
  });

  it('leaves the same words in strings and harmless constructor values alone', () => {
    expect(check('{"s":"\\"__proto__\\": 1","t":"constructor"}')).toBe(false);
    expect(check('{"constructor":"x","c":{"constructor":{"a":1}}}')).toBe(false);
    expect(check('{"object":"whatsapp_business_account"}')).toBe(false);
  });

  it('walks deep nesting without recursion', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}{"constructor":{"prototype":1}}${']'.repeat(depth)}`;
    expect(check(text)).toBe(true);
  });
});
