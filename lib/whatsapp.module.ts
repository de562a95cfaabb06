import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WhatsAppService } from './client/whatsapp.service.js';
import { resolveWhatsAppOptions } from './options/resolve-options.js';
import type { WhatsAppModuleOptions } from './options/whatsapp-options.interface.js';
import {
  WHATSAPP_DEDUPE_STORE,
  WHATSAPP_OPTIONS,
  WHATSAPP_WEBHOOK_PATH,
} from './whatsapp.constants.js';
import { ConfigurableModuleClass, WHATSAPP_MODULE_OPTIONS } from './whatsapp.module-definition.js';
import { WEBHOOK_PROVIDERS } from './webhook/webhook.providers.js';
import { UpdateQueueWorkers } from './webhook/3-queue/update-queue-workers.js';
import { WhatsAppWebhookService } from './webhook/1-http/whatsapp-webhook.service.js';
import { TELEMETRY_PROVIDER } from './telemetry/telemetry.provider.js';
import { FLOW_PROVIDERS } from './flows/flow.providers.js';

/**
 * The WhatsApp Cloud API module: `WhatsAppModule.forRoot({...})` or `forRootAsync({...})`.
 * Wiring only; every provider is created per module instance, so two imports (or two apps in one
 * process) never share a connection pool, a de-duplication store or handlers by accident.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: WHATSAPP_OPTIONS,
      useFactory: (options: WhatsAppModuleOptions, webhookPath: string | false) =>
        resolveWhatsAppOptions(options, webhookPath),
      inject: [WHATSAPP_MODULE_OPTIONS, WHATSAPP_WEBHOOK_PATH],
    },
    TELEMETRY_PROVIDER,
    WhatsAppService,
    ...WEBHOOK_PROVIDERS,
    UpdateQueueWorkers,
    ...FLOW_PROVIDERS,
  ],
  // The de-duplication store too, for the health indicator (nestjs-whatsapp-cloud/health).
  exports: [WhatsAppService, WHATSAPP_OPTIONS, WhatsAppWebhookService, WHATSAPP_DEDUPE_STORE],
})
export class WhatsAppModule extends ConfigurableModuleClass {}
