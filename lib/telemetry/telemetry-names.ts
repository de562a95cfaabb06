// Every span, metric and attribute name the module emits (docs/observability.md lists them with
// their meaning). HTTP client names follow OpenTelemetry's semantic conventions; the rest live in
// the `whatsapp.` namespace.

export const INSTRUMENTATION_SCOPE = 'nestjs-whatsapp-cloud';

export const SPAN = {
  webhook: 'whatsapp.webhook.receive',
  handler: 'whatsapp.handler',
} as const;

export const METRIC = {
  webhookRequests: 'whatsapp.webhook.requests',
  updatesReceived: 'whatsapp.updates.received',
  updatesMalformed: 'whatsapp.updates.malformed',
  updatesHandled: 'whatsapp.updates.handled',
  updatesFailed: 'whatsapp.updates.failed',
  updatesDeduplicated: 'whatsapp.updates.deduplicated',
  handlerDuration: 'whatsapp.handler.duration',
  deliveryStatuses: 'whatsapp.delivery.statuses',
  graphDuration: 'whatsapp.graph.request.duration',
  graphErrors: 'whatsapp.graph.request.errors',
  rateLimitWaitDuration: 'whatsapp.ratelimit.wait.duration',
  queueDepth: 'whatsapp.queue.depth',
  queueAge: 'whatsapp.queue.oldest_age',
} as const;

export const ATTR = {
  // OpenTelemetry semantic conventions (HTTP client, errors)
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  httpResendCount: 'http.request.resend_count',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  // The module's own
  updates: 'whatsapp.webhook.updates',
  malformed: 'whatsapp.webhook.malformed_items',
  ack: 'whatsapp.webhook.ack',
  handlerId: 'whatsapp.handler.id',
  outcome: 'whatsapp.handler.outcome',
  kind: 'whatsapp.update.kind',
  type: 'whatsapp.update.type',
  status: 'whatsapp.message.status',
  errorCode: 'whatsapp.error.code',
  graphErrorCode: 'whatsapp.graph.error_code',
  graphErrorSubcode: 'whatsapp.graph.error_subcode',
  queueState: 'whatsapp.queue.state',
  rateLimitOutcome: 'whatsapp.ratelimit.outcome',
} as const;

/** Seconds, OpenTelemetry's unit of durations; buckets for handlers and Graph calls (5 ms to 60 s). */
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

// Attribute values from a signed body are bounded: a value outside these sets is reported as
// `other`, so a payload cannot create unbounded metric series.
const MESSAGE_TYPES = new Set([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'request_welcome',
  'unsupported',
  'unknown',
  'ephemeral',
]);
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'deleted', 'warning', 'played']);
const FIELD = /^[a-z][a-z_]{0,63}$/;

export function boundedMessageType(type: unknown): string {
  return typeof type === 'string' && MESSAGE_TYPES.has(type) ? type : 'other';
}

export function boundedStatus(status: unknown): string {
  return typeof status === 'string' && STATUSES.has(status) ? status : 'other';
}

/** Meta's webhook field names (`messages`, `message_template_status_update`, ...). */
export function boundedField(field: unknown): string {
  return typeof field === 'string' && FIELD.test(field) ? field : 'other';
}

/** Meta's error codes are positive integers below 10^7 (131047, 130429, ...). */
export function boundedErrorCode(code: unknown): number | undefined {
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 1e7
    ? code
    : undefined;
}
