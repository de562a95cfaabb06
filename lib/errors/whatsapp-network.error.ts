/**
 * A Graph API call failed without an HTTP answer (connection refused, reset, timeout).
 * `requestWritten` tells whether the request may have reached Meta: when it is `true` a send was
 * possibly accepted, which is why the client never retries it.
 */
export class WhatsAppNetworkError extends Error {
  override readonly name = 'WhatsAppNetworkError';
  /** undici / Node error code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
  readonly code?: string;
  readonly timedOut: boolean;
  readonly requestWritten: boolean;
  /** Same as `requestWritten`, under the name `WhatsAppApiError` uses: a send may have been accepted. */
  readonly outcomeUnknown: boolean;
  readonly method: string;
  readonly path: string;
  attempts = 1;

  constructor(init: {
    method: string;
    path: string;
    code?: string;
    timedOut: boolean;
    requestWritten: boolean;
    message: string;
  }) {
    // The raw undici error is not kept: its sockets and options are not ours to expose.
    super(`${init.message} [${init.method} ${init.path}]`);
    this.code = init.code;
    this.timedOut = init.timedOut;
    this.requestWritten = init.requestWritten;
    this.outcomeUnknown = init.requestWritten;
    this.method = init.method;
    this.path = init.path;
  }
}
