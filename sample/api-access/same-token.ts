import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal digests compared in constant time: neither the token's bytes nor its length leak through timing. */
export function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
