import { describe, expect, it } from '@jest/globals';
import { OPTION_DEFAULTS, resolveWhatsAppOptions, WhatsAppConfigError } from './resolve-options.js';
import type { WhatsAppModuleOptions } from './whatsapp-options.interface.js';

const base: WhatsAppModuleOptions = { accessToken: 'EAAG-secret-token', appSecret: 'app-secret' };

function errorOf(
  options: unknown,
  webhookPath: string | false = 'whatsapp/webhook',
): WhatsAppConfigError {
  try {
    resolveWhatsAppOptions(options as WhatsAppModuleOptions, webhookPath);
  } catch (error) {
    if (error instanceof WhatsAppConfigError) return error;
    throw error;
  }
  throw new Error('expected a WhatsAppConfigError');
}

describe('resolveWhatsAppOptions', () => {
  it('applies every default in one place', () => {
    const resolved = resolveWhatsAppOptions(base, 'whatsapp/webhook');
    expect(resolved).toMatchObject({
      apiVersion: 'v26.0',
      baseUrl: 'https://graph.facebook.com',
      appSecrets: ['app-secret'],
      timeoutMs: OPTION_DEFAULTS.timeoutMs,
      retry: OPTION_DEFAULTS.retry,
      processing: 'at-least-once',
      acknowledgeFailures: false,
      dedupe: {
        ttlMs: OPTION_DEFAULTS.dedupe.ttlMs,
        minWindowMs: OPTION_DEFAULTS.dedupe.minWindowMs,
        maxEntries: OPTION_DEFAULTS.dedupe.maxEntries,
      },
      webhookPath: 'whatsapp/webhook',
    });
    expect(resolved.mediaDownloadHosts).toEqual([
      ...OPTION_DEFAULTS.mediaDownloadHosts,
      'graph.facebook.com',
    ]);
  });

  it('defaults de-duplication to 7 days at most, 10 minutes at least, 1 250 000 keys', () => {
    expect(OPTION_DEFAULTS.dedupe).toEqual({
      ttlMs: 7 * 24 * 3600 * 1000,
      minWindowMs: 10 * 60 * 1000,
      maxEntries: 1_250_000,
    });
  });

  it('accepts several app secrets for a rotation', () => {
    expect(resolveWhatsAppOptions({ ...base, appSecret: ['old', 'new'] }, 'w').appSecrets).toEqual([
      'old',
      'new',
    ]);
  });

  it('adds the baseUrl host to the media download hosts and strips trailing slashes', () => {
    const resolved = resolveWhatsAppOptions({ ...base, baseUrl: 'http://127.0.0.1:4000/' }, false);
    expect(resolved.baseUrl).toBe('http://127.0.0.1:4000');
    expect(resolved.mediaDownloadHosts).toContain('127.0.0.1');
  });

  it('turns retries and de-duplication off with false', () => {
    const resolved = resolveWhatsAppOptions({ ...base, retry: false, dedupe: false }, false);
    expect(resolved.retry.maxRetries).toBe(0);
    expect(resolved.dedupe).toBe(false);
  });

  it.each([
    [{ ...base, accessToken: '' }, 'accessToken'],
    [{ appSecret: 's' }, 'accessToken'],
    [{ ...base, appSecret: [''] }, 'appSecret'],
    [{ ...base, apiVersion: '26' }, 'apiVersion'],
    [{ ...base, baseUrl: 'graph.facebook.com' }, 'baseUrl'],
    [{ ...base, baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ ...base, timeoutMs: -1 }, 'timeoutMs'],
    [{ ...base, timeoutMs: 1.5 }, 'timeoutMs'],
    [{ ...base, retry: { maxRetries: -1 } }, 'retry.maxRetries'],
    [{ ...base, processing: 'later' }, 'processing'],
    [{ ...base, dedupe: { maxEntries: 0 } }, 'dedupe.maxEntries'],
    [{ ...base, dedupe: { minWindowMs: 0 } }, 'dedupe.minWindowMs'],
    [{ ...base, dedupe: { minWindowMs: 1.5 } }, 'dedupe.minWindowMs'],
    [{ ...base, phoneNumberId: '' }, 'phoneNumberId'],
    [{ ...base, verifyToken: '' }, 'verifyToken'],
    [{ ...base, onHandlerError: 'log' }, 'onHandlerError'],
    [undefined, 'options'],
  ])('rejects %o naming %s', (options, option) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
  });

  it('requires an app secret while the webhook is mounted, not when it is off', () => {
    expect(errorOf({ accessToken: 't' }).message).toMatch(/appSecret.*webhookPath: false/);
    expect(resolveWhatsAppOptions({ accessToken: 't' }, false).appSecrets).toEqual([]);
  });

  it('never puts a secret value in an error message', () => {
    const error = errorOf({ accessToken: 'EAAG-secret-token', appSecret: ['', 'app-secret'] });
    expect(error.message).not.toContain('EAAG-secret-token');
    expect(error.message).not.toContain('app-secret');
  });
});
