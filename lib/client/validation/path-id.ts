import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/**
 * Graph object ids (phone number, WABA, media, template, business) are digits in practice; letters,
 * `_` and `-` are allowed for test doubles. Nothing else may reach a URL path, so `/`, `..`, `?`,
 * `#`, `%2F` or spaces can never point a call at another Graph path.
 */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function pathId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SAFE_ID.test(value)) {
    throw new WhatsAppValidationError(
      field,
      value === undefined
        ? 'is required'
        : 'must be a Graph object id (letters, digits, "_" or "-", at most 128)',
    );
  }
  return value;
}

/** A default from the module options, or a clear error naming the option to set. */
export function requiredId(
  value: string | undefined,
  fallback: string | undefined,
  field: string,
  option: string,
): string {
  const id = value ?? fallback;
  if (id === undefined) {
    throw new WhatsAppValidationError(
      field,
      `is required: pass "${field}" or set the module option "${option}"`,
    );
  }
  return pathId(id, value === undefined ? option : field);
}
