import type {
  AnswerCallInput,
  CallActionResponse,
  CallIdInput,
} from '../../types/outgoing/groups-calls.js';
import type { UpdateOrigin } from '../../types/webhook-update.js';
import type { CallsApi } from '../namespaces/calls.api.js';
import type { CredentialsCache } from './credentials-cache.js';
import { withResolvedToken } from './with-resolved-token.js';

/**
 * The answers of a call handler (`ctx.preAccept()`, `accept()`, `reject()`, `terminate()`) with the
 * token of the number that received the call, from `resolveCredentials`, like the message replies
 * (./resolved-context-messages.ts): bound per update with `forOrigin`, so the resolver also gets
 * the WABA id.
 */
export class ResolvedContextCalls {
  readonly #calls: CallsApi;
  readonly #cache: CredentialsCache;
  readonly #origin: UpdateOrigin | undefined;

  constructor(calls: CallsApi, cache: CredentialsCache, origin?: UpdateOrigin) {
    this.#calls = calls;
    this.#cache = cache;
    this.#origin = origin;
  }

  /** The answers for one update: the resolver is also given the WABA id it came to. */
  forOrigin(origin: UpdateOrigin): ResolvedContextCalls {
    return new ResolvedContextCalls(this.#calls, this.#cache, origin);
  }

  preAccept(input: AnswerCallInput): Promise<CallActionResponse> {
    return this.#withToken(input, (accessToken) =>
      this.#calls.preAccept({ ...input, accessToken }),
    );
  }

  accept(input: AnswerCallInput): Promise<CallActionResponse> {
    return this.#withToken(input, (accessToken) => this.#calls.accept({ ...input, accessToken }));
  }

  reject(input: CallIdInput): Promise<CallActionResponse> {
    return this.#withToken(input, (accessToken) => this.#calls.reject({ ...input, accessToken }));
  }

  terminate(input: CallIdInput): Promise<CallActionResponse> {
    return this.#withToken(input, (accessToken) =>
      this.#calls.terminate({ ...input, accessToken }),
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
