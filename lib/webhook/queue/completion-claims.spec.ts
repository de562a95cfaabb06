import { describe, expect, it } from '@jest/globals';
import { CompletionClaims } from './completion-claims.js';
import type { CompletionStore } from './update-queue.js';

function memoryCompletions(): CompletionStore & { done: Map<string, number> } {
  const done = new Map<string, number>();
  return {
    done,
    isDone: (key) => Promise.resolve(done.has(key)),
    markDone: (key, ttlMs) => {
      done.set(key, ttlMs);
      return Promise.resolve();
    },
  };
}

describe('CompletionClaims', () => {
  it('marks a handler done once the next one is claimed, and the last one on flush', async () => {
    const store = memoryCompletions();
    const claims = new CompletionClaims(store, 1000);
    expect(await claims.claim('u|A')).toBe(true);
    expect(store.done.size).toBe(0); // running: not done yet (a crash now re-runs it)
    expect(await claims.claim('u|B')).toBe(true);
    expect([...store.done]).toEqual([['u|A', 1000]]);
    await claims.flush();
    expect([...store.done.keys()]).toEqual(['u|A', 'u|B']);
  });

  it('never marks a released (failed) handler, and skips handlers already done', async () => {
    const store = memoryCompletions();
    const first = new CompletionClaims(store, 1000);
    await first.claim('u|A');
    await first.claim('u|B');
    await first.release('u|B');
    await first.flush();
    expect([...store.done.keys()]).toEqual(['u|A']);

    const retry = new CompletionClaims(store, 1000);
    expect(await retry.claim('u|A')).toBe(false);
    expect(await retry.claim('u|B')).toBe(true);
    await retry.flush();
    expect([...store.done.keys()]).toEqual(['u|A', 'u|B']);
  });
});
