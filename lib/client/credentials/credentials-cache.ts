import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkAccessToken } from '../graph/graph-api.js';
import { pathId } from '../validation/path-id.js';

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
/** Default bound of one resolver call (the module passes its Graph `timeoutMs`). */
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Tokens from the `resolveCredentials` option, cached per number (or WABA) for `ttlMs`. Concurrent
 * lookups of one number share one call of the resolver; a rejected lookup is not cached; a token Meta
 * refused (`invalidate`) is dropped so the next lookup asks the resolver again. A resolver that never
 * settles fails after `timeoutMs` (else every reply of that number would wait behind it for the whole
 * TTL), and only Graph ids reach the resolver (not a huge or odd id from a webhook's metadata).
 * Tokens live only in this private map, never in a log line or an error.
 */
export class CredentialsCache {
  readonly #resolve: ResolveCredentials;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(
    resolve: ResolveCredentials,
    ttlMs: number,
    now: () => number = Date.now,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.#resolve = resolve;
    this.#ttlMs = ttlMs;
    this.#now = now;
    this.#timeoutMs = timeoutMs;
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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new WhatsAppValidationError(
            'resolveCredentials',
            `did not settle within ${this.#timeoutMs} ms for ${describe(ids)}`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref();
    });
    let answer: unknown;
    try {
      // The resolver may also throw synchronously: inside this async function that is a rejection.
      answer = await Promise.race([
        Promise.resolve()
          .then(() => this.#resolve(resolverIds(ids)))
          .catch((error: unknown) => {
            throw resolverFailed(ids, error);
          }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
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
  if (ids.phoneNumberId !== undefined) return `p:${pathId(ids.phoneNumberId, 'phoneNumberId')}`;
  if (ids.businessAccountId !== undefined) {
    return `b:${pathId(ids.businessAccountId, 'businessAccountId')}`;
  }
  throw new WhatsAppValidationError('phoneNumberId', 'is required to resolve credentials');
}

/**
 * A resolver's own error, wrapped: its message may hold what the resolver works with (a vault's
 * answer, a connection string, a token) and the module logs a failed handler's error, so only its
 * class is named; the original stays on `cause` (not enumerable, not in the logged stack).
 */
function resolverFailed(ids: CredentialIds, error: unknown): WhatsAppValidationError {
  const kind = error instanceof Error ? error.name : typeof error;
  const wrapped = new WhatsAppValidationError(
    'resolveCredentials',
    `failed for ${describe(ids)} (${kind}; the original error is on "cause")`,
  );
  Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false, configurable: true });
  return wrapped;
}

/** What the resolver is given: the checked key id, and the WABA id only when it is a Graph id. */
function resolverIds(ids: CredentialIds): CredentialIds {
  const { phoneNumberId, businessAccountId } = ids;
  if (phoneNumberId === undefined) return { businessAccountId };
  return businessAccountId !== undefined && SAFE_WABA.test(businessAccountId)
    ? { phoneNumberId, businessAccountId }
    : { phoneNumberId };
}

const SAFE_WABA = /^[A-Za-z0-9_-]{1,128}$/;

function describe(ids: CredentialIds): string {
  return ids.phoneNumberId !== undefined
    ? `phone number ${ids.phoneNumberId}`
    : `WABA ${ids.businessAccountId ?? '-'}`;
}
