/**
 * The retry decision as a pure function: no clock, no randomness of its own (both injected), so it
 * is unit-tested exhaustively in retry-policy.spec.ts.
 *
 * Rule for sends (non-idempotent requests): retry only when the failure proves Meta did not process
 * the request: an error answer that says so (`notProcessed`: throttling and other specific refusals,
 * HTTP 429; see `provesNotProcessed`), or a connection that failed before anything was written.
 * A bare 5xx, a generic server error code, or a timeout or reset after the request was written may
 * follow an accepted message (a gateway's 504 after Meta accepted): never retried for a send.
 */
export interface RetrySettings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type AttemptFailure =
  | {
      kind: 'response';
      status: number;
      retryable: boolean;
      /** `Retry-After` of the answer, in ms. */
      retryAfterMs?: number;
      /** A wait the error itself demands before any retry (131056 pair rate limit). */
      minDelayMs?: number;
      /** The answer proves the request was not processed (a specific refusal, HTTP 429). */
      notProcessed: boolean;
    }
  | {
      kind: 'network';
      /** The request (or part of it) may have been written to the socket. */
      requestWritten: boolean;
    };

export interface RetryInput {
  /** Retries already made (0 after the first failed attempt). */
  retriesDone: number;
  /** GET/DELETE: repeating them is harmless. */
  idempotent: boolean;
  /** False when the body cannot be sent again (an upload from a consumed stream). */
  replayable: boolean;
  failure: AttemptFailure;
  settings: RetrySettings;
  /** Uniform in [0, 1), e.g. Math.random. */
  random: () => number;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false;
      reason:
        | 'not-retryable'
        | 'retries-exhausted'
        | 'possibly-accepted'
        | 'wait-exceeds-cap'
        | 'body-not-replayable';
    };

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^n)]. */
export function backoffDelay(
  retriesDone: number,
  settings: RetrySettings,
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retriesDone);
  return Math.floor(random() * ceiling);
}

/** Meta's advice for 131056: wait 4^X seconds before the X-th retry to the same user. */
export function pairRateLimitWaitMs(retriesDone: number): number {
  return 4 ** retriesDone * 1000;
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { failure, settings } = input;
  if (failure.kind === 'response' && !failure.retryable) {
    return { retry: false, reason: 'not-retryable' };
  }
  const possiblyProcessed =
    failure.kind === 'network' ? failure.requestWritten : !failure.notProcessed;
  if (possiblyProcessed && !input.idempotent) {
    return { retry: false, reason: 'possibly-accepted' };
  }
  if (input.retriesDone >= settings.maxRetries)
    return { retry: false, reason: 'retries-exhausted' };
  if (!input.replayable) return { retry: false, reason: 'body-not-replayable' };

  let delayMs = backoffDelay(input.retriesDone, settings, input.random);
  if (failure.kind === 'response') {
    // A server-given wait beats our guess; one longer than the cap is not waited for.
    const floor = Math.max(failure.retryAfterMs ?? 0, failure.minDelayMs ?? 0);
    if (floor > settings.maxDelayMs) return { retry: false, reason: 'wait-exceeds-cap' };
    if (failure.retryAfterMs !== undefined) delayMs = failure.retryAfterMs;
    delayMs = Math.max(delayMs, floor);
  }
  return { retry: true, delayMs };
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into ms; undefined when absent or invalid. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
