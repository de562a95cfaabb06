// Minimal envelope and Meta-escaped serialisation for the sandbox's webhooks.
// TEMPORARY: replaced by the testing kit's builders (lib/testing) once they land.

/** One change of a webhook POST: `{ value, field }`. */
export interface WebhookChange {
  field: string;
  value: Record<string, unknown>;
}

/** Meta's POST body: one entry per business account holding its changes. */
export function webhookEnvelope(
  businessAccountId: string,
  changes: WebhookChange[],
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      { id: businessAccountId, changes: changes.map((c) => ({ value: c.value, field: c.field })) },
    ],
  };
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
