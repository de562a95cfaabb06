import { describe, expect, it } from '@jest/globals';
import { DedupeStoreUnavailableError } from './dedupe-store-unavailable.error.js';
import { CompletionClaims } from './completion-claims.js';
import type { CompletionStore } from '../../types/ports/update-queue.js';

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

  it('a completion store that fails is "unavailable", not a handler failure', async () => {
    const broken: CompletionStore = {
      isDone: () => Promise.reject(new Error('connection reset')),
      markDone: () => Promise.reject(new Error('connection reset')),
    };
    const claims = new CompletionClaims(broken, 1000);
    await expect(claims.claim('u|A')).rejects.toBeInstanceOf(DedupeStoreUnavailableError);
  });

  it('with leases: claims by token, completes and releases only its own, reports "held" as pending', async () => {
    const values = new Map<string, string>();
    const store: CompletionStore = {
      isDone: () => Promise.reject(new Error('not used with leases')),
      markDone: () => Promise.reject(new Error('not used with leases')),
      claim: (key, token) => {
        const value = values.get(key);
        if (value === undefined || value === token) {
          values.set(key, token);
          return Promise.resolve('mine');
        }
        return Promise.resolve(value === 'done' ? 'done' : 'held');
      },
      complete: (key, token) => {
        if (values.get(key) === token) values.set(key, 'done');
        return Promise.resolve();
      },
      release: (key, token) => {
        if (values.get(key) === token) values.delete(key);
        return Promise.resolve();
      },
    };
    const first = new CompletionClaims(store, 1000);
    const second = new CompletionClaims(store, 1000);
    expect(await first.claim('u|A')).toBe(true);
    expect(await second.claim('u|A')).toBe('pending');
    await second.release('u|A'); // not its lease: nothing happens
    expect(values.has('u|A')).toBe(true);
    await first.complete('u|A');
    expect(values.get('u|A')).toBe('done');
    expect(await second.claim('u|A')).toBe(false);
    expect(await first.claim('u|B')).toBe(true);
    await first.release('u|B');
    expect(values.has('u|B')).toBe(false);
  });
});
