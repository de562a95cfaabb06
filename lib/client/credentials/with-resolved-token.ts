import { WhatsAppApiError } from '../../errors/whatsapp-api.error.js';
import type { UpdateOrigin } from '../../types/webhook-update.js';
import type { CredentialIds, CredentialsCache } from './credentials-cache.js';

/**
 * Runs `call` with the token of `phoneNumberId` from the `resolveCredentials` cache. A call Meta
 * refuses with an auth error (code 190, 102, 0: expired or revoked) drops that cached token, asks
 * the resolver again and, when it gives another token, retries once: an auth error proves Meta did
 * not process the request, so the retry cannot act twice. A token given by the caller wins.
 * `origin` (the update being answered) also gives the resolver its WABA id, when the call answers
 * from the number the update came to.
 */
export async function withResolvedToken<T>(
  cache: CredentialsCache,
  phoneNumberId: string | undefined,
  explicit: string | undefined,
  call: (accessToken: string | undefined) => Promise<T>,
  origin?: UpdateOrigin,
): Promise<T> {
  // No receiving number (cannot happen for a message or call update) or a token given.
  if (phoneNumberId === undefined || explicit !== undefined) return call(explicit);
  const ids: CredentialIds = { phoneNumberId };
  if (origin !== undefined && origin.phoneNumberId === phoneNumberId) {
    ids.businessAccountId = origin.businessAccountId;
  }
  const token = await cache.tokenFor(ids);
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof WhatsAppApiError) || error.category !== 'auth') throw error;
    await cache.invalidate(ids, token);
    const fresh = await cache.tokenFor(ids);
    if (fresh === token) throw error;
    return call(fresh);
  }
}
