/** Bounds of `Redis clock - local clock` (ms): the true offset lies in [lo, hi]. */
export interface ClockOffset {
  lo: number;
  hi: number;
}

/** Samples older than this are forgotten (clock drift, a failover to another Redis host). */
const HORIZON_MS = 10_000;

/**
 * What the local monotonic clock reads when Redis's clock (`TIME`) reads a given time, learnt from
 * the round trips of the script calls themselves (no extra command). A reply that carries Redis's
 * time `server`, asked at local `askedAt` and answered at `answeredAt`, was produced in between, so
 * the offset lies in `[server - answeredAt, server - askedAt]`. Intersecting the samples of the last
 * few seconds narrows it to about the fastest round trip seen, whatever the latency of the others.
 * An empty intersection (the Redis clock jumped, another host after a failover) starts over.
 */
export class ServerClock {
  /** The tightest sample of the current and of the previous period of `HORIZON_MS / 2`. */
  private current?: ClockOffset;
  private previous?: ClockOffset;
  private periodStart = -Infinity;

  /** How uncertain the offset is now (ms), `Infinity` before any sample or after the horizon. */
  uncertainty(now: number): number {
    if (this.current === undefined || now - this.periodStart >= HORIZON_MS) return Infinity;
    const bounds = intersect(this.previous, this.current) ?? this.current;
    return bounds.hi - bounds.lo;
  }

  observe(askedAt: number, answeredAt: number, serverMs: number): ClockOffset {
    const sample = { lo: serverMs - answeredAt, hi: serverMs - askedAt };
    if (answeredAt - this.periodStart >= HORIZON_MS / 2) {
      this.previous = this.current;
      this.current = undefined;
      this.periodStart = answeredAt;
    }
    this.current = intersect(this.current, sample) ?? sample;
    const bounds = intersect(this.previous, this.current);
    if (bounds === undefined) this.previous = undefined;
    return bounds ?? this.current;
  }
}

function intersect(a: ClockOffset | undefined, b: ClockOffset): ClockOffset | undefined {
  if (a === undefined) return b;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : undefined;
}
