/**
 * Defensive reads of a webhook payload: a signed body may hold anything where Meta's docs promise
 * an object or a string, so a read of the wrong type gives `undefined`, never a throw.
 */

/** `value[key]` when `value` is an object, otherwise `undefined`. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** `value` when it is a string, otherwise `undefined`. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
