import { describe, expect, it } from '@jest/globals';
import * as api from '@opentelemetry/api';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { asOpenTelemetryApi } from './load-otel-api.js';
import { Telemetry } from './telemetry.js';

const update: WebhookUpdate = {
  kind: 'event',
  key: 'e:x',
  origin: { businessAccountId: 'W', field: 'account_update' },
  value: {},
};

describe('Telemetry without an SDK or without the API', () => {
  it('falls back to NOOP when @opentelemetry/api cannot be imported', async () => {
    const missing = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const telemetry = await Telemetry.create(undefined, () => Promise.reject(missing));
    expect(telemetry).toBe(Telemetry.NOOP);
    expect(telemetry.webhookProbe()).toBeUndefined();
    expect(telemetry.handlerProbe('H.on', update)).toBeUndefined();
    expect(telemetry.graphProbe('GET', 'https://graph.facebook.com', '/v26.0/1')).toBeUndefined();
    expect(() => telemetry.deduplicated(update)).not.toThrow();
    expect(telemetry.observeQueue({ stats: () => Promise.resolve({ depth: {} }) })).toEqual(
      expect.any(Function),
    );
  });

  it('falls back to NOOP when the import resolves to something else, and with telemetry: false', async () => {
    expect(await Telemetry.create(undefined, () => Promise.resolve({}))).toBe(Telemetry.NOOP);
    expect(await Telemetry.create(false, () => Promise.resolve(api))).toBe(Telemetry.NOOP);
  });

  it('reads the API from a namespace object or a CommonJS default export', () => {
    expect(asOpenTelemetryApi(api)).toBe(api);
    expect(asOpenTelemetryApi({ default: api })).toBe(api);
    expect(asOpenTelemetryApi({ default: {} })).toBeUndefined();
    expect(asOpenTelemetryApi(null)).toBeUndefined();
  });

  it('with the API but no SDK registered, records nothing and hands out no probe (the cheap path)', async () => {
    const telemetry = await Telemetry.create(undefined, () => Promise.resolve(api));
    expect(telemetry).not.toBe(Telemetry.NOOP);
    expect(telemetry.metricsOn).toBe(false);
    expect(telemetry.tracingOn).toBe(false);
    expect(telemetry.webhookProbe()).toBeUndefined();
    expect(telemetry.handlerProbe('H.on', update)).toBeUndefined();
    expect(telemetry.graphProbe('GET', 'https://graph.facebook.com', '/v26.0/1')).toBeUndefined();
    const wait = Promise.resolve(7);
    expect(telemetry.timeRateLimit(wait)).toBe(wait);
  });
});
