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
export {
  WHATSAPP_SERVICE_INTERNALS,
  type WhatsAppServiceInternals,
} from './client/whatsapp.service.js';
export type { MessagesApi } from './client/namespaces/messages.api.js';
export type {
  MediaApi,
  MediaDownload,
  MediaQuery,
  UploadMediaInput,
} from './client/namespaces/media.api.js';
export type { TemplatesApi } from './client/namespaces/templates.api.js';
export type { AccountsApi } from './client/namespaces/accounts.api.js';
export type { BusinessApi } from './client/namespaces/business.api.js';
export { WhatsAppApiError, type GraphErrorBody } from './client/errors/whatsapp-api.error.js';
export { WhatsAppValidationError } from './client/errors/whatsapp-validation.error.js';
export { WhatsAppNetworkError } from './client/errors/whatsapp-network.error.js';
export {
  classifyGraphError,
  GRAPH_ERROR_CODES,
  type GraphErrorCategory,
  type GraphErrorClass,
} from './client/errors/graph-error-classification.js';
export { MEDIA_MIME_LIMITS } from './client/validation/media-limits.js';
export type * from './types/outgoing/index.js';
export type { DedupeStore } from './webhook/dedupe/dedupe-store.js';
export type { HandlerErrorInfo } from './handlers/handler-error-info.js';
export type * from './types/webhook/index.js';
export { messageTypeOf } from './types/webhook/index.js';
export type { UpdateOrigin, WebhookUpdate } from './webhook/webhook-update.js';
