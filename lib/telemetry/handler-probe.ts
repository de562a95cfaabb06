import type { WebhookUpdate } from '../types/webhook-update.js';
import {
  SPAN_KIND_INTERNAL,
  SPAN_STATUS_ERROR,
  type OtelSpan,
  type TelemetryAttributes,
} from './otel-api.js';
import { onSettled, recording, runInSpan } from './span-scope.js';
import type { Telemetry } from './telemetry.js';
import { ATTR, SPAN } from './telemetry-names.js';
import { updateType } from './update-attributes.js';

/** `true` ran, `false` failed; anything else: the store was unavailable. */
function outcomeOf(value: unknown): string {
  return value === true ? 'ok' : value === false ? 'failed' : 'unavailable';
}

/** Span `whatsapp.handler` and the handled / failed counters and duration of one handler call. */
export class HandlerProbe {
  readonly #telemetry: Telemetry;
  readonly #attributes: TelemetryAttributes;
  readonly #span: OtelSpan | undefined;
  readonly #start: number;

  constructor(telemetry: Telemetry, handlerId: string, update: WebhookUpdate) {
    this.#telemetry = telemetry;
    this.#attributes = {
      [ATTR.handlerId]: handlerId,
      [ATTR.kind]: update.kind,
      [ATTR.type]: updateType(update),
    };
    this.#span =
      telemetry.tracingOn && telemetry.tracer !== undefined
        ? recording(
            telemetry.tracer.startSpan(SPAN.handler, {
              kind: SPAN_KIND_INTERNAL,
              attributes: this.#attributes,
            }),
          )
        : undefined;
    this.#start = telemetry.metricsOn ? performance.now() : 0;
  }

  /** Runs the call inside the span (its replies' Graph spans become children) and ends it with its outcome. */
  run<T>(call: () => T | Promise<T>): T | Promise<T> {
    let result: T | Promise<T>;
    try {
      result = runInSpan(this.#telemetry.api, this.#span, call);
    } catch (error) {
      this.#end(false);
      throw error;
    }
    return onSettled(result, (value, error) => this.#end(error === undefined ? value : false));
  }

  #end(value: unknown): void {
    const outcome = outcomeOf(value);
    const instruments = this.#telemetry.instruments;
    if (instruments !== undefined) {
      const attributes = { ...this.#attributes, [ATTR.outcome]: outcome };
      instruments.handlerDuration.record((performance.now() - this.#start) / 1000, attributes);
      (outcome === 'ok' ? instruments.updatesHandled : instruments.updatesFailed).add(
        1,
        this.#attributes,
      );
    }
    const span = this.#span;
    if (span === undefined) return;
    span.setAttribute(ATTR.outcome, outcome);
    if (outcome !== 'ok')
      span.setStatus({ code: SPAN_STATUS_ERROR, message: `handler ${outcome}` });
    span.end();
  }
}
