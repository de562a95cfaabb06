// The webhook work a user writes by hand without the module (limit and nest-manual subjects):
// HMAC-SHA256 over the raw bytes compared with timingSafeEqual, then every entry, change, message
// and status to a handler.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signatureMatches(raw, header, secret) {
  if (typeof header !== 'string' || !header.startsWith('sha256=') || raw === undefined)
    return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function forEachUpdate(body, handler) {
  if (body === null || typeof body !== 'object' || !Array.isArray(body.entry)) return;
  for (const entry of body.entry) {
    if (!Array.isArray(entry?.changes)) continue;
    for (const change of entry.changes) {
      const value = change?.value;
      if (value === null || typeof value !== 'object') continue;
      if (Array.isArray(value.messages)) for (const message of value.messages) handler(message);
      if (Array.isArray(value.statuses)) for (const status of value.statuses) handler(status);
    }
  }
}
