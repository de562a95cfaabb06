/** Thrown by `RedisRateLimiter.acquire` when a send would have to wait longer than `maxWaitMs`. */
export class OutboundRateLimitError extends Error {
  override readonly name = 'OutboundRateLimitError';
  constructor(
    readonly limit: 'throughput' | 'pair',
    /** How long the send would have had to wait, in ms. */
    readonly waitMs: number,
  ) {
    super(
      `WhatsApp ${limit === 'pair' ? 'pair rate limit (same user)' : 'throughput limit (phone number)'}: the send would wait ${waitMs} ms, more than maxWaitMs`,
    );
  }
}
