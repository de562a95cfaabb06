import { describe, expect, it } from '@jest/globals';
import { VerifyTokenMatcher } from './verify-token.js';

describe('VerifyTokenMatcher', () => {
  it('matches the configured token only', () => {
    const matcher = new VerifyTokenMatcher('s3cret-token');
    expect(matcher.configured).toBe(true);
    expect(matcher.matches('s3cret-token')).toBe(true);
    expect(matcher.matches('s3cret-token ')).toBe(false);
    expect(matcher.matches('s3cret')).toBe(false);
    expect(matcher.matches('')).toBe(false);
    expect(matcher.matches(undefined)).toBe(false);
    expect(matcher.matches(['s3cret-token'])).toBe(false);
  });

  it('matches nothing when no token is configured', () => {
    const matcher = new VerifyTokenMatcher(undefined);
    expect(matcher.configured).toBe(false);
    expect(matcher.matches('')).toBe(false);
    expect(matcher.matches('undefined')).toBe(false);
  });
});
