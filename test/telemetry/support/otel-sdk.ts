// A real OpenTelemetry SDK for the telemetry tests: spans into an InMemorySpanExporter, metrics
// read on demand through a PeriodicExportingMetricReader into an InMemoryMetricExporter.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export interface TestSdk {
  spans(): ReadableSpan[];
  /** Every metric collected now (cumulative since the start). */
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

export async function registerTestSdk(): Promise<TestSdk> {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => spanExporter.getFinishedSpans(),
    async collect() {
      metricExporter.reset();
      await reader.forceFlush();
      return metricExporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The data points of metric `name` (empty when it was never recorded). */
export function pointsOf(collected: MetricData[], name: string): DataPoint<unknown>[] {
  return collected
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[]);
}

/** The sum of a counter's points whose attributes include `match`. */
export function counterSum(
  collected: MetricData[],
  name: string,
  match: Record<string, unknown> = {},
): number {
  return pointsOf(collected, name)
    .filter((point) => Object.entries(match).every(([k, v]) => point.attributes[k] === v))
    .reduce((sum, point) => sum + (point.value as number), 0);
}
