import { Logger, type FactoryProvider } from '@nestjs/common';
import { thrownMessage } from '../4-dispatch/describe-thrown.js';
import { HandlerRegistry } from '../../handlers/handler-registry.js';
import {
  WHATSAPP_CONTEXT_MESSAGES,
  WebhookDispatcher,
  type DispatchResult,
} from '../4-dispatch/webhook-dispatcher.js';
import type { WhatsAppContextMessagesApi } from '../../handlers/whatsapp-context.js';
import {
  WHATSAPP_CONTEXT_CALLS,
  type WhatsAppContextCallsApi,
} from '../../handlers/whatsapp-call-context.js';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_DEDUPE_STORE, WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import type { UpdateQueue } from '../../types/ports/update-queue.js';
import {
  WHATSAPP_MESSAGE_RECORDER,
  type MessageRecorder,
} from '../../handlers/store/message-recorder.js';
import { WHATSAPP_TELEMETRY, type Telemetry } from '../../telemetry/telemetry.js';

/**
 * The webhook side of `processing: 'queue'`: instead of running handlers, a dispatch stores the
 * updates in the durable queue. Stored → the webhook answers 200; not stored (Redis down, timeout)
 * → reported as "store unavailable", the webhook answers 503 and Meta redelivers later.
 */
export class QueueingDispatcher extends WebhookDispatcher {
  private readonly queueLogger = new Logger('WhatsAppUpdateQueue');

  constructor(
    private readonly queue: UpdateQueue,
    ...base: ConstructorParameters<typeof WebhookDispatcher>
  ) {
    super(...base);
  }

  override async dispatch(updates: readonly WebhookUpdate[]): Promise<DispatchResult> {
    try {
      await this.queue.enqueue(updates);
      return { failures: 0, storeUnavailable: false };
    } catch (error) {
      this.queueLogger.warn(
        `Could not enqueue ${updates.length} update(s): ${thrownMessage(error)}; refusing the delivery so Meta redelivers it`,
      );
      return { failures: 0, storeUnavailable: true };
    }
  }
}

/**
 * The `WebhookDispatcher` provider: the queueing one in `processing: 'queue'`, the direct one
 * otherwise (same dependencies either way).
 */
export const WEBHOOK_DISPATCHER_PROVIDER: FactoryProvider<WebhookDispatcher> = {
  provide: WebhookDispatcher,
  useFactory: (
    registry: HandlerRegistry,
    options: ResolvedWhatsAppOptions,
    store: DedupeStore | null,
    messages: WhatsAppContextMessagesApi,
    recorder: MessageRecorder | null,
    calls?: WhatsAppContextCallsApi,
    telemetry?: Telemetry,
  ): WebhookDispatcher =>
    options.processing === 'queue' && options.queue !== undefined
      ? new QueueingDispatcher(
          options.queue,
          registry,
          options,
          store,
          messages,
          recorder,
          calls,
          telemetry,
        )
      : new WebhookDispatcher(registry, options, store, messages, recorder, calls, telemetry),
  inject: [
    HandlerRegistry,
    WHATSAPP_OPTIONS,
    WHATSAPP_DEDUPE_STORE,
    WHATSAPP_CONTEXT_MESSAGES,
    WHATSAPP_MESSAGE_RECORDER,
    { token: WHATSAPP_CONTEXT_CALLS, optional: true },
    { token: WHATSAPP_TELEMETRY, optional: true },
  ],
};
