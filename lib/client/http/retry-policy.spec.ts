import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  backoffDelay,
  decideRetry,
  pairRateLimitWaitMs,
  parseRetryAfter,
  type AttemptFailure,
  type RetryInput,
} from './retry-policy.js';

const settings = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };
const half = () => 0.5;

function input(failure: AttemptFailure, over: Partial<RetryInput> = {}): RetryInput {
  return {
    retriesDone: 0,
    idempotent: false,
    replayable: true,
    failure,
    settings,
    random: half,
    ...over,
  };
}

// A throttling refusal (e.g. 130429): retryable, and proves the request was not processed.
const retryableAnswer: AttemptFailure = {
  kind: 'response',
  status: 400,
  retryable: true,
  notProcessed: true,
};
// A gateway's 504 (or a 500 with code 131000): retryable class, but it may follow acceptance.
const ambiguousAnswer: AttemptFailure = {
  kind: 'response',
  status: 504,
  retryable: true,
  notProcessed: false,
};
const fatalAnswer: AttemptFailure = {
  kind: 'response',
  status: 400,
  retryable: false,
  notProcessed: true,
};
const refused: AttemptFailure = { kind: 'network', requestWritten: false };
const written: AttemptFailure = { kind: 'network', requestWritten: true };

describe('decideRetry', () => {
  // Every combination of failure × idempotency, first failure, retries left.
  const matrix: Array<[string, AttemptFailure, boolean, boolean | string]> = [
    ['retryable answer, send', retryableAnswer, false, true],
    ['retryable answer, GET', retryableAnswer, true, true],
    ['ambiguous answer (5xx), send', ambiguousAnswer, false, 'possibly-accepted'],
    ['ambiguous answer (5xx), GET', ambiguousAnswer, true, true],
    ['fatal answer, send', fatalAnswer, false, 'not-retryable'],
    ['fatal answer, GET', fatalAnswer, true, 'not-retryable'],
    ['connect failure, send', refused, false, true],
    ['connect failure, GET', refused, true, true],
    ['written then failed, send', written, false, 'possibly-accepted'],
    ['written then failed, GET', written, true, true],
  ];
  it.each(matrix)('%s', (_name, failure, idempotent, expected) => {
    const decision = decideRetry(input(failure, { idempotent }));
    if (expected === true) expect(decision).toEqual({ retry: true, delayMs: 50 });
    else expect(decision).toEqual({ retry: false, reason: expected });
  });

  it('stops after maxRetries', () => {
    expect(decideRetry(input(retryableAnswer, { retriesDone: 2 })).retry).toBe(true);
    expect(decideRetry(input(retryableAnswer, { retriesDone: 3 }))).toEqual({
      retry: false,
      reason: 'retries-exhausted',
    });
  });

  it('never retries when retries are disabled', () => {
    const off = { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 };
    for (const failure of [retryableAnswer, refused, written]) {
      expect(decideRetry(input(failure, { settings: off, idempotent: true })).retry).toBe(false);
    }
  });

  it('does not retry a body that cannot be replayed', () => {
    expect(decideRetry(input(retryableAnswer, { replayable: false }))).toEqual({
      retry: false,
      reason: 'body-not-replayable',
    });
  });

  it('honours Retry-After over the backoff, even when shorter', () => {
    const failure: AttemptFailure = { ...retryableAnswer, retryAfterMs: 7 };
    expect(decideRetry(input(failure))).toEqual({ retry: true, delayMs: 7 });
    expect(decideRetry(input({ ...retryableAnswer, retryAfterMs: 900 }))).toEqual({
      retry: true,
      delayMs: 900,
    });
  });

  it('gives up when Retry-After exceeds the cap', () => {
    expect(decideRetry(input({ ...retryableAnswer, retryAfterMs: 1001 }))).toEqual({
      retry: false,
      reason: 'wait-exceeds-cap',
    });
  });

  it('waits at least the demanded minimum (131056), or gives up when it exceeds the cap', () => {
    const pair = (retriesDone: number): AttemptFailure => ({
      kind: 'response',
      status: 400,
      retryable: true,
      notProcessed: true,
      minDelayMs: pairRateLimitWaitMs(retriesDone),
    });
    const wide = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 20_000 };
    expect(decideRetry(input(pair(0), { settings: wide }))).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(input(pair(1), { settings: wide, retriesDone: 1 }))).toEqual({
      retry: true,
      delayMs: 4000,
    });
    expect(decideRetry(input(pair(0)))).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(input(pair(1), { retriesDone: 1 }))).toEqual({
      retry: false,
      reason: 'wait-exceeds-cap',
    });
  });

  it('property: a send is never retried after a written request or an answer that may follow acceptance; delays stay within [0, cap]', () => {
    fc.assert(
      fc.property(
        fc.record({
          retriesDone: fc.nat(10),
          idempotent: fc.boolean(),
          replayable: fc.boolean(),
          written: fc.boolean(),
          isAnswer: fc.boolean(),
          retryable: fc.boolean(),
          notProcessed: fc.boolean(),
          retryAfterMs: fc.option(fc.nat(5000), { nil: undefined }),
          random: fc.double({ min: 0, max: 0.999999, noNaN: true }),
          maxRetries: fc.nat(5),
          baseDelayMs: fc.nat(2000),
          maxDelayMs: fc.nat(4000),
        }),
        (r) => {
          const failure: AttemptFailure = r.isAnswer
            ? {
                kind: 'response',
                status: 500,
                retryable: r.retryable,
                notProcessed: r.notProcessed,
                retryAfterMs: r.retryAfterMs,
              }
            : { kind: 'network', requestWritten: r.written };
          const d = decideRetry({
            retriesDone: r.retriesDone,
            idempotent: r.idempotent,
            replayable: r.replayable,
            failure,
            settings: r,
            random: () => r.random,
          });
          if (!r.isAnswer && r.written && !r.idempotent) expect(d.retry).toBe(false);
          if (r.isAnswer && !r.retryable) expect(d.retry).toBe(false);
          if (r.isAnswer && !r.notProcessed && !r.idempotent) expect(d.retry).toBe(false);
          if (r.retriesDone >= r.maxRetries || !r.replayable) expect(d.retry).toBe(false);
          if (d.retry) {
            expect(d.delayMs).toBeGreaterThanOrEqual(0);
            expect(d.delayMs).toBeLessThanOrEqual(r.maxDelayMs);
          }
        },
      ),
    );
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with full jitter up to the cap', () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, settings, top)).toBe(99);
    expect(backoffDelay(1, settings, top)).toBe(199);
    expect(backoffDelay(3, settings, top)).toBe(799);
    expect(backoffDelay(4, settings, top)).toBe(999);
    expect(backoffDelay(30, settings, top)).toBe(999);
    expect(backoffDelay(5, settings, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds, fractions, HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.01')).toBe(10);
    expect(parseRetryAfter(['3', '4'])).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
