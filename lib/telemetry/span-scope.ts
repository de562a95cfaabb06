import type { OpenTelemetryApi, OtelSpan } from './otel-api.js';

/** Runs `fn` with `span` as the active span, so spans started inside it (Graph calls) are its children. */
export function runInSpan<T>(
  api: OpenTelemetryApi | undefined,
  span: OtelSpan | undefined,
  fn: () => T,
): T {
  if (span === undefined || api === undefined) return fn();
  return api.context.with(api.trace.setSpan(api.context.active(), span), fn);
}

/** A span that records, or `undefined` (a sampler said no: nothing to set or end). */
export function recording(span: OtelSpan): OtelSpan | undefined {
  if (span.isRecording()) return span;
  span.end();
  return undefined;
}

/** Calls `done` when `result` settles (at once when it is not a promise); returns `result` as is. */
export function onSettled<T>(
  result: T | Promise<T>,
  done: (value: T | undefined, error?: unknown) => void,
): T | Promise<T> {
  if (!(result instanceof Promise)) {
    done(result);
    return result;
  }
  return result.then(
    (value) => {
      done(value);
      return value;
    },
    (error: unknown) => {
      done(undefined, error);
      throw error;
    },
  );
}
