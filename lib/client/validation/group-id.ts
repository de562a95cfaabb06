import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/**
 * Group ids are URL-safe base64-like strings (`Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD`
 * in Meta's docs). In a URL path only letters, digits, `_` and `-` are allowed, as for every Graph
 * id (the path guard of `graph.request` refuses anything else), so no `/`, `?`, `#`, `%` or `..`
 * can point a call at another Graph path. In a message body (`to` of a group send) the check is
 * looser (message-validation.ts).
 */
const GROUP_PATH_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function groupPathId(value: unknown, field = 'groupId'): string {
  if (typeof value !== 'string' || !GROUP_PATH_ID.test(value)) {
    throw new WhatsAppValidationError(
      field,
      value === undefined ? 'is required' : 'must be a group id (letters, digits, "_" or "-")',
    );
  }
  return value;
}
