import type { Provider } from '@nestjs/common';
import { WhatsAppService } from '../client/whatsapp.service.js';
import { HandlerRegistry } from '../handlers/handler-registry.js';
import { WhatsAppHandlerExplorer } from '../handlers/handler-explorer.js';
import {
  CredentialsCache,
  WHATSAPP_CREDENTIALS_CACHE,
} from '../client/credentials/credentials-cache.js';
import { ResolvedContextCalls } from '../client/credentials/resolved-context-calls.js';
import { ResolvedContextMessages } from '../client/credentials/resolved-context-messages.js';
import { WHATSAPP_CONTEXT_MESSAGES } from './4-dispatch/webhook-dispatcher.js';
import type { WhatsAppContextMessagesApi } from '../handlers/whatsapp-context.js';
import {
  WHATSAPP_CONTEXT_CALLS,
  type WhatsAppContextCallsApi,
} from '../handlers/whatsapp-call-context.js';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import { WHATSAPP_DEDUPE_STORE, WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import { BodyLimitWarning } from './1-http/body-limit-warning.js';
import type { DedupeStore } from '../types/ports/dedupe-store.js';
import { createDedupeStore } from './5-dedupe/create-dedupe-store.js';
import { WebhookSignedBody } from './1-http/signed-body/webhook-signed-body.js';
import { WEBHOOK_DISPATCHER_PROVIDER } from './3-queue/queueing-dispatcher.js';
import { WhatsAppWebhookService } from './1-http/whatsapp-webhook.service.js';
import { MessageRecorder, WHATSAPP_MESSAGE_RECORDER } from '../handlers/store/message-recorder.js';

/** The webhook's providers, one set per module instance (no store or handler is shared by accident). */
export const WEBHOOK_PROVIDERS: Provider[] = [
  {
    provide: WHATSAPP_DEDUPE_STORE,
    useFactory: (options: ResolvedWhatsAppOptions): DedupeStore | null =>
      createDedupeStore(options.dedupe),
    inject: [WHATSAPP_OPTIONS],
  },
  {
    // One cache of resolved tokens per module instance, shared by message and call replies.
    provide: WHATSAPP_CREDENTIALS_CACHE,
    useFactory: (options: ResolvedWhatsAppOptions): CredentialsCache | null =>
      options.resolveCredentials === undefined
        ? null
        : new CredentialsCache(
            options.resolveCredentials,
            options.credentialsTtlMs,
            Date.now,
            options.timeoutMs,
          ),
    inject: [WHATSAPP_OPTIONS],
  },
  {
    provide: WHATSAPP_CONTEXT_MESSAGES,
    // With `resolveCredentials`, the context answers with the receiving number's own token.
    useFactory: (
      client: WhatsAppService,
      cache: CredentialsCache | null,
    ): WhatsAppContextMessagesApi =>
      cache === null ? client.messages : new ResolvedContextMessages(client.messages, cache),
    inject: [WhatsAppService, WHATSAPP_CREDENTIALS_CACHE],
  },
  {
    provide: WHATSAPP_MESSAGE_RECORDER,
    useFactory: (options: ResolvedWhatsAppOptions): MessageRecorder | null =>
      options.store === undefined
        ? null
        : new MessageRecorder(options.store, options.inDoubtReplies),
    inject: [WHATSAPP_OPTIONS],
  },
  {
    provide: WHATSAPP_CONTEXT_CALLS,
    // Calls to a tenant's number are answered with that number's token, like its messages.
    useFactory: (
      client: WhatsAppService,
      cache: CredentialsCache | null,
    ): WhatsAppContextCallsApi =>
      cache === null ? client.calls : new ResolvedContextCalls(client.calls, cache),
    inject: [WhatsAppService, WHATSAPP_CREDENTIALS_CACHE],
  },
  HandlerRegistry,
  WhatsAppHandlerExplorer,
  // WebhookDispatcher, or its queueing subclass in processing: 'queue'.
  WEBHOOK_DISPATCHER_PROVIDER,
  WhatsAppWebhookService,
  BodyLimitWarning,
  // Verifies the signature before the body parsers run (401 without parsing).
  WebhookSignedBody,
];
