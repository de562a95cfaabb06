import type { OpenTelemetryApi } from './otel-api.js';

/** Imports the optional peer; a function so tests can simulate its absence. */
export type OtelApiImporter = () => Promise<unknown>;

const importOtelApi: OtelApiImporter = () => import('@opentelemetry/api');

let loaded: Promise<OpenTelemetryApi | undefined> | undefined;

/** The module's namespace object, or its CommonJS `default`, when it has the parts we call. */
export function asOpenTelemetryApi(module: unknown): OpenTelemetryApi | undefined {
  for (const candidate of [module, (module as { default?: unknown } | null)?.default]) {
    const api = candidate as Partial<OpenTelemetryApi> | null | undefined;
    if (
      typeof api?.trace?.getTracer === 'function' &&
      typeof api.metrics?.getMeter === 'function' &&
      typeof api.context?.with === 'function'
    ) {
      return api as OpenTelemetryApi;
    }
  }
  return undefined;
}

/**
 * `@opentelemetry/api` when the app has it installed, else `undefined` (never throws). Imported
 * once per process, lazily, so the main entry loads without the optional peer.
 */
export function loadOpenTelemetryApi(
  importer: OtelApiImporter = importOtelApi,
): Promise<OpenTelemetryApi | undefined> {
  if (importer !== importOtelApi) return importer().then(asOpenTelemetryApi, () => undefined);
  loaded ??= importer().then(asOpenTelemetryApi, () => undefined);
  return loaded;
}
