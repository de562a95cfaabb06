/**
 * The exact bytes Meta would send for `payload`: compact JSON with every non-ASCII UTF-16 unit
 * written as a lowercase `\uXXXX` escape (emoji as surrogate pairs) and `/` written as `\/`.
 * Sign this string (`signWebhookBody(toMetaJson(p), secret)`) and POST it as is: a signature check
 * that re-serialises `req.body` fails on it, exactly as it would against Meta.
 */
export function toMetaJson(payload: unknown): string {
  const json = JSON.stringify(payload);
  if (json === undefined) throw new TypeError('toMetaJson: the payload is not JSON-serialisable');
  // Both characters only occur inside JSON strings, so replacing over the whole text is safe.
  return json.replace(NEEDS_ESCAPE, escapeUnit);
}

const NEEDS_ESCAPE = /[\u0080-\uffff/]/g;

function escapeUnit(unit: string): string {
  return unit === '/' ? '\\/' : `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
