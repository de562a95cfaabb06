// Minimal envelope and Meta-escaped serialisation for the sandbox's webhooks.
// TEMPORARY: replaced by the testing kit's builders (lib/testing) once they land.

/** One change of a webhook POST: `{ value, field }`. */
export interface WebhookChange {
  field: string;
  value: Record<string, unknown>;
}

/**
 * Meta's POST body. Changes of the `messages` field go in one entry; other fields (template events, …)
 * in a second entry carrying `time`, as in Meta's captures of those events.
 */
export function webhookEnvelope(
  businessAccountId: string,
  changes: WebhookChange[],
  now = Date.now(),
): Record<string, unknown> {
  const messages = changes.filter((c) => c.field === 'messages');
  const others = changes.filter((c) => c.field !== 'messages');
  const entry: Array<Record<string, unknown>> = [];
  const toJson = (c: WebhookChange) => ({ value: c.value, field: c.field });
  if (messages.length > 0) entry.push({ id: businessAccountId, changes: messages.map(toJson) });
  if (others.length > 0) {
    entry.push({
      id: businessAccountId,
      time: Math.floor(now / 1000),
      changes: others.map(toJson),
    });
  }
  return { object: 'whatsapp_business_account', entry };
}

/**
 * The exact bytes Meta sends: compact JSON with non-ASCII written as lowercase `\uXXXX` and `/` as `\/`.
 * Both escapes only ever occur inside JSON strings, so replacing over the whole text is safe.
 */
export function toMetaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}
