import { provesNotProcessed, type GraphErrorCategory } from './graph-error-classification.js';

/** Meta's error object as it arrives in a Graph API error answer. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
  error_data?: { messaging_product?: string; details?: string } | string;
}

export interface WhatsAppApiErrorInit {
  status: number;
  method: string;
  /** Graph path without query string, e.g. `/v26.0/123/messages`. Never contains the token. */
  path: string;
  error?: GraphErrorBody;
  category: GraphErrorCategory;
  retryable: boolean;
  /** `Retry-After` of the answer, in ms. */
  retryAfterMs?: number;
  /** How many attempts were made, the failing one included. */
  attempts?: number;
  /** Default: the answer does not prove the request was not processed (`provesNotProcessed`). */
  outcomeUnknown?: boolean;
  /** The answer's top-level fields beside `error` (redacted), when it has any. */
  response?: Record<string, unknown>;
}

/**
 * A Graph API call answered with an error. Carries every field of Meta's error object and whether
 * the client considers it retryable (by Graph error code; see docs/errors.md).
 */
export class WhatsAppApiError extends Error {
  override readonly name = 'WhatsAppApiError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** Graph error code (`error.code`), e.g. 131047. */
  readonly code?: number;
  /** `error.error_subcode`, e.g. 2494010. */
  readonly subcode?: number;
  /** `error.type`, usually `OAuthException`. */
  readonly type?: string;
  /** `error.fbtrace_id`, for Meta support. */
  readonly fbtraceId?: string;
  /** `error.error_data.details`: the useful text. */
  readonly details?: string;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly isTransient?: boolean;
  readonly category: GraphErrorCategory;
  /** The error class is worth retrying later (by code; see docs/errors.md). */
  readonly retryable: boolean;
  /**
   * The answer does not prove that Meta did not process the request (a bare 5xx, a gateway's 504,
   * a generic server error code): a send may have been accepted, so the client did not retry it.
   * Check the status webhooks before sending again. False for Meta's specific refusals and 429.
   */
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs?: number;
  readonly method: string;
  readonly path: string;
  attempts: number;
  /** Meta's error object as received. */
  readonly error?: GraphErrorBody;
  /**
   * The answer's other top-level fields, when it has any beside `error` (tokens redacted). Meta's
   * Block Users API answers a partial failure with HTTP 400, code 139100 and `block_users` here.
   */
  readonly response?: Record<string, unknown>;

  constructor(init: WhatsAppApiErrorInit) {
    const e = init.error;
    const details = typeof e?.error_data === 'object' ? e.error_data.details : e?.error_data;
    const base = e?.message ?? `Graph API answered HTTP ${init.status}`;
    super(
      `${base}${details && !base.includes(details) ? ` (${details})` : ''} [${init.method} ${init.path} -> ${init.status}]`,
    );
    this.status = init.status;
    this.code = e?.code;
    this.subcode = e?.error_subcode;
    this.type = e?.type;
    this.fbtraceId = e?.fbtrace_id;
    this.details = details;
    this.userTitle = e?.error_user_title;
    this.userMessage = e?.error_user_msg;
    this.isTransient = e?.is_transient;
    this.category = init.category;
    this.retryable = init.retryable;
    this.outcomeUnknown =
      init.outcomeUnknown ??
      !provesNotProcessed(
        init.status,
        typeof e?.code === 'number' ? e.code : undefined,
        e?.is_transient === true,
      );
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
    this.error = e;
    this.response = init.response;
  }
}
