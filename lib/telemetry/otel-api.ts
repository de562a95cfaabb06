// The OpenTelemetry API's shape lives with the other ports (lib/types/ports); the stable numbers
// of `SpanKind` and `SpanStatusCode` the probes use live here.
export type * from '../types/ports/open-telemetry-api.js';

/** `SpanKind` and `SpanStatusCode` values (stable numbers of the API). */
export const SPAN_KIND_INTERNAL = 0;
export const SPAN_KIND_CLIENT = 2;
export const SPAN_STATUS_ERROR = 2;
