import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { describeThrown } from '../4-dispatch/describe-thrown.js';
import { WebhookDispatcher, type DispatchResult } from '../4-dispatch/webhook-dispatcher.js';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import { extractUpdates } from '../2-parse/extract-updates.js';
import { AckDeadlines } from './ack-deadlines.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import {
  WHATSAPP_MESSAGE_RECORDER,
  type MessageRecorder,
} from '../../handlers/store/message-recorder.js';
import { Telemetry, WHATSAPP_TELEMETRY } from '../../telemetry/telemetry.js';
import type { WebhookProbe } from '../../telemetry/webhook-probe.js';

/** How a webhook POST is answered: `ok` (200); `failed`: a handler threw (500); `unavailable`: the de-duplication store is unreachable (503). */
export type WebhookAck = 'ok' | 'failed' | 'unavailable';

/**
 * Turns a verified webhook body into handler calls and decides the answer: in `at-least-once` mode
 * after the handlers ran (`failed` when one threw, so Meta redelivers), bounded by `ackTimeoutMs`;
 * in `background` mode at once. Tracks the work still running, for `drain()` and shutdown.
 */
@Injectable()
export class WhatsAppWebhookService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WhatsAppWebhookService.name);
  private readonly inFlight = new Set<Promise<DispatchResult>>();
  private readonly background: boolean;
  private readonly ackTimeoutMs: number;
  private readonly acknowledgeFailures: boolean;
  private readonly deadlines: AckDeadlines;
  /** The dispatcher runs handlers itself (not a subclass such as the queue's): it may answer synchronously. */
  private readonly dispatchNow: boolean;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WHATSAPP_OPTIONS) options: ResolvedWhatsAppOptions,
    @Optional()
    @Inject(WHATSAPP_MESSAGE_RECORDER)
    private readonly recorder: MessageRecorder | null = null,
    @Optional()
    @Inject(WHATSAPP_TELEMETRY)
    private readonly telemetry: Telemetry = Telemetry.NOOP,
  ) {
    this.background = options.processing === 'background';
    this.ackTimeoutMs = options.ackTimeoutMs;
    this.acknowledgeFailures = options.acknowledgeFailures;
    this.deadlines = new AckDeadlines(options.ackTimeoutMs);
    this.dispatchNow = dispatcher.dispatch === WebhookDispatcher.prototype.dispatch;
  }

  /**
   * Handles the parsed JSON of a POST whose signature was verified. A body that is not a WhatsApp
   * webhook is logged and acknowledged: Meta's retries of it would never succeed.
   */
  receive(body: unknown): WebhookAck | Promise<WebhookAck> {
    const probe = this.telemetry.webhookProbe();
    return probe === undefined ? this.handle(body) : probe.run(() => this.handle(body, probe));
  }

  /** `receive` with its span, when telemetry records one. */
  private handle(body: unknown, probe?: WebhookProbe): WebhookAck | Promise<WebhookAck> {
    const parsed = extractUpdates(body);
    if (!parsed.ok) {
      this.logger.warn(
        `Ignored a signed POST that is not a WhatsApp webhook payload: ${parsed.reason}`,
      );
      return 'ok';
    }
    const skipped = parsed.skipped;
    probe?.parsed(parsed.updates, skipped.length);
    if (skipped.length > 0) {
      // Paths and reasons only: a malformed item is skipped, retrying it would not help.
      this.logger.warn(
        `Skipped ${skipped.length} malformed item(s) of a webhook POST: ${skipped
          .slice(0, 5)
          .map((item) => `${item.path} (${item.reason})`)
          .join(', ')}${skipped.length > 5 ? ', ...' : ''}`,
      );
    }
    if (parsed.updates.length === 0) return 'ok';
    return this.process(parsed.updates);
  }

  /** Runs handlers for already extracted updates (what `receive` does after parsing). */
  process(updates: readonly WebhookUpdate[]): WebhookAck | Promise<WebhookAck> {
    if (this.recorder !== null) return this.recordThenProcess(this.recorder, updates);
    let outcome: DispatchResult | Promise<DispatchResult>;
    try {
      outcome = this.dispatchNow
        ? this.dispatcher.dispatchNow(updates)
        : this.dispatcher.dispatch(updates);
    } catch (error) {
      // The dispatcher never throws; a subclass or a bug might: a failure, never a crash.
      outcome = this.internalError(error);
    }
    if (!(outcome instanceof Promise)) {
      // Every handler already ran: nothing to track, no deadline to wait for.
      if (this.background) {
        this.warnBackground(outcome);
        return 'ok';
      }
      return this.toAck(outcome);
    }
    const work = this.track(outcome);
    if (this.background) {
      // `work` never rejects (track); warnBackground only logs, and a logger that throws is caught.
      work.then(this.warnBackground).catch(this.ignore);
      return 'ok';
    }
    return this.awaitAck(work);
  }

  /**
   * With a message store: one write of the POST's messages and statuses, then its handlers (so a
   * reply sees the window its message opened). Store down and failing closed: 503, nothing ran.
   * The write counts against `ackTimeoutMs` like the handlers.
   */
  private recordThenProcess(
    recorder: MessageRecorder,
    updates: readonly WebhookUpdate[],
  ): WebhookAck | Promise<WebhookAck> {
    const work = this.track(
      recorder
        .record(updates)
        .then((recorded): Promise<DispatchResult> =>
          recorded
            ? this.dispatcher.dispatch(updates)
            : Promise.resolve({ failures: 0, storeUnavailable: true }),
        ),
    );
    if (this.background) {
      work.then(this.warnBackground).catch(this.ignore);
      return 'ok';
    }
    return this.awaitAck(work);
  }

  /** Resolves once every update received so far (including background work) has been handled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Lets running handlers finish before the app closes, for at most `ackTimeoutMs`. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.ackTimeoutMs);
    });
    await Promise.race([this.drain(), timeout]);
    clearTimeout(timer);
  }

  /**
   * Registers running work for `drain()` and returns it as a promise that never rejects: a
   * rejection of the dispatch (which should never happen) becomes a logged failure here, so no
   * promise of the webhook path is ever left without a rejection handler.
   */
  private track(outcome: Promise<DispatchResult>): Promise<DispatchResult> {
    const work = outcome.catch((error: unknown) => this.internalError(error));
    this.inFlight.add(work);
    const done = (): void => {
      this.inFlight.delete(work);
    };
    work.then(done, done);
    return work;
  }

  /** An unexpected error of the dispatch itself: logged (never the body), counted as a failure. */
  private internalError(error: unknown): DispatchResult {
    try {
      this.logger.error(
        'Internal error while dispatching a webhook POST: answered as a failed handler call',
        describeThrown(error),
      );
    } catch {
      // A logger that throws: the failure is still counted.
    }
    return { failures: 1, storeUnavailable: false };
  }

  private readonly ignore = (): void => undefined;

  private awaitAck(work: Promise<DispatchResult>): Promise<WebhookAck> {
    return this.deadlines.wait(work, this.toAck, this.onAckTimeout);
  }

  private readonly warnBackground = ({ failures, storeUnavailable }: DispatchResult): void => {
    if (failures > 0 || storeUnavailable) {
      this.logger.warn(
        `Background processing: ${failures} handler call(s) failed${storeUnavailable ? ' and the de-duplication store was unavailable' : ''}; Meta will not redeliver`,
      );
    }
  };

  private readonly toAck = (result: DispatchResult): WebhookAck => {
    if (result.storeUnavailable) return 'unavailable';
    return result.failures === 0 || this.acknowledgeFailures ? 'ok' : 'failed';
  };

  private readonly onAckTimeout = (): WebhookAck => {
    // Meta gives up on a slow answer and redelivers; answering 200 now stops a storm of
    // redeliveries that would be skipped anyway (their claims are held by the running calls).
    this.logger.warn(
      `Handlers still running after ackTimeoutMs (${this.ackTimeoutMs} ms): acknowledged, they go on in the background and a later failure is only logged`,
    );
    return 'ok';
  };
}
