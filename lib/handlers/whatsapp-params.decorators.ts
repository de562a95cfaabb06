import { assignMetadata } from '@nestjs/common';
import { WHATSAPP_PARAMS_METADATA } from './whatsapp-params.factory.js';

/** Argument kinds a handler parameter can ask for. */
const WhatsAppParamType = { PAYLOAD: 0, CONTEXT: 1 } as const;

function paramDecorator(
  type: (typeof WhatsAppParamType)[keyof typeof WhatsAppParamType],
): () => ParameterDecorator {
  return () => (target, key, index) => {
    if (key === undefined)
      throw new TypeError('WhatsApp parameter decorators go on handler methods');
    const existing = (Reflect.getMetadata(WHATSAPP_PARAMS_METADATA, target.constructor, key) ??
      {}) as Record<string, unknown>;
    Reflect.defineMetadata(
      WHATSAPP_PARAMS_METADATA,
      assignMetadata(existing, type, index),
      target.constructor,
      key,
    );
  };
}

/**
 * The handler's payload: the message (`@OnWhatsAppMessage`), the status (`@OnWhatsAppStatus`) or
 * the change's value (`@OnWhatsAppEvent`). Named "payload" rather than "message" because one
 * decorator serves the three kinds, and prefixed `Wa` so it never clashes with `@Payload()` of
 * `@nestjs/microservices` in the same file.
 */
export const WaPayload = paramDecorator(WhatsAppParamType.PAYLOAD);

/** The `WhatsAppContext` of the update (`Wa` prefix: `@Context()` is taken by GraphQL). */
export const WaContext = paramDecorator(WhatsAppParamType.CONTEXT);
