import { WHATSAPP_HANDLER_METADATA } from '../whatsapp.constants.js';
import type { WhatsAppHandlerMetadata } from './handler-metadata.js';

/**
 * Appends one registration to the method's array of handler metadata, so decorators stack.
 * A new array is stored each time: metadata inherited from a parent class is never mutated.
 */
export function addHandlerMetadata(entry: WhatsAppHandlerMetadata): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object | undefined;
    if (typeof method !== 'function') {
      throw new TypeError('WhatsApp handler decorators can only decorate methods');
    }
    const existing = Reflect.getMetadata(WHATSAPP_HANDLER_METADATA, method) as
      readonly WhatsAppHandlerMetadata[] | undefined;
    Reflect.defineMetadata(WHATSAPP_HANDLER_METADATA, [...(existing ?? []), entry], method);
    return descriptor;
  };
}

/** The registrations of a method, in source order (the decorator closest to the method first). */
export function getHandlerMetadata(
  method: unknown,
): readonly WhatsAppHandlerMetadata[] | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(WHATSAPP_HANDLER_METADATA, method) as
    readonly WhatsAppHandlerMetadata[] | undefined;
}

/** Normalises a `type | type[] | undefined` decorator argument, rejecting empty values at decoration time. */
export function toList(
  decorator: string,
  value: string | readonly string[] | undefined,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new TypeError(
      `@${decorator}: expected a non-empty string or a non-empty array of strings`,
    );
  }
  return Object.freeze(list);
}
