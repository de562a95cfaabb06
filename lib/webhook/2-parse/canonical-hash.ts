import { createHash } from 'node:crypto';

/** Past this many JSON nodes the value is not something Meta sends (3 MB bodies); give up instead of looping. */
const MAX_NODES = 5_000_000;
const FLUSH_AT = 1 << 16;

/**
 * SHA-1 (hex) of `value` serialised canonically: JSON with object keys sorted, so two deliveries of
 * one change hash alike whatever their key order or escaping. Iterative (an explicit stack) so a
 * deeply nested body cannot overflow the call stack; returns `undefined` for values that are not
 * JSON (cycles) or too big (more than MAX_NODES nodes). Only used for events, which are rare.
 */
export function canonicalHash(value: unknown): string | undefined {
  const hash = createHash('sha1');
  let buffer = '';
  let nodes = 0;
  // Objects being serialised, to detect cycles (only possible in values that did not come from JSON).
  const open = new Set<object>();
  // Work items: a string is written as is; a `{ v }` box is a value still to serialise;
  // a `{ close }` box ends an array or object.
  const stack: Array<string | { v: unknown } | { close: object; text: string }> = [{ v: value }];
  while (stack.length > 0) {
    const item = stack.pop() as string | { v: unknown } | { close: object; text: string };
    if (typeof item === 'string') {
      buffer += item;
    } else if ('close' in item) {
      open.delete(item.close);
      buffer += item.text;
    } else {
      if (++nodes > MAX_NODES) return undefined;
      const v = item.v;
      if (v === null || typeof v !== 'object') {
        buffer += primitive(v);
      } else if (open.has(v)) {
        return undefined;
      } else if (Array.isArray(v)) {
        open.add(v);
        stack.push({ close: v, text: ']' });
        for (let i = v.length - 1; i >= 0; i--) {
          stack.push({ v: v[i] });
          if (i > 0) stack.push(',');
        }
        buffer += '[';
      } else {
        const record = v as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        open.add(v);
        stack.push({ close: v, text: '}' });
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ v: record[keys[i]] });
          stack.push((i > 0 ? ',' : '') + JSON.stringify(keys[i]) + ':');
        }
        buffer += '{';
      }
    }
    if (buffer.length >= FLUSH_AT) {
      hash.update(buffer);
      buffer = '';
    }
  }
  hash.update(buffer);
  return hash.digest('hex');
}

function primitive(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      // undefined, functions, symbols, bigint: not JSON; hash them as null like JSON.stringify in arrays.
      return 'null';
  }
}
