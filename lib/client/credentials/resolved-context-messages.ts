import type {
  MarkAsReadInput,
  SendMessageInput,
  SendMessageResponse,
  SendReactionInput,
  SuccessResponse,
} from '../../types/outgoing/outgoing-message.js';
import { WhatsAppApiError } from '../../errors/whatsapp-api.error.js';
import type { MessagesApi } from '../namespaces/messages.api.js';
import type { CredentialsCache } from './credentials-cache.js';

/**
 * The calls of the handler context (`ctx.reply()`, `ctx.markAsRead()`, `ctx.react()`, return
 * values) with the token of the number that received the update, from `resolveCredentials`. A call
 * Meta refuses with an auth error (code 190, 102, 0: expired or revoked) drops that cached token,
 * asks the resolver again and, when it gives another token, retries once: an auth error proves Meta
 * did not process the request, so the retry cannot send twice.
 */
export class ResolvedContextMessages {
  readonly #messages: MessagesApi;
  readonly #cache: CredentialsCache;

  constructor(messages: MessagesApi, cache: CredentialsCache) {
    this.#messages = messages;
    this.#cache = cache;
  }

  send(input: SendMessageInput): Promise<SendMessageResponse> {
    return this.#withToken(input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#messages.send({ ...input, accessToken }),
    );
  }

  markAsRead(input: MarkAsReadInput): Promise<SuccessResponse> {
    return this.#withToken(input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#messages.markAsRead({ ...input, accessToken }),
    );
  }

  sendReaction(input: SendReactionInput): Promise<SendMessageResponse> {
    return this.#withToken(input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#messages.sendReaction({ ...input, accessToken }),
    );
  }

  async #withToken<T>(
    phoneNumberId: string | undefined,
    explicit: string | undefined,
    call: (accessToken: string | undefined) => Promise<T>,
  ): Promise<T> {
    // No receiving number (cannot happen for a message update) or a token given: nothing to resolve.
    if (phoneNumberId === undefined || explicit !== undefined) return call(explicit);
    const ids = { phoneNumberId };
    const token = await this.#cache.tokenFor(ids);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WhatsAppApiError) || error.category !== 'auth') throw error;
      await this.#cache.invalidate(ids, token);
      const fresh = await this.#cache.tokenFor(ids);
      if (fresh === token) throw error;
      return call(fresh);
    }
  }
}
