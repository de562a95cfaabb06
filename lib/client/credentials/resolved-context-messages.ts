import type {
  MarkAsReadInput,
  SendMessageInput,
  SendMessageResponse,
  SendReactionInput,
  SuccessResponse,
} from '../../types/outgoing/outgoing-message.js';
import type { UpdateOrigin } from '../../types/webhook-update.js';
import type { MessagesApi } from '../namespaces/messages.api.js';
import type { CredentialsCache } from './credentials-cache.js';
import { withResolvedToken } from './with-resolved-token.js';

/**
 * The calls of the handler context (`ctx.reply()`, `ctx.markAsRead()`, `ctx.react()`, return
 * values) with the token of the number that received the update, from `resolveCredentials`
 * (refused tokens dropped and retried once: ./with-resolved-token.ts).
 */
export class ResolvedContextMessages {
  readonly #messages: MessagesApi;
  readonly #cache: CredentialsCache;
  /** The update these calls answer (the dispatcher binds one per update with `forOrigin`). */
  readonly #origin: UpdateOrigin | undefined;

  constructor(messages: MessagesApi, cache: CredentialsCache, origin?: UpdateOrigin) {
    this.#messages = messages;
    this.#cache = cache;
    this.#origin = origin;
  }

  /** The calls for one update: the resolver is also given the WABA id it came to. */
  forOrigin(origin: UpdateOrigin): ResolvedContextMessages {
    return new ResolvedContextMessages(this.#messages, this.#cache, origin);
  }

  send(input: SendMessageInput): Promise<SendMessageResponse> {
    return this.#withToken(input, (accessToken) => this.#messages.send({ ...input, accessToken }));
  }

  markAsRead(input: MarkAsReadInput): Promise<SuccessResponse> {
    return this.#withToken(input, (accessToken) =>
      this.#messages.markAsRead({ ...input, accessToken }),
    );
  }

  sendReaction(input: SendReactionInput): Promise<SendMessageResponse> {
    return this.#withToken(input, (accessToken) =>
      this.#messages.sendReaction({ ...input, accessToken }),
    );
  }

  #withToken<T>(
    input: { phoneNumberId?: string; accessToken?: string },
    call: (accessToken: string | undefined) => Promise<T>,
  ): Promise<T> {
    return withResolvedToken(
      this.#cache,
      input.phoneNumberId,
      input.accessToken,
      call,
      this.#origin,
    );
  }
}
