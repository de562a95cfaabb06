import { randomBytes, randomInt } from 'node:crypto';

/**
 * A message id shaped like Meta's: `wamid.` + base64 of a small record holding the user's number
 * and a random hex key (inbound and outbound ids differ in one marker byte, as in real captures).
 */
export function newWamid(userWaId: string, direction: 'inbound' | 'outbound'): string {
  const key = randomBytes(direction === 'inbound' ? 10 : 9)
    .toString('hex')
    .toUpperCase();
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, userWaId.length]),
    Buffer.from(userWaId, 'ascii'),
    Buffer.from([0x15, 0x02, 0x00, direction === 'inbound' ? 0x12 : 0x11, 0x18, key.length]),
    Buffer.from(key, 'ascii'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${bytes.toString('base64')}`;
}

/** A numeric Graph object id (media, templates), 15 digits like Meta's. */
export function newNumericId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e14)).padStart(14, '0')}`;
}

/** A trace id like `fbtrace_id` in Meta's errors. */
export function newTraceId(): string {
  return randomBytes(16).toString('base64url').slice(0, 23);
}

/** Unix seconds, as a string, the way webhooks carry timestamps. */
export function unixSeconds(date = Date.now()): string {
  return String(Math.floor(date / 1000));
}
