import type { WebhookUpdate } from '../types/webhook-update.js';
import {
  ATTR,
  boundedErrorCode,
  boundedField,
  boundedMessageType,
  boundedStatus,
} from './telemetry-names.js';
import type { TelemetryAttributes } from './otel-api.js';

/** `whatsapp.update.type`: the message type, the status, or the event's webhook field (bounded). */
export function updateType(update: WebhookUpdate): string {
  if (update.kind === 'message') return boundedMessageType(update.message?.type);
  if (update.kind === 'status') return boundedStatus(update.status?.status);
  return boundedField(update.origin.field);
}

/** Attributes of a delivery status: the status and, for `failed`, Meta's error code. */
export function deliveryAttributes(
  update: WebhookUpdate & { kind: 'status' },
): TelemetryAttributes {
  const status = update.status;
  const attributes: TelemetryAttributes = { [ATTR.status]: boundedStatus(status?.status) };
  const errors: unknown = status?.errors;
  const code = Array.isArray(errors)
    ? boundedErrorCode((errors[0] as { code?: unknown } | null)?.code)
    : undefined;
  if (code !== undefined) attributes[ATTR.errorCode] = code;
  return attributes;
}
