// The same suspicion patterns as secure-json-parse (Fastify's JSON parser): a `__proto__` key, or a
// `constructor` key, spelled with or without \u escapes. In valid JSON a quoted string followed by
// a colon is always a key, so a body that matches neither has no such key and needs no walk.
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

const own = (value: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(value, key);

/**
 * Whether parsed JSON holds a key that Fastify's parser refuses by default (400): an own
 * `__proto__`, or a `constructor` object with an own `prototype`. Express's `JSON.parse` keeps such
 * keys; refusing them on both platforms gives one answer (Meta never sends them), and keeps them
 * away from handlers that might `Object.assign` a payload. `raw` gates the walk, which is iterative
 * (a signed body may nest 1.5 million arrays).
 */
export function hasPrototypeKeys(raw: Buffer, parsed: unknown): boolean {
  const text = raw.toString('latin1');
  if (!SUSPECT_PROTO.test(text) && !SUSPECT_CONSTRUCTOR.test(text)) return false;
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (own(node, '__proto__')) return true;
    const ctor: unknown = own(node, 'constructor')
      ? (node as { constructor: unknown }).constructor
      : undefined;
    if (ctor !== null && typeof ctor === 'object' && own(ctor, 'prototype')) return true;
    for (const value of Object.values(node)) {
      if (value !== null && typeof value === 'object') pending.push(value);
    }
  }
  return false;
}
