import { describe, expect, it } from '@jest/globals';
import { classifyGraphError } from './graph-error-classification.js';

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
