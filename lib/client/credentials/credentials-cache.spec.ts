import { describe, expect, it } from '@jest/globals';
import { CredentialsCache, type CredentialIds } from './credentials-cache.js';

function setup(answers: Array<string | Error>) {
  let now = 1_000;
  const calls: CredentialIds[] = [];
  const cache = new CredentialsCache(
    async (ids) => {
      calls.push(ids);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return { accessToken: next ?? 'default-token' };
    },
    60_000,
    () => now,
  );
  return { cache, calls, advance: (ms: number) => (now += ms) };
}

describe('CredentialsCache', () => {
  it('shares one lookup between concurrent calls and reuses it until the TTL ends', async () => {
    const { cache, calls, advance } = setup(['t1', 't2']);
    const [a, b] = await Promise.all([
      cache.tokenFor({ phoneNumberId: 'p1' }),
      cache.tokenFor({ phoneNumberId: 'p1' }),
    ]);
    expect([a, b]).toEqual(['t1', 't1']);
    advance(59_999);
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('t1');
    advance(1);
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('t2');
    expect(calls).toEqual([{ phoneNumberId: 'p1' }, { phoneNumberId: 'p1' }]);
  });

  it('keys by phone number, else by WABA', async () => {
    const { cache, calls } = setup(['a', 'b']);
    expect(await cache.tokenFor({ phoneNumberId: 'p1', businessAccountId: 'w1' })).toBe('a');
    expect(await cache.tokenFor({ businessAccountId: 'w1' })).toBe('b');
    expect(calls).toHaveLength(2);
    expect(() => cache.tokenFor({})).toThrow(/phoneNumberId/);
  });

  it('does not remember a failed lookup', async () => {
    const { cache } = setup([new Error('db down'), 't1']);
    const error = await cache.tokenFor({ phoneNumberId: 'p1' }).catch((e: unknown) => e);
    // Wrapped (its message could hold a secret), the original on `cause`.
    expect(String(error)).toMatch(/resolveCredentials.*failed for phone number p1 \(Error/);
    expect(String(error)).not.toContain('db down');
    expect(((error as Error).cause as Error).message).toBe('db down');
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('t1');
  });

  it('refuses a resolver answer without a usable token, never echoing it', async () => {
    const { cache } = setup(['bad token\n']);
    const error = await cache.tokenFor({ phoneNumberId: 'p1' }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/resolveCredentials/);
    expect(String(error)).not.toContain('bad token');
  });

  it('invalidate drops only the token that failed', async () => {
    const { cache } = setup(['old', 'new']);
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('old');
    await cache.invalidate({ phoneNumberId: 'p1' }, 'other');
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('old');
    await cache.invalidate({ phoneNumberId: 'p1' }, 'old');
    expect(await cache.tokenFor({ phoneNumberId: 'p1' })).toBe('new');
  });
});
