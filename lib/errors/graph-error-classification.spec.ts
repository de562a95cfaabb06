import { describe, expect, it } from '@jest/globals';
import { classifyGraphError, provesNotProcessed } from './graph-error-classification.js';

describe('classifyGraphError', () => {
  it.each([
    [400, 4, true, 'rate-limit'],
    [400, 80007, true, 'rate-limit'],
    [400, 130429, true, 'rate-limit'],
    [400, 131056, true, 'pair-rate-limit'],
    [500, 1, true, 'transient'],
    [503, 2, true, 'transient'],
    [500, 131000, true, 'transient'],
    [503, 131016, true, 'transient'],
    [400, 100, false, 'invalid-request'],
    [401, 190, false, 'auth'],
    [400, 131026, false, 'recipient'],
    [400, 131047, false, 'recipient'],
    [400, 131051, false, 'recipient'],
    [400, 132000, false, 'template'],
    [404, 132001, false, 'template'],
    [400, 132015, false, 'template'],
    [403, 368, false, 'policy'],
    [403, 200, false, 'permission'],
    [403, 10, false, 'permission'],
    [400, 131053, false, 'media'],
  ])('HTTP %i code %i → retryable %s (%s)', (status, code, retryable, category) => {
    expect(classifyGraphError(status, code)).toEqual({ retryable, category });
  });

  it('the code wins over the HTTP status', () => {
    expect(classifyGraphError(500, 131047).retryable).toBe(false);
    expect(classifyGraphError(400, 130429).retryable).toBe(true);
  });

  it('falls back to the status for unknown or missing codes', () => {
    expect(classifyGraphError(429, undefined)).toEqual({ category: 'rate-limit', retryable: true });
    expect(classifyGraphError(502, undefined)).toEqual({ category: 'transient', retryable: true });
    expect(classifyGraphError(503, 999999)).toEqual({ category: 'transient', retryable: true });
    expect(classifyGraphError(400, 999999)).toEqual({ category: 'unknown', retryable: false });
    expect(classifyGraphError(400, 999999, true)).toEqual({
      category: 'transient',
      retryable: true,
    });
    expect(classifyGraphError(401, undefined).category).toBe('auth');
    expect(classifyGraphError(403, undefined).category).toBe('permission');
  });
});

describe('provesNotProcessed (may a send be repeated without a second message?)', () => {
  it.each([
    // Throttling and other specific refusals: checked before a message is accepted.
    [400, 4],
    [400, 17],
    [400, 80007],
    [429, 130429],
    [400, 130429],
    [500, 130429],
    [400, 131048],
    [400, 131056],
    [500, 131057],
    [400, 100],
    [401, 190],
    [400, 131047],
    [404, 132001],
    [403, 200],
    // No code: a 429 or another 4xx is a refusal.
    [429, undefined],
    [400, undefined],
    [404, undefined],
  ])('HTTP %i code %s → not processed', (status, code) => {
    expect(provesNotProcessed(status, code)).toBe(true);
  });

  it.each([
    // A gateway's answer or a generic server error can follow acceptance.
    [500, undefined],
    [502, undefined],
    [503, undefined],
    [504, undefined],
    [504, 1],
    [400, 1],
    [503, 2],
    [500, 131000],
    [503, 131016],
    [503, 133004],
    [500, 999999],
  ])('HTTP %i code %s → outcome unknown', (status, code) => {
    expect(provesNotProcessed(status, code)).toBe(false);
  });

  it('is_transient on an unknown code leaves the outcome unknown, except for 429', () => {
    expect(provesNotProcessed(400, 999999, true)).toBe(false);
    expect(provesNotProcessed(400, 999999, false)).toBe(true);
    expect(provesNotProcessed(429, 999999, true)).toBe(true);
  });
});
