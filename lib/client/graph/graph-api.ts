import { FormData } from 'undici';
import type {
  GraphFormFile,
  GraphFormValue,
  GraphQueryValue,
  GraphRequestOptions,
} from '../../types/outgoing/graph-request.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import type { AttemptThrottle, GraphCall } from '../http/graph-transport.js';
import type { GraphCaller } from '../http/account-transport.js';
import type { OutboundLimiter, OutboundSend } from '../../types/ports/outbound-limiter.js';
import { isObject } from '../validation/checks.js';
import { checkGraphPath } from '../validation/graph-path.js';
import type { Telemetry } from '../../telemetry/telemetry.js';

const METHODS = new Set(['GET', 'POST', 'DELETE']);
/** A bearer token: visible ASCII only, so it cannot break the header. */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;
/** `/{phone-number-id}/messages`: a message send when its body names a recipient. */
const MESSAGES_EDGE = /^\/[^/]+\/messages$/;

export interface GraphApiConfig {
  /** The module's transport, or an account's (`forAccount`): same agent, another default token. */
  transport: GraphCaller;
  /** `v26.0`, the module's Graph version. */
  apiVersion: string;
  outboundLimiter?: OutboundLimiter;
  /** Times the limiter's waits (`whatsapp.ratelimit.wait.duration`). */
  telemetry?: Telemetry;
}

function queryString(query: Record<string, GraphQueryValue> | undefined): string {
  if (query === undefined) return '';
  if (!isObject(query)) throw new WhatsAppValidationError('query', 'must be an object');
  const params = new URLSearchParams();
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      text = value.join(',');
    } else text = JSON.stringify(value);
    params.append(key, text);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Throws unless `value` can be a bearer token; the value itself is never echoed (a secret). */
export function checkAccessToken(value: unknown, field = 'accessToken'): asserts value is string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new WhatsAppValidationError(field, 'must be a non-empty token of visible ASCII');
  }
}

type FormPart = [name: string, value: string | Blob, filename: string | undefined];

/** One form value as a part; a file is `{ data, filename, contentType? }`. */
function formPart(key: string, value: GraphFormValue): FormPart {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return [key, String(value), undefined];
  }
  if (value instanceof Blob) return [key, value, undefined];
  if (isObject(value) && (value.data instanceof Blob || value.data instanceof Uint8Array)) {
    const { data, filename, contentType } = value as GraphFormFile;
    if (typeof filename !== 'string' || filename === '') {
      throw new WhatsAppValidationError(`form.${key}.filename`, 'must be a non-empty string');
    }
    const type = contentType ?? (data instanceof Blob ? data.type : '');
    const blob = data instanceof Blob && type === data.type ? data : new Blob([data], { type });
    return [key, blob, filename];
  }
  throw new WhatsAppValidationError(
    `form.${key}`,
    'must be a string, number, boolean, Blob or { data, filename }',
  );
}

/** Checks the form once; the returned factory builds a fresh FormData per attempt. */
function formFactory(form: GraphRequestOptions['form']): (() => FormData) | undefined {
  if (form === undefined) return undefined;
  if (!isObject(form)) throw new WhatsAppValidationError('form', 'must be an object');
  const parts: FormPart[] = [];
  for (const key of Object.keys(form)) {
    const value = form[key];
    if (value !== undefined) parts.push(formPart(key, value));
  }
  return () => {
    const data = new FormData();
    for (const [key, value, filename] of parts) {
      if (typeof value === 'string') data.append(key, value);
      else data.append(key, value, filename);
    }
    return data;
  };
}

/**
 * `whatsapp.graph`: any Graph endpoint, and the one way every namespace talks to Graph. Same
 * transport (undici agent, timeouts, WhatsAppApiError, token redaction, retry policy: reads retried,
 * writes only when the answer proves Meta did not process them), the outbound limiter on message
 * sends, and the path guard on every segment.
 */
export class GraphApi {
  readonly #config: GraphApiConfig;

  constructor(config: GraphApiConfig) {
    this.#config = config;
  }

  /** `await whatsapp.graph.request<Profile>({ method: 'GET', path: '/123/whatsapp_business_profile' })` */
  async request<T = unknown>(options: GraphRequestOptions): Promise<T> {
    if (!isObject(options)) throw new WhatsAppValidationError('options', 'must be an object');
    const { method, body, accessToken } = options;
    if (typeof method !== 'string' || !METHODS.has(method)) {
      throw new WhatsAppValidationError('method', 'must be GET, POST or DELETE');
    }
    const checked = checkGraphPath(options.path);
    if (accessToken !== undefined) checkAccessToken(accessToken);
    if (body !== undefined && options.form !== undefined) {
      throw new WhatsAppValidationError(
        'form',
        'give "body" (JSON) or "form" (multipart), not both',
      );
    }
    if (method === 'GET' && (body !== undefined || options.form !== undefined)) {
      throw new WhatsAppValidationError('body', 'is not allowed on GET (use "query")');
    }
    const form = formFactory(options.form);
    const search = queryString(options.query);
    return this.#config.transport.json<T>({
      method,
      path: `/${checked.version ?? this.#config.apiVersion}${checked.path}`,
      search,
      json: body,
      form,
      accessToken,
      throttle: method === 'POST' ? this.#throttleFor(checked.path, body) : undefined,
    });
  }

  /** The same API over another transport (an account's token): same version, same limiter. @internal */
  withTransport(transport: GraphCaller): GraphApi {
    return new GraphApi({ ...this.#config, transport });
  }

  /**
   * A call the path guard cannot express (the Resumable Upload API's `upload:…?sig=…` session ids,
   * raw bodies): the caller builds and checks the path. Same transport, token and redaction.
   * @internal
   */
  rawCall<T>(call: Omit<GraphCall, 'path'> & { path: string }): Promise<T> {
    if (call.accessToken !== undefined) checkAccessToken(call.accessToken);
    return this.#config.transport.json<T>({
      ...call,
      path: `/${this.#config.apiVersion}${call.path}`,
    });
  }

  /** The per-attempt gate of a message send (`POST /{id}/messages` naming a recipient). */
  #throttleFor(path: string, body: unknown): AttemptThrottle | undefined {
    const limiter = this.#config.outboundLimiter;
    if (limiter === undefined || !MESSAGES_EDGE.test(path) || !isObject(body)) return undefined;
    const recipient = body.to ?? body.recipient;
    // A mark-as-read (no recipient) is not a message.
    if (typeof recipient !== 'string') return undefined;
    const send: OutboundSend = { phoneNumberId: path.split('/')[1], recipient };
    return {
      before: () => {
        const wait = limiter.acquire(send);
        return this.#config.telemetry?.timeRateLimit(wait) ?? wait;
      },
      after: async (error) => {
        await limiter.penalize?.(send, error);
      },
    };
  }
}
