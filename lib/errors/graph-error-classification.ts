/**
 * What the client does with a Graph API error code. Built from Meta's error-codes page
 * (see docs/errors.md for the sources): classify by `code` first, HTTP status only as a fallback,
 * because Meta answers throttling with HTTP 400, not 429.
 */
export type GraphErrorCategory =
  | 'auth'
  | 'permission'
  | 'invalid-request'
  | 'rate-limit'
  | 'pair-rate-limit'
  | 'transient'
  | 'policy'
  | 'recipient'
  | 'template'
  | 'media'
  | 'unknown';

export interface GraphErrorClass {
  category: GraphErrorCategory;
  retryable: boolean;
}

const RATE_LIMIT: GraphErrorClass = { category: 'rate-limit', retryable: true };
const TRANSIENT: GraphErrorClass = { category: 'transient', retryable: true };
const AUTH: GraphErrorClass = { category: 'auth', retryable: false };
const PERMISSION: GraphErrorClass = { category: 'permission', retryable: false };
const INVALID: GraphErrorClass = { category: 'invalid-request', retryable: false };
const POLICY: GraphErrorClass = { category: 'policy', retryable: false };
const RECIPIENT: GraphErrorClass = { category: 'recipient', retryable: false };
const TEMPLATE: GraphErrorClass = { category: 'template', retryable: false };
const MEDIA: GraphErrorClass = { category: 'media', retryable: false };

/** Graph error codes by class. Codes not listed fall back to the HTTP status (5xx/429 retryable). */
export const GRAPH_ERROR_CODES: ReadonlyMap<number, GraphErrorClass> = new Map<
  number,
  GraphErrorClass
>([
  // Throughput and rate limits: back off and retry.
  [4, RATE_LIMIT], // app API call rate limit
  [17, RATE_LIMIT], // user request limit
  [32, RATE_LIMIT], // page request limit
  [613, RATE_LIMIT], // calls exceeded the rate limit
  [80007, RATE_LIMIT], // WABA rate limit
  [130429, RATE_LIMIT], // Cloud API throughput reached
  // (business, consumer) pair rate limit: retryable only after the 4^X s wait.
  [131056, { category: 'pair-rate-limit', retryable: true }],
  // Transient server-side errors.
  [1, TRANSIENT], // API unknown
  [2, TRANSIENT], // API service
  [131000, TRANSIENT], // something went wrong
  [131016, TRANSIENT], // service unavailable
  [131057, TRANSIENT], // account in maintenance (throughput upgrade)
  [133004, TRANSIENT], // server temporarily unavailable
  // Authentication and permissions: a new token or a grant is needed first.
  [0, AUTH],
  [190, AUTH],
  [102, AUTH],
  [10, PERMISSION],
  [3, PERMISSION],
  // Invalid requests: fix the request.
  [100, INVALID],
  [131008, INVALID], // required parameter missing
  [131009, INVALID], // parameter value not valid
  [131021, INVALID], // recipient cannot be sender
  [131062, INVALID], // BSUID recipient not supported for this message
  [135000, INVALID], // generic user error
  // Policy, integrity and account state.
  [368, POLICY], // temporarily blocked for policy violations
  [130472, POLICY], // user's number is part of an experiment
  [130497, POLICY], // business restricted from messaging users in this country
  [131031, POLICY], // account locked
  [131042, POLICY], // business eligibility payment issue
  [131048, POLICY], // spam rate limit: a quality issue, not a throughput one
  [131049, POLICY], // per-user marketing limit: wait >= 24 h
  [133010, POLICY], // phone number not registered
  // Recipient state.
  [131026, RECIPIENT], // message undeliverable
  [131047, RECIPIENT], // re-engagement: more than 24 h since the user's last message
  [131051, RECIPIENT], // unsupported message type
  [137000, RECIPIENT], // identity key hash mismatch
  // Media.
  [131052, MEDIA], // media download error
  [131053, MEDIA], // media upload error (wrong MIME, too large)
]);

/** Template errors are the whole 132xxx range (params, name/language, paused, disabled, ...). */
function isTemplateCode(code: number): boolean {
  return code >= 132000 && code < 133000;
}

/** Permission codes 200-299. */
function isPermissionCode(code: number): boolean {
  return code >= 200 && code <= 299;
}

/**
 * Classifies an error answer. `code` wins over `status`; without a known code, HTTP 429 and 5xx
 * are retryable and everything else is not. Meta's `is_transient: true` makes an unknown code retryable.
 */
export function classifyGraphError(
  status: number,
  code: number | undefined,
  isTransient?: boolean,
): GraphErrorClass {
  if (code !== undefined) {
    const known = GRAPH_ERROR_CODES.get(code);
    if (known) return known;
    if (isTemplateCode(code)) return TEMPLATE;
    if (isPermissionCode(code)) return PERMISSION;
  }
  if (isTransient === true) return TRANSIENT;
  if (status === 429) return RATE_LIMIT;
  if (status >= 500) return TRANSIENT;
  if (status === 401) return AUTH;
  if (status === 403) return PERMISSION;
  return { category: 'unknown', retryable: false };
}

/**
 * Generic server-side failures ("API unknown", "API service", "something went wrong", "service
 * unavailable"): Meta may answer them after the request was processed, so a send answered with one
 * may have been accepted.
 */
export const GENERIC_SERVER_ERROR_CODES: ReadonlySet<number> = new Set([
  1, 2, 131000, 131016, 133004,
]);

/**
 * Whether an error answer proves that the request was NOT processed, so that a send can be
 * repeated without risking a second message. True for Meta's specific refusals (throttling,
 * 131056, 131057 maintenance, invalid request, auth, policy, recipient, template, media: all
 * checked before a message is accepted), for HTTP 429 and for other 4xx answers. False for a 5xx
 * without a specific code (a gateway's 502/504 can follow acceptance), for the generic server codes
 * above, and for `is_transient` errors of unknown codes.
 */
export function provesNotProcessed(
  status: number,
  code: number | undefined,
  isTransient?: boolean,
): boolean {
  if (code !== undefined) {
    if (GENERIC_SERVER_ERROR_CODES.has(code)) return false;
    if (GRAPH_ERROR_CODES.has(code) || isTemplateCode(code) || isPermissionCode(code)) return true;
  }
  // A rate limiter refuses before the request is handed on.
  if (status === 429) return true;
  if (isTransient === true) return false;
  return status < 500;
}
