import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { thrownMessage } from '../4-dispatch/describe-thrown.js';
import { HandlerRegistry } from '../../handlers/handler-registry.js';
import type { HandlerErrorInfo } from '../../types/ports/handler-error-info.js';
import { WHATSAPP_CONTEXT_MESSAGES, WebhookDispatcher } from '../4-dispatch/webhook-dispatcher.js';
import type { WhatsAppContextMessagesApi } from '../../handlers/whatsapp-context.js';
import {
  WHATSAPP_CONTEXT_CALLS,
  type WhatsAppContextCallsApi,
} from '../../handlers/whatsapp-call-context.js';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { DedupeStoreUnavailableError } from '../5-dedupe/dedupe-store-unavailable.error.js';
import { CompletionClaims } from '../5-dedupe/completion-claims.js';
import { UnconfirmedCompletions } from '../5-dedupe/unconfirmed-completions.js';
import { Telemetry, WHATSAPP_TELEMETRY } from '../../telemetry/telemetry.js';
import {
  WHATSAPP_MESSAGE_RECORDER,
  type MessageRecorder,
} from '../../handlers/store/message-recorder.js';

/** Default time a completion mark is kept: Meta redelivers for up to 7 days. */
const COMPLETION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * How long one attempt waits for Redis to take a claim or a mark (a restart, a connection not ready
 * yet, a full Redis) before it gives the job back to its queue (not counted as an attempt).
 */
const STORE_WAIT_MS = 5000;

/** Error of a failed job attempt: names each failed handler and its message (kept in the failed set). */
export class QueuedUpdateFailedError extends Error {
  override readonly name = 'QueuedUpdateFailedError';
  constructor(
    message: string,
    /** True when each handler's error was logged already (the queue then does not repeat it). */
    readonly handlersLogged = false,
  ) {
    super(message);
  }
}

/**
 * The worker side of `processing: 'queue'`: starts the queue's workers once the handlers are
 * discovered, runs each job through the dispatcher (completion marks instead of claims, so a retry
 * runs only the handlers that failed), and stops the workers at shutdown.
 */
@Injectable()
export class UpdateQueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsAppUpdateQueue');
  /** Handlers that ran here whose marks Redis has not taken yet (one memory for every job). */
  private unconfirmed?: UnconfirmedCompletions;
  private stopGauges = (): void => undefined;

  constructor(
    private readonly registry: HandlerRegistry,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
    @Inject(WHATSAPP_CONTEXT_MESSAGES) private readonly messages: WhatsAppContextMessagesApi,
    @Optional()
    @Inject(WHATSAPP_CONTEXT_CALLS)
    private readonly calls?: WhatsAppContextCallsApi,
    @Optional()
    @Inject(WHATSAPP_TELEMETRY)
    private readonly telemetry: Telemetry = Telemetry.NOOP,
    // With the `store` option: replies recorded once (a retry of the job never sends them twice)
    // and `ctx.conversation()`; null without it.
    @Optional()
    @Inject(WHATSAPP_MESSAGE_RECORDER)
    private readonly recorder: MessageRecorder | null = null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.options.queue;
    if (this.options.processing !== 'queue' || queue === undefined) return;
    this.stopGauges = this.telemetry.observeQueue(queue);
    await queue.start((update) => this.run(update));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopGauges();
    if (this.options.processing === 'queue') await this.options.queue?.close();
    await this.unconfirmed?.close();
  }

  /** One attempt of one job. Rejects when a handler failed, so the queue retries it with backoff. */
  async run(update: WebhookUpdate): Promise<void> {
    const queue = this.options.queue;
    if (queue === undefined) throw new Error('processing "queue" without a queue');
    const ttlMs =
      queue.completionTtlMs ??
      (this.options.dedupe === false ? COMPLETION_TTL_MS : this.options.dedupe.ttlMs);
    this.unconfirmed ??= new UnconfirmedCompletions(queue.completions);
    const claims = new CompletionClaims(
      queue.completions,
      ttlMs,
      this.unconfirmed,
      queue.storeWaitMs ?? STORE_WAIT_MS,
    );
    const failed: string[] = [];
    const userHook = this.options.onHandlerError;
    const options: ResolvedWhatsAppOptions = {
      ...this.options,
      onHandlerError: async (error: unknown, info: HandlerErrorInfo) => {
        // Guarded: a hostile error must not keep the job from counting as failed (and retried).
        failed.push(`${info.handler}: ${thrownMessage(error)}`);
        await userHook?.(error, info);
      },
    };
    this.telemetry.refresh();
    const dispatcher = new WebhookDispatcher(
      this.registry,
      options,
      claims,
      this.messages,
      this.recorder, // with the `store` option: replies recorded once, ctx.conversation()
      this.calls,
      this.telemetry,
    );
    const result = await dispatcher.dispatch([update]);
    const flushed = await claims.flush().then(
      () => true,
      () => false,
    );
    if (failed.length > 0) {
      throw new QueuedUpdateFailedError(
        `${failed.length} handler(s) failed on ${update.key}: ${failed.join('; ')}`,
        true,
      );
    }
    // Not a handler failure: the queue gives the job back without counting an attempt.
    if (result.storeUnavailable || !flushed) {
      throw new DedupeStoreUnavailableError(
        `completion store unavailable while handling ${update.key}`,
      );
    }
    if (!(await this.confirmed(claims.unconfirmedKeys, queue.storeWaitMs ?? STORE_WAIT_MS))) {
      throw new DedupeStoreUnavailableError(
        `the completion marks of ${update.key} could not be written yet; its handlers ran and will not run again here`,
      );
    }
    if (result.failures > 0) {
      // No handler threw: a claim held by another run of this job (a lock lost under load).
      throw new QueuedUpdateFailedError(
        `${result.failures} handler(s) of ${update.key} are running elsewhere; retried later`,
      );
    }
    this.logger.verbose?.(`Handled queued update ${update.key}`);
  }

  /** Writes the marks Redis refused during the attempt, with backoff, for at most `waitMs`. */
  private async confirmed(keys: readonly string[], waitMs: number): Promise<boolean> {
    const unconfirmed = this.unconfirmed;
    if (keys.length === 0 || unconfirmed === undefined) return true;
    const deadline = Date.now() + waitMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
      if (await unconfirmed.confirm(keys)) return true;
      if (Date.now() + pause > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
