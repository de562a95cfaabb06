export { WhatsAppModule } from './whatsapp.module.js';
export type {
  WhatsAppModuleAsyncOptions,
  WhatsAppModuleExtras,
} from './whatsapp.module-definition.js';
export type {
  WhatsAppModuleOptions,
  WhatsAppRetryOptions,
  WhatsAppDedupeOptions,
  WebhookProcessingMode,
} from './options/whatsapp-options.interface.js';
export { WhatsAppConfigError, type ResolvedWhatsAppOptions } from './options/resolve-options.js';
export { WHATSAPP_OPTIONS } from './whatsapp.constants.js';
export { WhatsAppService } from './client/whatsapp.service.js';
export type { DedupeStore } from './webhook/dedupe/dedupe-store.js';
export type { HandlerErrorInfo } from './handlers/handler-error-info.js';
export type * from './types/webhook/index.js';
export { messageTypeOf } from './types/webhook/index.js';
export type { UpdateOrigin, WebhookUpdate } from './webhook/webhook-update.js';
