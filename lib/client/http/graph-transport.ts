import { setTimeout as sleepMs } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Agent, type Dispatcher, type FormData } from 'undici';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../package-info.js';
import { classifyGraphError, provesNotProcessed } from '../../errors/graph-error-classification.js';
import { TokenRedactor } from './token-redactor.js';
import { WhatsAppApiError, type GraphErrorBody } from '../../errors/whatsapp-api.error.js';
import { WhatsAppNetworkError } from '../../errors/whatsapp-network.error.js';
import { toNetworkError } from './network-failure.js';
import { Telemetry } from '../../telemetry/telemetry.js';
import type { GraphProbe } from '../../telemetry/graph-probe.js';
import {
  decideRetry,
  pairRateLimitWaitMs,
  parseRetryAfter,
  type AttemptFailure,
  type RetrySettings,
} from './retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface GraphCall {
  method: HttpMethod;
  /** Absolute path, already encoded (ids are checked by `pathId`), e.g. `/v26.0/123/messages`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** A ready query string (`?a=b`), sent byte for byte; kept out of errors and logs. */
  search?: string;
  /** A JSON body, serialised once. */
  json?: unknown;
  /** A multipart body, built per attempt (a FormData cannot be sent twice). */
  form?: () => FormData;
  /** Another origin than the Graph API (media downloads). */
  origin?: string;
  /** GET/DELETE (default for them); a POST is never idempotent. */
  idempotent?: boolean;
  /** Rate limiting of message sends (option `outboundLimiter`): around every attempt, retries included. */
  throttle?: AttemptThrottle;
  /** Another token for this call only (`graph.request({ accessToken })`); redacted like the default. */
  accessToken?: string;
  /** `OAuth` for the Resumable Upload API's upload step (Meta's documented scheme); default `Bearer`. */
  authScheme?: 'Bearer' | 'OAuth';
  /** A raw body (the Resumable Upload API's bytes), sent as is with `headers`. */
  bytes?: Uint8Array;
  /** Extra request headers (e.g. `file_offset`); never the authorization. */
  headers?: Record<string, string>;
  /** Other secrets of this call (an app secret in the query, a token being inspected): redacted from errors too. */
  secrets?: readonly string[];
}

export interface AttemptThrottle {
  /** Waits for this attempt's turn; a rejection is thrown to the caller as is. */
  before(): Promise<void>;
  /** Reports an error answer (throttling codes slow the limiter down). */
  after(error: WhatsAppApiError): Promise<void>;
}

export interface TransportConfig {
  accessToken: string;
  baseUrl: string;
  timeoutMs: number;
  retry: RetrySettings;
  dispatcher?: Dispatcher;
  /** Injected in tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
  /** Spans and metrics of every call (docs/observability.md). */
  telemetry?: Telemetry;
}

export interface StreamedAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const key in query) {
    const value = query[key];
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Meta's error bodies are well under 1 kB; a larger one is not parsed (nor scanned for the token). */
const MAX_ERROR_BODY_BYTES = 32 * 1024;

/** The error body as text, or undefined (and the stream destroyed) when it exceeds the cap. */
async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_ERROR_BODY_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function asGraphError(parsed: unknown): GraphErrorBody | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const error = (parsed as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as GraphErrorBody) : undefined;
}

/**
 * The error answer's top-level fields beside `error`, when it has any: Meta's Block Users API
 * answers a partial failure with HTTP 400, `error` 139100 and the per-user `block_users` lists.
 */
function siblingsOfError(parsed: unknown): Record<string, unknown> | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { error: _error, ...rest } = parsed as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * HTTP to the Graph API over one keep-alive undici dispatcher: bearer auth, User-Agent, per-request
 * timeouts, JSON and multipart bodies, error mapping and the retry loop. The access token lives in a
 * private field, so it never shows in `util.inspect`, logs or errors.
 */
export class GraphTransport {
  readonly #logger = new Logger('WhatsAppService');
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #retry: RetrySettings;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<unknown>;
  /** Scrubs the token from error answers; holds it in a private field. */
  readonly #redactor: TokenRedactor;
  /** Headers are built once: the hot path only picks one of these objects. */
  readonly #getHeaders: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #telemetry: Telemetry;
  #closed = false;

  constructor(config: TransportConfig) {
    this.#origin = new URL(config.baseUrl).origin;
    this.#timeoutMs = config.timeoutMs;
    this.#retry = config.retry;
    this.#random = config.random ?? Math.random;
    this.#sleep = config.sleep ?? sleepMs;
    this.#telemetry = config.telemetry ?? Telemetry.NOOP;
    this.#ownsDispatcher = config.dispatcher === undefined;
    // An Agent, not a Pool: media downloads go to other hosts than the Graph API.
    this.#dispatcher =
      config.dispatcher ??
      new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: 10_000 } });
    this.#redactor = new TokenRedactor(config.accessToken);
    this.#getHeaders = {
      authorization: `Bearer ${config.accessToken}`,
      'user-agent': `${PACKAGE_NAME}/${PACKAGE_VERSION}`,
      accept: 'application/json',
    };
    this.#jsonHeaders = { ...this.#getHeaders, 'content-type': 'application/json' };
  }

  get origin(): string {
    return this.#origin;
  }

  /** Sends a call and parses the JSON answer; throws WhatsAppApiError / WhatsAppNetworkError. */
  async json<T>(call: GraphCall): Promise<T> {
    const answer = await this.#execute(call);
    const text = await answer.body.text();
    return (text.length > 0 ? JSON.parse(text) : {}) as T;
  }

  /** Sends a call and hands back the streamed body of a 2xx answer (the caller consumes it). */
  stream(call: GraphCall): Promise<StreamedAnswer> {
    return this.#execute(call);
  }

  async close(): Promise<void> {
    if (this.#closed || !this.#ownsDispatcher) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }

  #execute(call: GraphCall): Promise<StreamedAnswer> {
    const probe = this.#telemetry.graphProbe(call.method, call.origin ?? this.#origin, call.path);
    return probe === undefined ? this.#send(call) : probe.run(() => this.#send(call, probe));
  }

  async #send(call: GraphCall, probe?: GraphProbe): Promise<StreamedAnswer> {
    const idempotent = call.idempotent ?? call.method !== 'POST';
    const path = call.path + (call.search ?? buildQuery(call.query));
    const body = call.json === undefined ? undefined : JSON.stringify(call.json);
    const headers = this.#headersFor(call, body !== undefined);
    let retriesDone = 0;
    for (;;) {
      let failure: AttemptFailure;
      let error: WhatsAppApiError | WhatsAppNetworkError;
      if (call.throttle) await call.throttle.before();
      try {
        const form = call.form?.();
        const answer = await this.#dispatcher.request({
          origin: call.origin ?? this.#origin,
          path,
          method: call.method,
          headers,
          body: body ?? call.bytes ?? form,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        });
        if (answer.statusCode >= 200 && answer.statusCode < 300) return answer;
        error = await this.#toApiError(answer, call);
        if (call.throttle) await call.throttle.after(error).catch(() => undefined);
        failure = {
          kind: 'response',
          status: error.status,
          retryable: error.retryable,
          notProcessed: !error.outcomeUnknown,
          retryAfterMs: error.retryAfterMs,
          minDelayMs: error.code === 131056 ? pairRateLimitWaitMs(retriesDone) : undefined,
        };
      } catch (thrown) {
        error = toNetworkError(thrown, call.method, call.path);
        failure = { kind: 'network', requestWritten: error.requestWritten };
      }
      const decision = decideRetry({
        retriesDone,
        idempotent,
        replayable: true,
        failure,
        settings: this.#retry,
        random: this.#random,
      });
      error.attempts = retriesDone + 1;
      if (!decision.retry) throw error;
      retriesDone += 1;
      probe?.retried();
      this.#logger.warn(
        `${call.method} ${call.path} failed (${error instanceof WhatsAppApiError ? `HTTP ${error.status}, code ${error.code ?? '-'}` : (error.code ?? 'network')}); retry ${retriesDone}/${this.#retry.maxRetries} in ${decision.delayMs} ms`,
      );
      await this.#sleep(decision.delayMs);
    }
  }

  #headersFor(call: GraphCall, json: boolean): Record<string, string> {
    const headers = json ? this.#jsonHeaders : this.#getHeaders;
    const { accessToken, authScheme } = call;
    if (accessToken === undefined && authScheme === undefined && call.headers === undefined) {
      return headers;
    }
    const token = accessToken ?? headers.authorization.slice('Bearer '.length);
    return {
      ...call.headers,
      ...headers,
      authorization: `${authScheme ?? 'Bearer'} ${token}`,
    };
  }

  async #toApiError(answer: Dispatcher.ResponseData, call: GraphCall): Promise<WhatsAppApiError> {
    const { method, path } = call;
    let parsed: unknown;
    try {
      const text = await readErrorBody(answer.body);
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined; // not JSON (a proxy's HTML page, a CDN error): status only
    }
    // A proxy or a test double could echo the request back: never let the token into an error.
    // Redacted after parsing, so JSON escapes (`\u0045\u0041…`) cannot hide it.
    const graphError = this.#redact(asGraphError(parsed), call) as GraphErrorBody | undefined;
    const response = this.#redact(siblingsOfError(parsed), call) as
      Record<string, unknown> | undefined;
    const code = typeof graphError?.code === 'number' ? graphError.code : undefined;
    const klass = classifyGraphError(answer.statusCode, code, graphError?.is_transient);
    return new WhatsAppApiError({
      status: answer.statusCode,
      method,
      path,
      error: graphError,
      category: klass.category,
      retryable: klass.retryable,
      outcomeUnknown: !provesNotProcessed(answer.statusCode, code, graphError?.is_transient),
      retryAfterMs: parseRetryAfter(answer.headers['retry-after']),
      response,
    });
  }

  /** Tokens and the call's secrets out of a parsed error answer, however deep. */
  #redact(value: unknown, call: GraphCall): unknown {
    if (value === undefined) return undefined;
    let redacted = this.#redactor.redactValue(value);
    // A per-call token (a tenant's) and the call's other secrets get their own redactors, built only
    // here, on an error answer: a successful call allocates none (forAccount is cheap per request).
    if (call.accessToken !== undefined) {
      redacted = new TokenRedactor(call.accessToken).redactValue(redacted);
    }
    for (const secret of call.secrets ?? []) {
      if (secret !== '') redacted = new TokenRedactor(secret).redactValue(redacted);
    }
    return redacted;
  }
}
