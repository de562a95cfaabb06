import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/**
 * Plain, allocation-free checks used on the send path. They run before any request and throw a
 * WhatsAppValidationError naming the field (`text.body`, `interactive.action.buttons[1].reply.title`).
 */
export function fail(field: string, reason: string): never {
  throw new WhatsAppValidationError(field, reason);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) fail(field, 'must be an object');
  return value;
}

export function text(value: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (!allowEmpty && value.trim().length === 0) fail(field, 'must not be empty');
  if (value.length > max) fail(field, `must be at most ${max} characters`);
  return value;
}

export function optionalText(value: unknown, field: string, max: number): void {
  if (value !== undefined) text(value, field, max);
}

export function array(value: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  if (value.length < min) fail(field, `must have at least ${min} item${min === 1 ? '' : 's'}`);
  if (value.length > max) fail(field, `must have at most ${max} items`);
  return value;
}

export function number(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'must be a finite number');
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}`);
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function httpsUrl(value: unknown, field: string): string {
  const url = text(value, field, 2048);
  if (!/^https?:\/\/[^\s]+$/i.test(url)) fail(field, 'must be an absolute http(s) URL');
  return url;
}

/** Like `object`, but keeps the caller's static type. */
export function assertObject(value: unknown, field: string): asserts value is object {
  if (!isObject(value)) fail(field, 'must be an object');
}
