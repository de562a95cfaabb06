import type { ParamData } from '@nestjs/common';
import type { ParamsFactory } from '@nestjs/core';

/** Metadata key of `@WaPayload()` / `@WaContext()` positions (read once per handler by ExternalContextCreator). */
export const WHATSAPP_PARAMS_METADATA = 'whatsapp:params';

/** Maps a parameter kind to the handler's call arguments `(payload, context)`. */
export class WhatsAppParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, _data: ParamData | undefined, args: unknown[]): unknown {
    return args[type];
  }
}
