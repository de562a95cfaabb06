import { ForbiddenException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_DEDUPE_STORE, WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import { isDedupeStoreUnavailable } from '../5-dedupe/dedupe-store-unavailable.error.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { describeThrown, isInstance } from './describe-thrown.js';
import type { HandlerErrorInfo } from '../../types/ports/handler-error-info.js';
import { collectReplies, type WhatsAppReply } from '../../handlers/handler-replies.js';
import type { UpdateMatcher } from '../../handlers/handler-matcher.js';
import { MemoryDedupeStore } from '../5-dedupe/memory-dedupe-store.js';
import {
  HandlerRegistry,
  type HandlerEntry,
  type RegisteredHandler,
} from '../../handlers/handler-registry.js';
import {
  WhatsAppContext,
  type WhatsAppContextMessagesApi,
} from '../../handlers/whatsapp-context.js';
import {
  WHATSAPP_MESSAGE_RECORDER,
  type MessageRecorder,
} from '../../handlers/store/message-recorder.js';
import {
  WHATSAPP_CONTEXT_CALLS,
  WhatsAppCallContext,
  type WhatsAppContextCallsApi,
} from '../../handlers/whatsapp-call-context.js';
import { Telemetry, WHATSAPP_TELEMETRY } from '../../telemetry/telemetry.js';
import type { ConversationState } from '../../store/conversation-state.js';

/** What a dispatch did: failed handler calls, and whether it stopped because the store was unreachable. */
export interface DispatchResult {
  failures: number;
  storeUnavailable: boolean;
}

const UNAVAILABLE = Symbol('store-unavailable');

/** Injection token of the client calls the context helpers use (`WhatsAppService.messages`). */
export const WHATSAPP_CONTEXT_MESSAGES = Symbol('WHATSAPP_CONTEXT_MESSAGES');

/** What one handler call did: `true` ran (or was skipped as already handled), `false` failed. */
type Outcome = boolean | typeof UNAVAILABLE;

/** Failed calls of one update, or a result that stops the dispatch (the store was unavailable). */
type UpdateOutcome = number | DispatchResult;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs the handlers of a batch: every update in order, each matching handler once per update.
 * Each call is isolated (a failure is logged, reported and counted, the rest goes on) and claimed
 * per (update, handler) in the de-duplication store, so a redelivery runs only what failed.
 *
 * Synchronous while it can be: with the in-memory store and handlers that return plain values, a
 * whole batch runs without a promise (each `await` allocates, and on a 1000-update POST that was
 * most of the dispatch's cost, docs/performance.md). The first claim or call that returns a promise
 * switches the rest of the batch to the asynchronous path, in the same order.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly ttlMs: number;
  /** The store when it is the in-memory one: claimed synchronously. */
  private readonly memoryStore: MemoryDedupeStore | null;

  constructor(
    private readonly registry: HandlerRegistry,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
    @Inject(WHATSAPP_DEDUPE_STORE) private readonly store: DedupeStore | null,
    @Inject(WHATSAPP_CONTEXT_MESSAGES) private readonly messages: WhatsAppContextMessagesApi,
    @Optional()
    @Inject(WHATSAPP_MESSAGE_RECORDER)
    private readonly recorder: MessageRecorder | null = null,
    @Optional()
    @Inject(WHATSAPP_CONTEXT_CALLS)
    private readonly calls?: WhatsAppContextCallsApi,
    @Optional()
    @Inject(WHATSAPP_TELEMETRY)
    private readonly telemetry: Telemetry = Telemetry.NOOP,
  ) {
    this.ttlMs = options.dedupe === false ? 0 : options.dedupe.ttlMs;
    this.memoryStore = store instanceof MemoryDedupeStore ? store : null;
  }

  /** Runs every update's handlers; never rejects. */
  dispatch(updates: readonly WebhookUpdate[]): Promise<DispatchResult> {
    try {
      const result = this.dispatchNow(updates);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      // dispatchNow isolates every update; reaching this is a bug, still a failure and not a crash.
      this.internalError(error, `a batch of ${updates.length} update(s)`);
      return Promise.resolve({ failures: 1, storeUnavailable: false });
    }
  }

  /**
   * `dispatch` without the promise when every claim and handler call was synchronous: the webhook
   * answers such a POST without a microtask round trip. A promise once one of them was not.
   * Never throws and the promise never rejects: an update whose dispatch fails in an unexpected
   * way is logged and counted as a failure (500 in at-least-once mode), and the batch goes on.
   * @internal
   */
  dispatchNow(updates: readonly WebhookUpdate[]): DispatchResult | Promise<DispatchResult> {
    // Calls ring for a limited time: with call handlers registered, a batch's call updates start
    // first and never wait behind its other handlers (the check is one array length otherwise).
    if (this.registry.forKind('call').length > 0 && updates.some((u) => u.kind === 'call')) {
      return this.dispatchCallsFirst(updates);
    }
    return this.dispatchInOrder(updates);
  }

  /**
   * Starts every call update of the batch at once (each call's handlers in order, calls side by
   * side), then runs the other updates in order without waiting for the calls; the result counts
   * both. A store outage seen synchronously by a call stops the rest, as in `dispatchInOrder`.
   */
  private dispatchCallsFirst(
    updates: readonly WebhookUpdate[],
  ): DispatchResult | Promise<DispatchResult> {
    const rest: WebhookUpdate[] = [];
    const pending: Array<Promise<UpdateOutcome>> = [];
    let failures = 0;
    for (const update of updates) {
      if (update.kind !== 'call') {
        rest.push(update);
        continue;
      }
      const outcome = this.runUpdateSafely(update);
      if (outcome instanceof Promise) pending.push(outcome);
      else if (typeof outcome === 'number') failures += outcome;
      else return { failures: failures + outcome.failures, storeUnavailable: true };
    }
    const others = this.dispatchInOrder(rest);
    if (pending.length === 0 && !(others instanceof Promise)) {
      return { failures: failures + others.failures, storeUnavailable: others.storeUnavailable };
    }
    return Promise.all([Promise.all(pending), others]).then(([calls, other]) => {
      let total = failures + other.failures;
      let unavailable = other.storeUnavailable;
      for (const outcome of calls) {
        if (typeof outcome === 'number') total += outcome;
        else {
          total += outcome.failures;
          unavailable = true;
        }
      }
      return { failures: total, storeUnavailable: unavailable };
    });
  }

  /** Runs the updates one after the other, in batch order. */
  private dispatchInOrder(
    updates: readonly WebhookUpdate[],
  ): DispatchResult | Promise<DispatchResult> {
    let failures = 0;
    for (let i = 0; i < updates.length; i++) {
      const outcome = this.runUpdateSafely(updates[i]);
      if (typeof outcome === 'number') {
        failures += outcome;
      } else if (outcome instanceof Promise) {
        return this.finishDispatch(outcome, updates, i + 1, failures);
      } else {
        return { failures: failures + outcome.failures, storeUnavailable: true };
      }
    }
    return { failures, storeUnavailable: false };
  }

  /** The rest of a dispatch once an update's handlers went asynchronous. */
  private async finishDispatch(
    pending: Promise<UpdateOutcome>,
    updates: readonly WebhookUpdate[],
    from: number,
    failures: number,
  ): Promise<DispatchResult> {
    let outcome = await pending;
    for (let i = from; ; i++) {
      if (typeof outcome !== 'number') {
        return { failures: failures + outcome.failures, storeUnavailable: true };
      }
      failures += outcome;
      if (i >= updates.length) return { failures, storeUnavailable: false };
      outcome = await this.runUpdateSafely(updates[i]);
    }
  }

  /**
   * The last resort: `runUpdate` isolates every handler call and guards every matcher, so neither a
   * signed body nor a handler can make it throw or reject; if a bug still does, the update counts
   * as one failure (logged with its key, never its body) and the rest of the batch runs.
   */
  private runUpdateSafely(update: WebhookUpdate): UpdateOutcome | Promise<UpdateOutcome> {
    let outcome: UpdateOutcome | Promise<UpdateOutcome>;
    try {
      outcome = this.runUpdate(update);
    } catch (error) {
      return this.internalError(error, update.key);
    }
    if (!(outcome instanceof Promise)) return outcome;
    return outcome.catch((error: unknown) => this.internalError(error, update.key));
  }

  /** Logs an unexpected error of the dispatch itself; never throws. One failure. */
  private internalError(error: unknown, what: string): number {
    try {
      this.logger.error(
        `Internal error while dispatching ${what}: counted as a failed handler call`,
        describeThrown(error),
      );
    } catch {
      // A logger that throws: nothing else can be told; the failure is still counted.
    }
    return 1;
  }

  /** Index of the first entry at or after `from` whose matchers accept `update`, or -1. */
  private nextMatch(entries: readonly HandlerEntry[], update: WebhookUpdate, from: number): number {
    for (let i = from; i < entries.length; i++) {
      const matchers = entries[i].matchers;
      for (let m = 0; m < matchers.length; m++) {
        if (this.matches(matchers[m], update, entries[i].handler)) return i;
      }
    }
    return -1;
  }

  /** A matcher that throws for an update does not match it (logged with the update key, never the body). */
  private matches(
    matcher: UpdateMatcher,
    update: WebhookUpdate,
    handler: RegisteredHandler,
  ): boolean {
    try {
      return matcher(update);
    } catch (error) {
      this.logger.warn(
        `The filters of WhatsApp handler ${handler.id} threw on ${update.key}: treated as no match (${describeThrown(error).split('\n', 1)[0]})`,
      );
      return false;
    }
  }

  /** Runs the matching handlers of one update, in registration order. */
  private runUpdate(update: WebhookUpdate): UpdateOutcome | Promise<UpdateOutcome> {
    const entries = this.registry.forKind(update.kind);
    let index = this.nextMatch(entries, update, 0);
    if (index === -1) return 0;
    let following = this.nextMatch(entries, update, index + 1);
    const context = this.contextOf(update, this.messagesFor(update));
    // The in-memory store is private to this module instance and forgotten on restart, so its keys
    // need not name the handler when only one handler can run for the update: the update's own
    // key saves building (and remembering) a longer string. Other stores keep `<update>|<handler>`.
    const ownKey = following === -1 && this.memoryStore !== null;
    let failures = 0;
    for (;;) {
      const outcome = this.run(entries[index].handler, update, context, ownKey);
      if (outcome instanceof Promise) {
        return this.finishUpdate(outcome, update, context, entries, following, failures);
      }
      if (outcome === UNAVAILABLE) return { failures, storeUnavailable: true };
      if (!outcome) failures++;
      if (following === -1) return failures;
      index = following;
      following = this.nextMatch(entries, update, index + 1);
    }
  }

  /** The rest of an update's handlers once one of its calls went asynchronous. */
  private async finishUpdate(
    pending: Promise<Outcome>,
    update: WebhookUpdate,
    context: WhatsAppContext,
    entries: readonly HandlerEntry[],
    following: number,
    failures: number,
  ): Promise<UpdateOutcome> {
    let outcome = await pending;
    for (;;) {
      if (outcome === UNAVAILABLE) return { failures, storeUnavailable: true };
      if (!outcome) failures++;
      if (following === -1) return failures;
      const index = following;
      following = this.nextMatch(entries, update, index + 1);
      // More than one handler matched, so every key of this update names its handler.
      outcome = await this.run(entries[index].handler, update, context, false);
    }
  }

  /** The context's messages, bound to the update's origin when they depend on it (resolveCredentials). */
  private messagesFor(update: WebhookUpdate): WhatsAppContextMessagesApi {
    return this.messages.forOrigin?.(update.origin) ?? this.messages;
  }

  /** The context class the update needs: a call update's context can answer the call. */
  private contextOf(
    update: WebhookUpdate,
    messages: WhatsAppContextMessagesApi,
    conversation?: () => Promise<ConversationState | undefined>,
  ): WhatsAppContext {
    return update.kind === 'call'
      ? new WhatsAppCallContext(
          update,
          messages,
          this.calls?.forOrigin?.(update.origin) ?? this.calls,
          conversation,
        )
      : new WhatsAppContext(update, messages, conversation);
  }

  /** One isolated handler call: claim, call, reply. */
  private run(
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
    ownKey: boolean,
  ): Outcome | Promise<Outcome> {
    // With a message store: replies recorded per (update, handler, ordinal), ctx.conversation().
    if (this.recorder !== null) {
      const parts = this.recorder.contextParts(update, handler, this.messagesFor(update));
      context = this.contextOf(update, parts.messages, parts.conversation);
    }
    const store = this.store;
    if (store === null) return this.call(handler, update, context, '');
    const claimKey = ownKey ? update.key : `${update.key}|${handler.id}`;
    let claimed: unknown;
    try {
      const memory = this.memoryStore;
      claimed =
        memory !== null
          ? memory.claimSync(claimKey, this.ttlMs)
          : store.claim(claimKey, this.ttlMs);
    } catch (error) {
      return this.claimFailed(error, handler, update);
    }
    if (!isThenable(claimed)) return this.claimed(claimed, handler, update, context, claimKey);
    return Promise.resolve(claimed).then(
      (owned) => this.claimed(owned, handler, update, context, claimKey),
      (error: unknown) => this.claimFailed(error, handler, update),
    );
  }

  /** Runs the call when the claim is ours; `'pending'`: held by an unconfirmed claim, a failure so Meta redelivers. */
  private claimed(
    claim: unknown,
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
    claimKey: string,
  ): Outcome | Promise<Outcome> {
    if (claim === 'pending') {
      this.logger.warn(
        `WhatsApp handler ${handler.id} not run on ${update.key}: another claim holds it (running elsewhere, or it gave up and its lease has not expired); counted as failed so Meta redelivers`,
      );
      return false;
    }
    if (claim) return this.call(handler, update, context, claimKey);
    this.telemetry.deduplicated(update);
    return true;
  }

  /** A call that succeeded: confirms its claim when the store supports it (never fails the call). */
  private succeeded(claimKey: string): Outcome | Promise<Outcome> {
    const store = this.store;
    if (store === null || store.complete === undefined || claimKey === '') return true;
    return Promise.resolve()
      .then(() => store.complete?.(claimKey, this.ttlMs))
      .then(
        () => true,
        (error: unknown) => {
          this.logger.warn(
            `Could not confirm the claim of ${claimKey} after its handler succeeded: ${describeThrown(error).split('\n', 1)[0]}`,
          );
          return true;
        },
      );
  }

  private claimFailed(
    error: unknown,
    handler: RegisteredHandler,
    update: WebhookUpdate,
  ): Outcome | Promise<Outcome> {
    if (isDedupeStoreUnavailable(error)) {
      this.logger.warn(
        `De-duplication store unavailable (${error.message}): the delivery is refused so Meta redelivers it later`,
      );
      // Nothing can be claimed safely: stop here; what ran is claimed, Meta redelivers the rest.
      return UNAVAILABLE;
    }
    // Without a claim we cannot know whether it ran: fail, so Meta redelivers.
    return this.report(
      error,
      handler,
      update,
      'could not claim the update in the de-duplication store',
    ).then(() => false);
  }

  /**
   * Calls the handler; awaits only what it returns as a promise. Everything the handler throws or
   * returns is handled here: reading its value (`then`, `type`) may run hostile getters too.
   */
  private call(
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
    claimKey: string,
  ): Outcome | Promise<Outcome> {
    const probe = this.telemetry.handlerProbe(handler.id, update);
    if (probe === undefined) return this.invoke(handler, update, context, claimKey);
    return probe.run(() => this.invoke(handler, update, context, claimKey));
  }

  /** `call` without telemetry. */
  private invoke(
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
    claimKey: string,
  ): Outcome | Promise<Outcome> {
    let result: unknown;
    try {
      result = handler.invoke(context.payload, context);
      if (!isThenable(result)) return this.replyWith(result, handler, update, context, claimKey);
    } catch (error) {
      return this.failed(error, handler, update, claimKey);
    }
    return Promise.resolve(result).then(
      (value) => this.replyWith(value, handler, update, context, claimKey),
      (error: unknown) => this.failed(error, handler, update, claimKey),
    );
  }

  /**
   * Sends a message handler's return value as its reply (one, or an array sent in order); never
   * throws. Reading the value (hostile getters, a too long array) fails the call before anything is sent.
   */
  private replyWith(
    result: unknown,
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
    claimKey: string,
  ): Outcome | Promise<Outcome> {
    let reply: Promise<unknown>;
    try {
      if (update.kind !== 'message') return this.succeeded(claimKey);
      const replies = collectReplies(result);
      if (replies.length === 0) return this.succeeded(claimKey);
      reply =
        replies.length === 1
          ? context.reply(replies[0])
          : this.sendInOrder(replies, handler, update, context);
    } catch (error) {
      return this.failed(error, handler, update, claimKey);
    }
    return reply.then(
      () => this.succeeded(claimKey),
      (error: unknown) => this.failed(error, handler, update, claimKey),
    );
  }

  /**
   * Sends several replies one after the other. The first failure stops the rest and fails the call
   * (at-least-once: Meta redelivers, the handler runs again, and the replies sent before the
   * failure are sent again); the log line says how many went out.
   */
  private async sendInOrder(
    replies: readonly WhatsAppReply[],
    handler: RegisteredHandler,
    update: WebhookUpdate,
    context: WhatsAppContext,
  ): Promise<void> {
    for (let i = 0; i < replies.length; i++) {
      try {
        await context.reply(replies[i]);
      } catch (error) {
        this.logger.warn(
          `WhatsApp handler ${handler.id}: reply ${i + 1} of ${replies.length} failed on ${update.key}; ${i} sent before it, the rest not sent (a redelivery runs the handler again)`,
        );
        throw error;
      }
    }
  }

  /** A call that threw: releases its claim (so Meta's retry runs it again) and reports it. */
  private async failed(
    error: unknown,
    handler: RegisteredHandler,
    update: WebhookUpdate,
    claimKey: string,
  ): Promise<Outcome> {
    // A guard said no: the handler is not for this update, and a redelivery would not change that.
    if (isInstance(error, ForbiddenException)) {
      this.logger.debug(`WhatsApp handler ${handler.id} refused ${update.key} (guard)`);
      return this.succeeded(claimKey);
    }
    const store = this.store;
    if (store !== null) {
      // Wrapped: a store that throws synchronously must not break the rest of the batch.
      await Promise.resolve()
        .then(() => store.release(claimKey))
        .catch((releaseError: unknown) => {
          this.logger.error(
            `Could not release the claim of ${handler.id} on ${update.key}; Meta's redelivery skips it until the claim expires`,
            describeThrown(releaseError),
          );
        });
    }
    await this.report(error, handler, update, 'failed');
    return false;
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
      describeThrown(error),
    );
    const hook = this.options.onHandlerError;
    if (hook === undefined) return;
    try {
      await hook(error, info);
    } catch (hookError) {
      this.logger.error('onHandlerError threw', describeThrown(hookError));
    }
  }
}
