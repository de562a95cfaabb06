/** A health check that takes longer than this is down (a Kubernetes probe waits ~1 s by default). */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

/** Rejects with `timed out after N ms` when `work` is slower than `ms`. */
export function withHealthTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A short, secret-free description of a failure: its name and first line, 200 characters at most. */
export function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  return `${error.name}: ${error.message.split('\n', 1)[0]}`.slice(0, 200);
}

/** Something that answers a PING: a `DedupeStore`/`MessageStore` with `ping()` or an ioredis `client`. */
export function pingOf(target: unknown): (() => Promise<unknown>) | undefined {
  if (target === null || typeof target !== 'object') return undefined;
  const own = target as { ping?: unknown; client?: { ping?: unknown } };
  if (typeof own.ping === 'function') return () => (own.ping as () => Promise<unknown>).call(own);
  const client = own.client;
  if (client !== undefined && typeof client?.ping === 'function') {
    return () => (client.ping as () => Promise<unknown>).call(client);
  }
  return undefined;
}
