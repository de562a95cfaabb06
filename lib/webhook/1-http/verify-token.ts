import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares the `hub.verify_token` of the handshake with the configured token in constant time:
 * both are hashed first, so the comparison never depends on their lengths or contents.
 */
export class VerifyTokenMatcher {
  readonly #expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.#expected = token === undefined ? undefined : sha256(token);
  }

  get configured(): boolean {
    return this.#expected !== undefined;
  }

  matches(candidate: unknown): boolean {
    if (this.#expected === undefined || typeof candidate !== 'string') return false;
    return timingSafeEqual(sha256(candidate), this.#expected);
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
