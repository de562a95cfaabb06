import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import type { OutgoingMessage } from '../types/outgoing/outgoing-message.js';
import { WHATSAPP_DEDUPE_STORE, WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import type { DedupeStore } from '../webhook/dedupe/dedupe-store.js';
import { isDedupeStoreUnavailable } from '../webhook/dedupe/dedupe-store-unavailable.error.js';
import type { WebhookUpdate } from '../webhook/webhook-update.js';
import type { HandlerErrorInfo } from './handler-error-info.js';
import type { UpdateMatcher } from './handler-matcher.js';
import { HandlerRegistry, type RegisteredHandler } from './handler-registry.js';
import { WhatsAppContext, type WhatsAppContextMessagesApi } from './whatsapp-context.js';

/** What a dispatch did: failed handler calls, and whether it stopped because the store was unreachable. */
export interface DispatchResult {
  failures: number;
  storeUnavailable: boolean;
}

const UNAVAILABLE = Symbol('store-unavailable');

/** Injection token of the client calls the context helpers use (`WhatsAppService.messages`). */
export const WHATSAPP_CONTEXT_MESSAGES = Symbol('WHATSAPP_CONTEXT_MESSAGES');

/** A handler's return value that is sent as a reply: a text, or an outgoing message object. */
function isReply(value: unknown): value is string | OutgoingMessage {
  return (
    (typeof value === 'string' && value.length > 0) ||
    (value !== null &&
      typeof value === 'object' &&
      typeof (value as { type?: unknown }).type === 'string')
  );
}

function anyMatches(matchers: readonly UpdateMatcher[], update: WebhookUpdate): boolean {
  for (let i = 0; i < matchers.length; i++) if (matchers[i](update)) return true;
  return false;
}

/**
 * Runs the handlers of a batch: every update in order, each matching handler once per update.
 * Each call is isolated (a failure is logged, reported and counted, the rest goes on) and claimed
 * per (update, handler) in the de-duplication store, so a redelivery runs only what failed.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly ttlMs: number;

  constructor(
    private readonly registry: HandlerRegistry,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
    @Inject(WHATSAPP_DEDUPE_STORE) private readonly store: DedupeStore | null,
    @Inject(WHATSAPP_CONTEXT_MESSAGES) private readonly messages: WhatsAppContextMessagesApi,
  ) {
    this.ttlMs = options.dedupe === false ? 0 : options.dedupe.ttlMs;
  }

  /** Runs every update's handlers; never rejects. */
  async dispatch(updates: readonly WebhookUpdate[]): Promise<DispatchResult> {
    let failures = 0;
    for (const update of updates) {
      const entries = this.registry.forKind(update.kind);
      let context: WhatsAppContext | undefined;
      for (const entry of entries) {
        if (!anyMatches(entry.matchers, update)) continue;
        context ??= new WhatsAppContext(update, this.messages);
        const outcome = await this.run(entry.handler, update, context);
        if (outcome === UNAVAILABLE) {
          // Nothing can be claimed safely: stop here; what ran is claimed, Meta redelivers the rest.
          return { failures, storeUnavailable: true };
        }
        if (!outcome) failures++;
      }
    }
    return { failures, storeUnavailable: false };
  }

  /** One isolated handler call; resolves `false` when it failed. */
  private async run(
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
  ): Promise<boolean | typeof UNAVAILABLE> {
    const store = this.store;
    const claimKey = store === null ? '' : `${update.key}|${handler.id}`;
    try {
      if (store !== null && !(await store.claim(claimKey, this.ttlMs))) return true;
    } catch (error) {
      if (isDedupeStoreUnavailable(error)) {
        this.logger.warn(
          `De-duplication store unavailable (${error.message}): the delivery is refused so Meta redelivers it later`,
        );
        return UNAVAILABLE;
      }
      // Without a claim we cannot know whether it ran: fail, so Meta redelivers.
      await this.report(
        error,
        handler,
        update,
        'could not claim the update in the de-duplication store',
      );
      return false;
    }
    try {
      const result = await handler.invoke(context.payload, context);
      if (update.kind === 'message' && isReply(result)) await context.reply(result);
      return true;
    } catch (error) {
      // A guard said no: the handler is not for this update, and a redelivery would not change that.
      if (error instanceof ForbiddenException) {
        this.logger.debug(`WhatsApp handler ${handler.id} refused ${update.key} (guard)`);
        return true;
      }
      if (store !== null) {
        // Wrapped: a store that throws synchronously must not break the rest of the batch.
        await Promise.resolve()
          .then(() => store.release(claimKey))
          .catch((releaseError: unknown) => {
            this.logger.error(
              `Could not release the claim of ${handler.id} on ${update.key}; Meta's redelivery will skip it`,
              releaseError instanceof Error ? releaseError.stack : undefined,
            );
          });
      }
      await this.report(error, handler, update, 'failed');
      return false;
    }
  }

  /** Logs with the stack, the handler and the update id (never the body), then calls `onHandlerError`. */
  private async report(
    error: unknown,
    handler: RegisteredHandler,
    update: WebhookUpdate,
    what: string,
  ): Promise<void> {
    const info: HandlerErrorInfo = {
      handler: handler.id,
      field: update.origin.field,
      kind: update.kind,
      updateId: update.key,
      phoneNumberId: update.origin.phoneNumberId,
    };
    this.logger.error(
      `WhatsApp handler ${handler.id} ${what} on ${update.key} (field ${info.field})`,
      error instanceof Error ? error.stack : `thrown value of type ${typeof error}`,
    );
    const hook = this.options.onHandlerError;
    if (hook === undefined) return;
    try {
      await hook(error, info);
    } catch (hookError) {
      this.logger.error(
        'onHandlerError threw',
        hookError instanceof Error ? hookError.stack : `thrown value of type ${typeof hookError}`,
      );
    }
  }
}
