import type { GraphCall, GraphTransport, StreamedAnswer } from './graph-transport.js';

/** What the Graph layer needs of a transport: a JSON call and a streamed call. */
export type GraphCaller = Pick<GraphTransport, 'json' | 'stream'>;

/**
 * The module's transport (same undici agent, timeouts, retries, redaction) with another default
 * token: what `whatsapp.forAccount()` binds its namespaces to. Two fields, no agent, no redactor
 * built up front: cheap to create per request. A per-call `accessToken` still wins. The token is a
 * private field, so `util.inspect` and `JSON.stringify` never show it.
 */
export class AccountTransport implements GraphCaller {
  readonly #transport: GraphCaller;
  readonly #accessToken: string;

  constructor(transport: GraphCaller, accessToken: string) {
    this.#transport = transport;
    this.#accessToken = accessToken;
  }

  json<T>(call: GraphCall): Promise<T> {
    return this.#transport.json<T>({ ...call, accessToken: call.accessToken ?? this.#accessToken });
  }

  stream(call: GraphCall): Promise<StreamedAnswer> {
    return this.#transport.stream({ ...call, accessToken: call.accessToken ?? this.#accessToken });
  }

  toJSON(): Record<string, string> {
    return { transport: 'AccountTransport' };
  }
}
