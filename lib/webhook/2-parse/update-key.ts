import { createHash } from 'node:crypto';

/** Longest id part kept as is in a de-duplication key; real wamids are ~60 characters. */
export const MAX_KEY_PART = 128;

/** Marks a hashed id part; no wamid, status or webhook field starts with it. */
const HASHED = 'sha256:';

/**
 * A de-duplication key with bounded bytes: `prefix` + the id part as is when it is at most
 * MAX_KEY_PART characters (every real wamid: those keys are unchanged), else + `sha256:` and the
 * SHA-256 (base64url) of it. A signed body may carry a 1 MB message id; the key of that update is
 * remembered for days in a de-duplication store and appears in logs, so it must not keep 1 MB alive.
 */
export function updateKey(prefix: string, part: string): string {
  if (part.length <= MAX_KEY_PART) return prefix + part;
  return prefix + HASHED + createHash('sha256').update(part).digest('base64url');
}
