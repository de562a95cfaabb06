import { PACKAGE_VERSION } from '../package-info.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { GraphProbe } from './graph-probe.js';
import { HandlerProbe } from './handler-probe.js';
import { loadOpenTelemetryApi, type OtelApiImporter } from './load-otel-api.js';
import type {
  OpenTelemetryApi,
  WhatsAppTelemetryOptions,
  OtelCounter,
  OtelHistogram,
  OtelMeter,
  OtelTracer,
} from './otel-api.js';
import { QueueGauges, type QueueStatsSource } from './queue-gauges.js';
import { ATTR, DURATION_BUCKETS_S, INSTRUMENTATION_SCOPE, METRIC } from './telemetry-names.js';
import { updateType } from './update-attributes.js';
import { WebhookProbe } from './webhook-probe.js';

/** Injection token of the module instance's `Telemetry`. */
export const WHATSAPP_TELEMETRY = Symbol('WHATSAPP_TELEMETRY');

export type { WhatsAppTelemetryOptions };

/** The instruments, created once per module instance when a MeterProvider is registered. */
export interface TelemetryInstruments {
  webhookRequests: OtelCounter;
  updatesReceived: OtelCounter;
  updatesMalformed: OtelCounter;
  updatesHandled: OtelCounter;
  updatesFailed: OtelCounter;
  updatesDeduplicated: OtelCounter;
  handlerDuration: OtelHistogram;
  deliveryStatuses: OtelCounter;
  graphDuration: OtelHistogram;
  graphErrors: OtelCounter;
  rateLimitWaitDuration: OtelHistogram;
}

function createInstruments(meter: OtelMeter): TelemetryInstruments {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS_S } };
  return {
    webhookRequests: meter.createCounter(METRIC.webhookRequests, {
      unit: '{request}',
      description: 'Signed webhook POSTs, by HTTP answer',
    }),
    updatesReceived: meter.createCounter(METRIC.updatesReceived, {
      unit: '{update}',
      description: 'Updates (messages, statuses, events) found in signed webhook POSTs',
    }),
    updatesMalformed: meter.createCounter(METRIC.updatesMalformed, {
      unit: '{item}',
      description: 'Malformed items of webhook POSTs, skipped',
    }),
    updatesHandled: meter.createCounter(METRIC.updatesHandled, {
      unit: '{call}',
      description: 'Handler calls that succeeded',
    }),
    updatesFailed: meter.createCounter(METRIC.updatesFailed, {
      unit: '{call}',
      description: 'Handler calls that failed (threw, or could not be claimed)',
    }),
    updatesDeduplicated: meter.createCounter(METRIC.updatesDeduplicated, {
      unit: '{call}',
      description: 'Handler calls skipped because the update was already handled',
    }),
    handlerDuration: meter.createHistogram(METRIC.handlerDuration, {
      ...seconds,
      description: 'Duration of a handler call, its replies included',
    }),
    deliveryStatuses: meter.createCounter(METRIC.deliveryStatuses, {
      unit: '{status}',
      description: 'Delivery statuses received (sent, delivered, read, failed by Meta error code)',
    }),
    graphDuration: meter.createHistogram(METRIC.graphDuration, {
      ...seconds,
      description: 'Duration of a Graph API call, its retries included',
    }),
    graphErrors: meter.createCounter(METRIC.graphErrors, {
      unit: '{request}',
      description: 'Graph API calls that failed, by Meta error code',
    }),
    rateLimitWaitDuration: meter.createHistogram(METRIC.rateLimitWaitDuration, {
      ...seconds,
      description: 'Time a message send waited for the outbound rate limiter',
    }),
  };
}

/**
 * The module's traces and metrics, through `@opentelemetry/api` when the app installed it. Each
 * hook point asks for a probe and gets `undefined` when there is nothing to record, so without the
 * API or an SDK the hot path costs one property read per hook.
 */
export class Telemetry {
  /** Records nothing: the default outside Nest and when `telemetry: false`. */
  static readonly NOOP = new Telemetry(undefined);

  /** Metrics are recorded: a MeterProvider was registered before the module started. */
  readonly metricsOn: boolean;
  /** @internal */
  readonly instruments: TelemetryInstruments | undefined;
  /** @internal */
  readonly api: OpenTelemetryApi | undefined;
  /** @internal */
  readonly tracer: OtelTracer | undefined;
  #tracingOn = false;
  #queueGauges: QueueGauges | undefined;
  readonly #meter: OtelMeter | undefined;

  constructor(api: OpenTelemetryApi | undefined) {
    this.api = api;
    if (api === undefined) {
      this.metricsOn = false;
      return;
    }
    this.tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE, PACKAGE_VERSION);
    const meter = api.metrics.getMeter(INSTRUMENTATION_SCOPE, PACKAGE_VERSION);
    // The metrics API has no proxy: a meter taken before an SDK registered stays a no-op.
    this.metricsOn = api.createNoopMeter === undefined || meter !== api.createNoopMeter();
    if (this.metricsOn) {
      this.#meter = meter;
      this.instruments = createInstruments(meter);
    }
    this.refresh();
  }

  /** A Telemetry over the installed API (or the given one), or `NOOP` (`false`, or no API). */
  static async create(
    options: WhatsAppTelemetryOptions | false | undefined,
    importer?: OtelApiImporter,
  ): Promise<Telemetry> {
    if (options === false) return Telemetry.NOOP;
    const api = options?.api ?? (await loadOpenTelemetryApi(importer));
    return api === undefined ? Telemetry.NOOP : new Telemetry(api);
  }

  /** Spans are recorded: a TracerProvider is registered. */
  get tracingOn(): boolean {
    return this.#tracingOn;
  }

  /**
   * Checks again whether a TracerProvider is registered (cheap; once per webhook POST and queued
   * job, so handler calls only read a boolean).
   */
  refresh(): void {
    const api = this.api;
    if (api === undefined) return;
    const provider = api.trace.getTracerProvider() as {
      getDelegateTracer?: (name: string) => unknown;
    };
    // The API's ProxyTracerProvider has no delegate until an SDK registers one.
    this.#tracingOn =
      typeof provider.getDelegateTracer !== 'function' ||
      provider.getDelegateTracer(INSTRUMENTATION_SCOPE) !== undefined;
  }

  /** The span and metrics of one signed webhook POST, or `undefined` when nothing is recorded. */
  webhookProbe(): WebhookProbe | undefined {
    if (this.api === undefined) return undefined;
    this.refresh();
    return this.metricsOn || this.#tracingOn ? new WebhookProbe(this) : undefined;
  }

  /** The span and metrics of one handler call, or `undefined` when nothing is recorded. */
  handlerProbe(handlerId: string, update: WebhookUpdate): HandlerProbe | undefined {
    return this.metricsOn || this.#tracingOn
      ? new HandlerProbe(this, handlerId, update)
      : undefined;
  }

  /** A handler call skipped: the update was already handled. */
  deduplicated(update: WebhookUpdate): void {
    this.instruments?.updatesDeduplicated.add(1, {
      [ATTR.kind]: update.kind,
      [ATTR.type]: updateType(update),
    });
  }

  /** The span and metrics of one Graph API call (retries included), or `undefined`. */
  graphProbe(method: string, origin: string, path: string): GraphProbe | undefined {
    if (this.api === undefined) return undefined;
    return this.metricsOn || this.#tracingOn
      ? new GraphProbe(this, method, origin, path)
      : undefined;
  }

  /** Times the outbound limiter's `acquire` of a message send. */
  timeRateLimit<T>(wait: Promise<T>): Promise<T> {
    const histogram = this.instruments?.rateLimitWaitDuration;
    if (histogram === undefined) return wait;
    const start = performance.now();
    const record = (outcome: string) =>
      histogram.record((performance.now() - start) / 1000, { [ATTR.rateLimitOutcome]: outcome });
    return wait.then(
      (value) => {
        record('acquired');
        return value;
      },
      (error: unknown) => {
        record('refused');
        throw error;
      },
    );
  }

  /**
   * Reports a queue's depth and oldest job age as observable gauges (when it has `stats()`).
   * Returns the function that stops it.
   */
  observeQueue(queue: QueueStatsSource): () => void {
    if (this.#meter === undefined || typeof queue.stats !== 'function') return () => undefined;
    this.#queueGauges ??= new QueueGauges(this.#meter);
    return this.#queueGauges.add(queue);
  }
}
