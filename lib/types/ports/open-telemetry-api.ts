// The port of option `telemetry`: the few parts of `@opentelemetry/api` the module calls, as
// structural types. The package is an optional peer, so no type of ours may name it (a user without
// it still type-checks our .d.ts). `import * as api from '@opentelemetry/api'` satisfies `OpenTelemetryApi`.

/** Attribute values: strings, numbers and booleans only (never message text, phones or secrets). */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/** An opaque OpenTelemetry `Context`. */
export type OtelContext = object;

export interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  isRecording(): boolean;
  end(): void;
}

export interface OtelTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: TelemetryAttributes },
    context?: OtelContext,
  ): OtelSpan;
}

export interface OtelCounter {
  add(value: number, attributes?: TelemetryAttributes): void;
}

export interface OtelHistogram {
  record(value: number, attributes?: TelemetryAttributes): void;
}

export interface OtelObservableResult {
  observe(value: number, attributes?: TelemetryAttributes): void;
}

export type OtelObservableCallback = (result: OtelObservableResult) => void | Promise<void>;

export interface OtelObservableGauge {
  addCallback(callback: OtelObservableCallback): void;
  removeCallback(callback: OtelObservableCallback): void;
}

export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

export interface OtelMeter {
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  createObservableGauge(name: string, options?: OtelInstrumentOptions): OtelObservableGauge;
}

/** The shape of `import * as api from '@opentelemetry/api'` (1.3 or later) that the module uses. */
export interface OpenTelemetryApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    getTracerProvider(): object;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
  };
  metrics: {
    getMeter(name: string, version?: string): OtelMeter;
  };
  context: {
    active(): OtelContext;
    with<R>(context: OtelContext, fn: () => R): R;
  };
  /** The API's own no-op meter (1.3+): the global meter is it until an SDK registers a MeterProvider. */
  createNoopMeter?: () => OtelMeter;
}

/** Option `telemetry`: traces and metrics through `@opentelemetry/api` (docs/observability.md). */
export interface WhatsAppTelemetryOptions {
  /**
   * The OpenTelemetry API (`import * as api from '@opentelemetry/api'`). Default: imported once at
   * startup when the optional peer is installed; without it (or without an SDK) nothing is recorded.
   */
  api?: OpenTelemetryApi;
}
