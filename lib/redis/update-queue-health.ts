/** The shape `@nestjs/terminus` expects from a health indicator (no dependency on it). */
export type HealthIndicatorResult = Record<
  string,
  { status: 'up' | 'down'; [detail: string]: unknown }
>;

/**
 * Thrown by `isHealthy` when the queue is down. `causes` and `isHealthCheckError` are what
 * terminus's `HealthCheckService` reads from a failed indicator, so it reports the details.
 */
export class UpdateQueueHealthError extends Error {
  override readonly name = 'UpdateQueueHealthError';
  readonly isHealthCheckError = true;
  constructor(
    message: string,
    readonly causes: HealthIndicatorResult,
  ) {
    super(message);
  }
}
