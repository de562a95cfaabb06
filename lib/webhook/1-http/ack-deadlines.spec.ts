import { describe, expect, it, jest } from '@jest/globals';
import { AckDeadlines } from './ack-deadlines.js';

function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('AckDeadlines', () => {
  it('maps work that settles before its deadline, and leaves nothing pending', async () => {
    const deadlines = new AckDeadlines(60_000);
    const work = deferred<number>();
    const waiting = deadlines.wait(
      work.promise,
      (n) => `done ${n}`,
      () => 'timeout',
    );
    expect(deadlines.pending).toBe(1);
    work.resolve(3);
    await expect(waiting).resolves.toBe('done 3');
    expect(deadlines.pending).toBe(0);
  });

  it('answers onTimeout for work still running at its deadline, and ignores its later result', async () => {
    const deadlines = new AckDeadlines(1);
    const slow = deferred<number>();
    const fast = deferred<number>();
    const slowWait = deadlines.wait(
      slow.promise,
      () => 'done',
      () => 'timeout',
    );
    const fastWait = deadlines.wait(
      fast.promise,
      () => 'done',
      () => 'timeout',
    );
    fast.resolve(1);
    await expect(fastWait).resolves.toBe('done');
    await expect(slowWait).resolves.toBe('timeout');
    slow.resolve(2);
    await slow.promise;
    expect(deadlines.pending).toBe(0);
  });

  it('passes a rejection through', async () => {
    const deadlines = new AckDeadlines(60_000);
    const work = deferred<number>();
    const waiting = deadlines.wait(
      work.promise,
      () => 'done',
      () => 'timeout',
    );
    work.reject(new Error('x'));
    await expect(waiting).rejects.toThrow('x');
  });

  it('keeps expiring in creation order when works settle out of order', async () => {
    let now = 0;
    const deadlines = new AckDeadlines(1, () => now);
    const works = [deferred<number>(), deferred<number>(), deferred<number>()];
    const waits = works.map((w) =>
      deadlines.wait(
        w.promise,
        () => 'done',
        () => 'timeout',
      ),
    );
    works[1].resolve(1);
    await expect(waits[1]).resolves.toBe('done');
    expect(deadlines.pending).toBe(2);
    now = 5; // past every deadline: the armed timer expires both remaining waits
    await expect(Promise.all([waits[0], waits[2]])).resolves.toEqual(['timeout', 'timeout']);
    expect(deadlines.pending).toBe(0);
  });

  it('arms one timer for many waits that settle in time, not one per wait', async () => {
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = jest.spyOn(globalThis, 'clearTimeout');
    try {
      const deadlines = new AckDeadlines(60_000);
      for (let i = 0; i < 50; i++) {
        await deadlines.wait(
          Promise.resolve(i),
          (n) => n,
          () => -1,
        );
      }
      expect(deadlines.pending).toBe(0);
      expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
      expect(clearTimeoutSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
      clearTimeoutSpy.mockRestore();
    }
  });
});

describe('AckDeadlines: a mapping that throws', () => {
  it('rejects the wait (no unhandled rejection) when map throws', async () => {
    const deadlines = new AckDeadlines(60_000);
    const waiting = deadlines.wait(
      Promise.resolve(1),
      () => {
        throw new Error('map');
      },
      () => 'timeout',
    );
    await expect(waiting).rejects.toThrow('map');
    expect(deadlines.pending).toBe(0);
  });

  it('rejects the wait (no uncaught exception in the timer) when onTimeout throws', async () => {
    const deadlines = new AckDeadlines(1);
    const waiting = deadlines.wait(
      new Promise<number>(() => undefined),
      () => 'done',
      () => {
        throw new Error('timeout hook');
      },
    );
    await expect(waiting).rejects.toThrow('timeout hook');
  });
});
