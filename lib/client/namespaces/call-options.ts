import type {
  BusinessAccountCallOptions,
  PhoneNumberCallOptions,
} from '../../types/outgoing/index.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import type { GraphContext } from '../graph-context.js';
import { httpsUrl, isObject } from '../validation/checks.js';
import { requiredId } from '../validation/path-id.js';

/** The number a management call targets (input or default) and its per-call token. */
export function phoneTarget(
  ctx: GraphContext,
  options: PhoneNumberCallOptions | undefined,
  field = 'options',
): { phone: string; accessToken: string | undefined } {
  if (options !== undefined && !isObject(options as unknown)) {
    throw new WhatsAppValidationError(field, 'must be an object');
  }
  return {
    phone: requiredId(options?.phoneNumberId, ctx.phoneNumberId, 'phoneNumberId', 'phoneNumberId'),
    accessToken: options?.accessToken,
  };
}

/** The WABA a call targets (input or default) and its per-call token. */
export function wabaTarget(
  ctx: GraphContext,
  options: BusinessAccountCallOptions | undefined,
  field = 'options',
): { waba: string; accessToken: string | undefined } {
  if (options !== undefined && !isObject(options as unknown)) {
    throw new WhatsAppValidationError(field, 'must be an object');
  }
  return {
    waba: requiredId(
      options?.businessAccountId,
      ctx.businessAccountId,
      'businessAccountId',
      'businessAccountId',
    ),
    accessToken: options?.accessToken,
  };
}

/** A copy of `input` without the per-call option keys: what is left is Meta's body. */
export function metaFields<T extends object>(
  input: T,
  omit: readonly string[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || key === 'phoneNumberId' || key === 'businessAccountId') continue;
    if (key === 'accessToken' || omit.includes(key)) continue;
    body[key] = value;
  }
  return body;
}

/** `'123456'`: exactly six digits (two-step verification PIN). */
export function checkPin(value: unknown, field = 'pin'): string {
  if (typeof value !== 'string' || !/^\d{6}$/.test(value)) {
    throw new WhatsAppValidationError(field, 'must be exactly 6 digits');
  }
  return value;
}

/**
 * A webhook callback URL (`override_callback_uri`, `callback_url`): Meta calls only HTTPS endpoints
 * with a valid certificate, so a plain `http://` URL is refused here rather than by Meta.
 */
export function callbackUrl(value: unknown, field: string): string {
  const url = httpsUrl(value, field);
  if (!/^https:\/\//i.test(url)) {
    throw new WhatsAppValidationError(field, 'must be an https:// URL (Meta calls only HTTPS)');
  }
  return url;
}
