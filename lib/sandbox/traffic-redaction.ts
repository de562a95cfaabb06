/**
 * Secrets the management endpoints carry, hidden from the chat page's traffic panel: the app secret
 * (`oauth/access_token`'s `client_secret`), tokens (`input_token` of `debug_token`, the
 * `access_token` Embedded Signup hands out), two-step PINs and webhook verify tokens.
 */
const SECRET_KEYS = new Set([
  'client_secret',
  'input_token',
  'access_token',
  'pin',
  'verify_token',
]);
const HIDDEN = '[redacted]';

function json(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(json);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, SECRET_KEYS.has(key) ? HIDDEN : json(v)]),
  );
}

function query(params: URLSearchParams): void {
  for (const key of SECRET_KEYS) if (params.has(key)) params.set(key, HIDDEN);
}

/** Copies with secrets replaced (`json`), or the query redacted in place (`query`). */
export const redactTraffic = { json, query };
