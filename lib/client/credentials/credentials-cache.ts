import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkAccessToken } from '../graph/graph-api.js';

/** The ids a token is resolved for (option `resolveCredentials`). */
export interface CredentialIds {
  phoneNumberId?: string;
  businessAccountId?: string;
}

export type ResolveCredentials = (ids: CredentialIds) => Promise<{ accessToken: string }>;

interface Entry {
  token: Promise<string>;
  expiresAt: number;
}

/** Injection token of the module instance's cache (null without `resolveCredentials`). */
export const WHATSAPP_CREDENTIALS_CACHE = Symbol('WHATSAPP_CREDENTIALS_CACHE');

/** Most cached tenants; the oldest entry goes first beyond it (a Map keeps insertion order). */
const MAX_ENTRIES = 10_000;

/**
 * Tokens from the `resolveCredentials` option, cached per number (or WABA) for `ttlMs`. Concurrent
 * lookups of one number share one call of the resolver; a rejected lookup is not cached; a token Meta
 * refused (`invalidate`) is dropped so the next lookup asks the resolver again. Tokens live only in
 * this private map, never in a log line or an error.
 */
export class CredentialsCache {
  readonly #resolve: ResolveCredentials;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(resolve: ResolveCredentials, ttlMs: number, now: () => number = Date.now) {
    this.#resolve = resolve;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The token for `ids` (by phone number id when given, else by WABA id). */
  tokenFor(ids: CredentialIds): Promise<string> {
    const key = keyOf(ids);
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.token;
    if (cached !== undefined) this.#entries.delete(key);
    const token = this.#lookup(ids);
    const entry: Entry = { token, expiresAt: now + this.#ttlMs };
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    // A failed lookup is not remembered (the resolver is asked again next time).
    token.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return token;
  }

  /** Drops the cached token of `ids` if it is still `token` (a newer one is kept). */
  async invalidate(ids: CredentialIds, token: string): Promise<void> {
    const key = keyOf(ids);
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    const cached = await entry.token.catch(() => undefined);
    if (this.#entries.get(key) === entry && cached === token) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  async #lookup(ids: CredentialIds): Promise<string> {
    const answer = await this.#resolve({ ...ids });
    const token = (answer as { accessToken?: unknown } | undefined)?.accessToken;
    try {
      checkAccessToken(token);
    } catch {
      throw new WhatsAppValidationError(
        'resolveCredentials',
        `must resolve to { accessToken } (a non-empty token) for ${describe(ids)}`,
      );
    }
    return token;
  }
}

function keyOf(ids: CredentialIds): string {
  if (ids.phoneNumberId !== undefined) return `p:${ids.phoneNumberId}`;
  if (ids.businessAccountId !== undefined) return `b:${ids.businessAccountId}`;
  throw new WhatsAppValidationError('phoneNumberId', 'is required to resolve credentials');
}

function describe(ids: CredentialIds): string {
  return ids.phoneNumberId !== undefined
    ? `phone number ${ids.phoneNumberId}`
    : `WABA ${ids.businessAccountId ?? '-'}`;
}
