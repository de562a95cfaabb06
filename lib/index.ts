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
export type { GraphApi } from './client/graph/graph-api.js';
export type {
  WhatsAppAccountClient,
  WhatsAppAccountCredentials,
} from './client/whatsapp-account-client.js';
export type { ProfileApi } from './client/namespaces/profile.api.js';
export type { PhoneNumbersApi } from './client/namespaces/phone-numbers.api.js';
export type { QrCodesApi } from './client/namespaces/qr-codes.api.js';
export type { BlockedUsersApi } from './client/namespaces/blocked-users.api.js';
export type { SubscriptionsApi } from './client/namespaces/subscriptions.api.js';
export type { UploadsApi } from './client/namespaces/uploads.api.js';
export type { EmbeddedSignupApi } from './client/namespaces/embedded-signup.api.js';
export { WhatsAppApiError, type GraphErrorBody } from './errors/whatsapp-api.error.js';
export { WhatsAppValidationError } from './errors/whatsapp-validation.error.js';
export { WhatsAppNetworkError } from './errors/whatsapp-network.error.js';
export {
  classifyGraphError,
  GRAPH_ERROR_CODES,
  type GraphErrorCategory,
  type GraphErrorClass,
} from './errors/graph-error-classification.js';
export { MEDIA_MIME_LIMITS } from './client/validation/media-limits.js';
export type * from './types/outgoing/index.js';
export type { DedupeClaim, DedupeStore } from './types/ports/dedupe-store.js';
export {
  DedupeStoreUnavailableError,
  isDedupeStoreUnavailable,
} from './webhook/5-dedupe/dedupe-store-unavailable.error.js';
export type { OutboundLimiter, OutboundSend } from './types/ports/outbound-limiter.js';
export type {
  UpdateQueue,
  CompletionStore,
  QueuedUpdateProcessor,
} from './types/ports/update-queue.js';
export { QueuedUpdateFailedError } from './webhook/3-queue/update-queue-workers.js';
export type { HandlerErrorInfo } from './types/ports/handler-error-info.js';
export type * from './types/webhook/index.js';
export { messageTypeOf } from './types/webhook/index.js';
export type { UpdateOrigin, WebhookUpdate } from './types/webhook-update.js';
export { OnWhatsAppMessage } from './handlers/on-whatsapp-message.decorator.js';
export { OnWhatsAppStatus } from './handlers/on-whatsapp-status.decorator.js';
export { OnWhatsAppEvent } from './handlers/on-whatsapp-event.decorator.js';
export { WaPayload, WaContext } from './handlers/whatsapp-params.decorators.js';
export type {
  WhatsAppHandlerOptions,
  WhatsAppMessageHandlerOptions,
  WhatsAppHandlerMetadata,
} from './handlers/handler-metadata.js';
export { WhatsAppContext, type WhatsAppContact } from './handlers/whatsapp-context.js';
export type { WhatsAppReply, WhatsAppReplies } from './handlers/handler-replies.js';
export type { ReplyIdFilter } from './handlers/reply-id.js';
export {
  WHATSAPP_CONTEXT_TYPE,
  WhatsAppHandlerRegistrationError,
} from './handlers/handler-explorer.js';
export {
  WhatsAppWebhookService,
  type WebhookAck,
} from './webhook/1-http/whatsapp-webhook.service.js';
export { WhatsAppSignatureGuard } from './webhook/1-http/whatsapp-signature.guard.js';
export { verifyWebhookSignature } from './webhook/1-http/verify-signature.js';
export { WEBHOOK_MAX_BODY_BYTES } from './webhook/1-http/signed-body/webhook-signed-body.js';
export {
  MemoryMessageStore,
  type MemoryMessageStoreOptions,
} from './store/memory-message-store.js';
export {
  statusRank,
  type MessageStore,
  type MessageStoreUnavailableBehaviour,
  type StoredMessage,
  type StoredMessageStatus,
  type StatusEvent,
  type MessageWithStatuses,
  type HistoryQuery,
  type HistoryPage,
  type MessagesQuery,
  type InboundFacts,
  type ReplyClaim,
  type IncomingRecord,
  type StatusRecord,
  type AnnotationRecord,
  type WebhookRecordBatch,
  type OutgoingRecord,
  type SendOutcome,
} from './types/ports/message-store.js';
export {
  conversationState,
  SERVICE_WINDOW_MS,
  AD_ENTRY_WINDOW_MS,
  type ConversationState,
} from './store/conversation-state.js';
export { WhatsAppOutsideWindowError, MessageStoreUnavailableError } from './store/store-errors.js';
export type { OutsideWindowBehaviour } from './store/send-recorder.js';
export type { InDoubtReplies } from './handlers/store/reply-ledger.js';
// Groups and Calling (issue 13)
export type { GroupsApi } from './client/namespaces/groups.api.js';
export type { CallsApi } from './client/namespaces/calls.api.js';
export { OnWhatsAppCall } from './handlers/on-whatsapp-call.decorator.js';
export {
  WhatsAppCallContext,
  type WhatsAppContextCallsApi,
} from './handlers/whatsapp-call-context.js';
export type {
  OpenTelemetryApi,
  WhatsAppTelemetryOptions,
} from './types/ports/open-telemetry-api.js';
export type { UpdateQueueStats } from './types/ports/update-queue.js';
export {
  OnWhatsAppFlow,
  type WhatsAppFlowHandlerOptions,
} from './flows/on-whatsapp-flow.decorator.js';
export { WhatsAppFlowTokenExpiredError } from './errors/whatsapp-flow-token-expired.error.js';
export {
  flowScreen,
  flowCompletion,
  flowErrorMessage,
  type WhatsAppFlowAction,
  type WhatsAppFlowRequest,
  type WhatsAppFlowResponse,
  type WhatsAppFlowScreenResponse,
  type WhatsAppFlowCompletion,
  type WhatsAppFlowContext,
} from './flows/flow-types.js';
export type { WhatsAppFlowsOptions } from './flows/flow-endpoint-config.js';
export type { FlowsApi } from './client/namespaces/flows.api.js';
export type * from './types/outgoing/flow-management.js';
export { flowReplyOf, type WhatsAppFlowReply } from './flows/flow-reply.js';
