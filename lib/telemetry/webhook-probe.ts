import type { WebhookUpdate } from '../types/webhook-update.js';
import { SPAN_KIND_INTERNAL, SPAN_STATUS_ERROR, type OtelSpan } from './otel-api.js';
import { onSettled, recording, runInSpan } from './span-scope.js';
import type { Telemetry } from './telemetry.js';
import { ATTR, SPAN } from './telemetry-names.js';
import { deliveryAttributes } from './update-attributes.js';

/** The HTTP answer of each `WebhookAck` (the controller's mapping). */
const ACK_STATUS: Record<string, number> = { ok: 200, failed: 500, unavailable: 503 };

/** Span `whatsapp.webhook.receive` and the update counters of one signed webhook POST. */
export class WebhookProbe {
  readonly #telemetry: Telemetry;
  readonly #span: OtelSpan | undefined;

  constructor(telemetry: Telemetry) {
    this.#telemetry = telemetry;
    this.#span =
      telemetry.tracingOn && telemetry.tracer !== undefined
        ? recording(telemetry.tracer.startSpan(SPAN.webhook, { kind: SPAN_KIND_INTERNAL }))
        : undefined;
  }

  /** Runs the POST's processing inside the span and ends it with the answer. */
  run<A extends string>(receive: () => A | Promise<A>): A | Promise<A> {
    let result: A | Promise<A>;
    try {
      result = runInSpan(this.#telemetry.api, this.#span, receive);
    } catch (error) {
      this.#end(undefined);
      throw error;
    }
    return onSettled(result, (ack) => this.#end(ack));
  }

  /** What the body held: updates (counted by kind; delivery statuses by status and error code), malformed items. */
  parsed(updates: readonly WebhookUpdate[], malformed: number): void {
    this.#span?.setAttribute(ATTR.updates, updates.length);
    this.#span?.setAttribute(ATTR.malformed, malformed);
    const instruments = this.#telemetry.instruments;
    if (instruments === undefined) return;
    let messages = 0;
    let statuses = 0;
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i];
      if (update.kind === 'message') messages++;
      else if (update.kind === 'status') {
        statuses++;
        instruments.deliveryStatuses.add(1, deliveryAttributes(update));
      }
    }
    const events = updates.length - messages - statuses;
    if (messages > 0) instruments.updatesReceived.add(messages, { [ATTR.kind]: 'message' });
    if (statuses > 0) instruments.updatesReceived.add(statuses, { [ATTR.kind]: 'status' });
    if (events > 0) instruments.updatesReceived.add(events, { [ATTR.kind]: 'event' });
    if (malformed > 0) instruments.updatesMalformed.add(malformed);
  }

  #end(ack: string | undefined): void {
    const status = ack === undefined ? 500 : (ACK_STATUS[ack] ?? 500);
    const attributes = { [ATTR.httpStatus]: status, [ATTR.ack]: ack ?? 'error' };
    this.#telemetry.instruments?.webhookRequests.add(1, attributes);
    const span = this.#span;
    if (span === undefined) return;
    span.setAttribute(ATTR.httpStatus, status);
    span.setAttribute(ATTR.ack, attributes[ATTR.ack]);
    if (status >= 500) span.setStatus({ code: SPAN_STATUS_ERROR, message: `answered ${status}` });
    span.end();
  }
}
