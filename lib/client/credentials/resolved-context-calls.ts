import type {
  AnswerCallInput,
  CallActionResponse,
  CallIdInput,
} from '../../types/outgoing/groups-calls.js';
import type { CallsApi } from '../namespaces/calls.api.js';
import type { CredentialsCache } from './credentials-cache.js';
import { withResolvedToken } from './with-resolved-token.js';

/**
 * The answers of a call handler (`ctx.preAccept()`, `accept()`, `reject()`, `terminate()`) with the
 * token of the number that received the call, from `resolveCredentials`, like the message replies.
 */
export class ResolvedContextCalls {
  readonly #calls: CallsApi;
  readonly #cache: CredentialsCache;

  constructor(calls: CallsApi, cache: CredentialsCache) {
    this.#calls = calls;
    this.#cache = cache;
  }

  preAccept(input: AnswerCallInput): Promise<CallActionResponse> {
    return withResolvedToken(this.#cache, input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#calls.preAccept({ ...input, accessToken }),
    );
  }

  accept(input: AnswerCallInput): Promise<CallActionResponse> {
    return withResolvedToken(this.#cache, input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#calls.accept({ ...input, accessToken }),
    );
  }

  reject(input: CallIdInput): Promise<CallActionResponse> {
    return withResolvedToken(this.#cache, input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#calls.reject({ ...input, accessToken }),
    );
  }

  terminate(input: CallIdInput): Promise<CallActionResponse> {
    return withResolvedToken(this.#cache, input.phoneNumberId, input.accessToken, (accessToken) =>
      this.#calls.terminate({ ...input, accessToken }),
    );
  }
}
