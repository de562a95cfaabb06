/** A wait that either settles with its work or expires at its deadline. */
interface Pending {
  readonly deadline: number;
  settled: boolean;
  readonly onExpire: () => void;
}

/**
 * Deadlines that all have the same length, so they expire in the order they were created: one
 * FIFO queue and at most one timer, instead of a `setTimeout` + `clearTimeout` per webhook POST.
 * The timer is only armed from `wait` when none is, and re-armed from its own expiry: under steady
 * load that is about one timer per `timeoutMs`, not one per POST.
 * Waits that settle in time leave the queue from its head as soon as they (and those before them)
 * are done, so under load the queue stays as short as the number of POSTs in flight.
 */
export class AckDeadlines {
  private readonly queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves with `work`'s value mapped by `map`, or with `onTimeout()` when the deadline passes first. */
  wait<W, T>(work: Promise<W>, map: (value: W) => T, onTimeout: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // `map` and `onTimeout` run inside a promise callback and a timer: whatever they throw
      // rejects this wait instead of escaping as an unhandled rejection or an uncaught exception.
      const settle = <V>(fn: (value: V) => T, value: V): void => {
        try {
          resolve(fn(value));
        } catch (error) {
          reject(error as Error);
        }
      };
      const pending: Pending = {
        deadline: this.now() + this.timeoutMs,
        settled: false,
        onExpire: () => settle(onTimeout, undefined),
      };
      this.queue.push(pending);
      this.arm();
      work.then(
        (value) => {
          if (pending.settled) return;
          pending.settled = true;
          this.trim();
          settle(map, value);
        },
        (error: unknown) => {
          if (pending.settled) return;
          pending.settled = true;
          this.trim();
          reject(error);
        },
      );
    });
  }

  /** Waits not yet settled or expired. */
  get pending(): number {
    let count = 0;
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i].settled) count++;
    return count;
  }

  private trim(): void {
    while (this.head < this.queue.length && this.queue[this.head].settled) this.head++;
    if (this.head === this.queue.length) {
      // The timer stays armed: clearing it here meant a setTimeout + clearTimeout per POST whose
      // handlers finish in time (docs/performance.md). When it fires on an empty queue, `expire`
      // does nothing and `arm` leaves it off until the next wait.
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    if (this.timer !== undefined || this.head === this.queue.length) return;
    const delay = Math.max(0, this.queue[this.head].deadline - this.now());
    this.timer = setTimeout(this.onTimer, delay);
    // A waiting POST keeps the process alive by its socket; a timer left armed must not.
    this.timer.unref();
  }

  private readonly onTimer = (): void => this.expire();

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.head < this.queue.length) {
      const pending = this.queue[this.head];
      if (!pending.settled) {
        if (pending.deadline > now) break;
        pending.settled = true;
        pending.onExpire();
      }
      this.head++;
    }
    this.trim();
    this.arm();
  }
}
