import type { FactoryProvider } from '@nestjs/common';
import type { WhatsAppModuleOptions } from '../options/whatsapp-options.interface.js';
import { WHATSAPP_MODULE_OPTIONS } from '../whatsapp.module-definition.js';
import { Telemetry, WHATSAPP_TELEMETRY } from './telemetry.js';

/** The module instance's `Telemetry`: `@opentelemetry/api` imported once at startup when installed. */
export const TELEMETRY_PROVIDER: FactoryProvider<Promise<Telemetry>> = {
  provide: WHATSAPP_TELEMETRY,
  useFactory: (options: WhatsAppModuleOptions) => Telemetry.create(options.telemetry),
  inject: [WHATSAPP_MODULE_OPTIONS],
};
