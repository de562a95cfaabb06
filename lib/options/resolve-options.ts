import { inspect } from 'node:util';
import type { Dispatcher } from 'undici';
import type { OutboundLimiter } from '../types/ports/outbound-limiter.js';
import {
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_DEDUPE_MIN_WINDOW_MS,
} from '../whatsapp.constants.js';
import type { HandlerErrorInfo } from '../types/ports/handler-error-info.js';
import type { DedupeStore } from '../types/ports/dedupe-store.js';
import type { UpdateQueue } from '../types/ports/update-queue.js';
import type {
  InDoubtReplies,
  MessageStore,
  OutsideWindowBehaviour,
} from '../types/ports/message-store.js';
import type { WebhookProcessingMode, WhatsAppModuleOptions } from './whatsapp-options.interface.js';

/** Options with every default applied: what the providers of one module instance share. */
export interface ResolvedWhatsAppOptions {
  accessToken: string;
  phoneNumberId?: string;
  businessAccountId?: string;
  appSecrets: string[];
  verifyToken?: string;
  apiVersion: string;
  baseUrl: string;
  webhookPath: string | false;
  timeoutMs: number;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  dispatcher?: Dispatcher;
  mediaDownloadHosts: string[];
  outboundLimiter?: OutboundLimiter;
  processing: WebhookProcessingMode;
  queue?: UpdateQueue;
  ackTimeoutMs: number;
  acknowledgeFailures: boolean;
  dedupe: ResolvedDedupeOptions | false;
  onHandlerError?: (error: unknown, info: HandlerErrorInfo) => void | Promise<void>;
  store?: MessageStore;
  outsideWindow: OutsideWindowBehaviour;
  inDoubtReplies: InDoubtReplies;
  businessId?: string;
  resolveCredentials?: WhatsAppModuleOptions['resolveCredentials'];
  credentialsTtlMs: number;
}

/** The de-duplication options with their defaults applied. */
export interface ResolvedDedupeOptions {
  store?: DedupeStore;
  ttlMs: number;
  minWindowMs: number;
  maxEntries: number;
}

/** Thrown at startup when an option is missing or invalid; the message names the option. */
export class WhatsAppConfigError extends Error {
  override readonly name = 'WhatsAppConfigError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`WhatsAppModule: invalid option "${option}": ${reason}`);
  }
}

export const OPTION_DEFAULTS = {
  apiVersion: DEFAULT_API_VERSION,
  baseUrl: DEFAULT_BASE_URL,
  timeoutMs: 15_000,
  credentialsTtlMs: 300_000,
  retry: { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 },
  /** Meta's media CDN hosts (`lookaside.fbsbx.com` and friends). */
  mediaDownloadHosts: ['lookaside.fbsbx.com', 'lookaside.facebook.com', 'scontent.whatsapp.net'],
  processing: 'at-least-once' as WebhookProcessingMode,
  /** Below Meta's webhook timeout, so a slow handler never turns into a timed-out delivery. */
  ackTimeoutMs: 15_000,
  /**
   * Meta retries for up to 7 days. The in-memory store keeps each key for `minWindowMs` (Meta's
   * first redeliveries come seconds to minutes later) and holds that window up to
   * `maxEntries / 2 / minWindowMs` = 1 041 claims/s (docs/reliability.md).
   */
  dedupe: {
    ttlMs: 7 * 24 * 60 * 60 * 1000,
    minWindowMs: DEFAULT_DEDUPE_MIN_WINDOW_MS,
    maxEntries: 1_250_000,
  },
} as const;

const PROCESSING_MODES: readonly WebhookProcessingMode[] = ['at-least-once', 'background', 'queue'];

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function positiveInteger(
  option: string,
  value: unknown,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    throw new WhatsAppConfigError(
      option,
      `expected a ${allowZero ? 'non-negative' : 'positive'} integer`,
    );
  }
  return value;
}

function optionalId(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!nonEmptyString(value)) throw new WhatsAppConfigError(option, 'expected a non-empty string');
  return value;
}

/**
 * Validates user options and applies defaults. Runs once per module instance at startup, so a bad
 * configuration stops the app with a message that names the option instead of failing on the
 * first request. Error messages never include option values (they may be secrets).
 */
export function resolveWhatsAppOptions(
  options: WhatsAppModuleOptions | undefined,
  webhookPath: string | false,
): ResolvedWhatsAppOptions {
  if (options === null || typeof options !== 'object') {
    throw new WhatsAppConfigError(
      'options',
      'expected an object (did the forRootAsync factory return nothing?)',
    );
  }
  if (!nonEmptyString(options.accessToken)) {
    throw new WhatsAppConfigError('accessToken', 'a non-empty Graph API access token is required');
  }
  const appSecrets =
    options.appSecret === undefined
      ? []
      : Array.isArray(options.appSecret)
        ? options.appSecret
        : [options.appSecret];
  if (!appSecrets.every(nonEmptyString)) {
    throw new WhatsAppConfigError('appSecret', 'every app secret must be a non-empty string');
  }
  if (webhookPath !== false && appSecrets.length === 0) {
    throw new WhatsAppConfigError(
      'appSecret',
      `required while the webhook is mounted at "/${webhookPath}" (set webhookPath: false to only send)`,
    );
  }
  if (options.verifyToken !== undefined && !nonEmptyString(options.verifyToken)) {
    throw new WhatsAppConfigError('verifyToken', 'expected a non-empty string');
  }
  const apiVersion = options.apiVersion ?? OPTION_DEFAULTS.apiVersion;
  if (!/^v\d+\.\d+$/.test(apiVersion)) {
    throw new WhatsAppConfigError('apiVersion', 'expected a Graph API version such as "v26.0"');
  }
  const baseUrl = (options.baseUrl ?? OPTION_DEFAULTS.baseUrl).replace(/\/+$/, '');
  let parsedBase: URL;
  try {
    parsedBase = new URL(baseUrl);
  } catch {
    throw new WhatsAppConfigError('baseUrl', 'expected an absolute http(s) URL');
  }
  if (parsedBase.protocol !== 'https:' && parsedBase.protocol !== 'http:') {
    throw new WhatsAppConfigError('baseUrl', 'expected an absolute http(s) URL');
  }
  const processing = options.processing ?? OPTION_DEFAULTS.processing;
  if (!PROCESSING_MODES.includes(processing)) {
    throw new WhatsAppConfigError('processing', `expected one of ${PROCESSING_MODES.join(', ')}`);
  }
  const retryInput = options.retry ?? {};
  const retry =
    retryInput === false
      ? { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 }
      : {
          maxRetries: positiveInteger(
            'retry.maxRetries',
            retryInput.maxRetries,
            OPTION_DEFAULTS.retry.maxRetries,
            true,
          ),
          baseDelayMs: positiveInteger(
            'retry.baseDelayMs',
            retryInput.baseDelayMs,
            OPTION_DEFAULTS.retry.baseDelayMs,
            true,
          ),
          maxDelayMs: positiveInteger(
            'retry.maxDelayMs',
            retryInput.maxDelayMs,
            OPTION_DEFAULTS.retry.maxDelayMs,
            true,
          ),
        };
  const dedupeInput = options.dedupe ?? {};
  const dedupe =
    dedupeInput === false
      ? (false as const)
      : {
          store: dedupeInput.store,
          ttlMs: positiveInteger('dedupe.ttlMs', dedupeInput.ttlMs, OPTION_DEFAULTS.dedupe.ttlMs),
          minWindowMs: positiveInteger(
            'dedupe.minWindowMs',
            dedupeInput.minWindowMs,
            OPTION_DEFAULTS.dedupe.minWindowMs,
          ),
          maxEntries: positiveInteger(
            'dedupe.maxEntries',
            dedupeInput.maxEntries,
            OPTION_DEFAULTS.dedupe.maxEntries,
          ),
        };
  if (
    options.resolveCredentials !== undefined &&
    typeof options.resolveCredentials !== 'function'
  ) {
    throw new WhatsAppConfigError('resolveCredentials', 'expected an async function');
  }
  if (options.onHandlerError !== undefined && typeof options.onHandlerError !== 'function') {
    throw new WhatsAppConfigError('onHandlerError', 'expected a function');
  }
  const queue = options.queue;
  if (processing === 'queue') {
    if (
      queue === null ||
      typeof queue !== 'object' ||
      typeof queue.enqueue !== 'function' ||
      typeof queue.start !== 'function' ||
      typeof queue.close !== 'function'
    ) {
      throw new WhatsAppConfigError(
        'queue',
        'processing "queue" needs an update queue, e.g. new BullMqUpdateQueue({...}) from nestjs-whatsapp-cloud/redis',
      );
    }
  } else if (queue !== undefined) {
    throw new WhatsAppConfigError('queue', 'is only used with processing: "queue"');
  }
  const outboundLimiter = options.outboundLimiter;
  if (
    outboundLimiter !== undefined &&
    (outboundLimiter === null || typeof outboundLimiter.acquire !== 'function')
  ) {
    throw new WhatsAppConfigError('outboundLimiter', 'expected an object with an acquire() method');
  }
  const { store, outsideWindow, inDoubtReplies } = resolveStoreOptions(options);
  const mediaDownloadHosts = options.mediaDownloadHosts ?? [...OPTION_DEFAULTS.mediaDownloadHosts];
  if (!Array.isArray(mediaDownloadHosts) || !mediaDownloadHosts.every(nonEmptyString)) {
    throw new WhatsAppConfigError('mediaDownloadHosts', 'expected an array of host names');
  }
  return hideSecrets({
    accessToken: options.accessToken,
    phoneNumberId: optionalId('phoneNumberId', options.phoneNumberId),
    businessAccountId: optionalId('businessAccountId', options.businessAccountId),
    appSecrets,
    verifyToken: options.verifyToken,
    apiVersion,
    baseUrl,
    webhookPath,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, OPTION_DEFAULTS.timeoutMs),
    retry,
    dispatcher: options.dispatcher,
    mediaDownloadHosts: [
      ...new Set([...mediaDownloadHosts.map((h) => h.toLowerCase()), parsedBase.hostname]),
    ],
    outboundLimiter,
    processing,
    queue,
    ackTimeoutMs: positiveInteger(
      'ackTimeoutMs',
      options.ackTimeoutMs,
      OPTION_DEFAULTS.ackTimeoutMs,
    ),
    acknowledgeFailures: options.acknowledgeFailures ?? false,
    dedupe,
    onHandlerError: options.onHandlerError,
    store,
    outsideWindow,
    inDoubtReplies,
    businessId: optionalId('businessId', options.businessId),
    resolveCredentials: options.resolveCredentials,
    credentialsTtlMs: positiveInteger(
      'credentialsTtlMs',
      options.credentialsTtlMs,
      OPTION_DEFAULTS.credentialsTtlMs,
    ),
  });
}

/** `store`, `outsideWindow` (default `'error'` with a store, `'allow'` without) and `inDoubtReplies`. */
function resolveStoreOptions(
  options: WhatsAppModuleOptions,
): Pick<ResolvedWhatsAppOptions, 'store' | 'outsideWindow' | 'inDoubtReplies'> {
  const store = options.store;
  if (
    store !== undefined &&
    (store === null ||
      typeof store !== 'object' ||
      typeof store.recordWebhook !== 'function' ||
      typeof store.claimReply !== 'function')
  ) {
    throw new WhatsAppConfigError(
      'store',
      'expected a MessageStore (MemoryMessageStore, or PostgresMessageStore from nestjs-whatsapp-cloud/postgres)',
    );
  }
  const outsideWindow = options.outsideWindow ?? (store === undefined ? 'allow' : 'error');
  if (outsideWindow !== 'error' && outsideWindow !== 'allow') {
    throw new WhatsAppConfigError('outsideWindow', "expected 'error' or 'allow'");
  }
  const inDoubtReplies = options.inDoubtReplies ?? 'skip';
  if (inDoubtReplies !== 'skip' && inDoubtReplies !== 'resend') {
    throw new WhatsAppConfigError('inDoubtReplies', "expected 'skip' or 'resend'");
  }
  return { store, outsideWindow, inDoubtReplies };
}

/**
 * The resolved options are reachable by an exported token (`WHATSAPP_OPTIONS`) and from services
 * that hold them: `util.inspect` and `JSON.stringify` of them (or of such a service) show
 * `[redacted]` for the token, the app secrets and the verify token. Non-enumerable, so spreads and
 * equality checks see the plain fields.
 */
function hideSecrets(options: ResolvedWhatsAppOptions): ResolvedWhatsAppOptions {
  const redacted = (): Record<string, unknown> => ({
    ...options,
    accessToken: '[redacted]',
    appSecrets: options.appSecrets.map(() => '[redacted]'),
    verifyToken: options.verifyToken === undefined ? undefined : '[redacted]',
  });
  Object.defineProperty(options, 'toJSON', { value: redacted });
  Object.defineProperty(options, inspect.custom, {
    value: (_depth: number, inspectOptions: object) => inspect(redacted(), inspectOptions),
  });
  return options;
}
