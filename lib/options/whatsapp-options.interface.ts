import type { Dispatcher } from 'undici';
import type { OutboundLimiter } from '../types/ports/outbound-limiter.js';
import type { DedupeStore } from '../types/ports/dedupe-store.js';
import type { UpdateQueue } from '../types/ports/update-queue.js';
import type { HandlerErrorInfo } from '../types/ports/handler-error-info.js';
import type {
  InDoubtReplies,
  MessageStore,
  OutsideWindowBehaviour,
} from '../types/ports/message-store.js';
import type { WhatsAppTelemetryOptions } from '../types/ports/open-telemetry-api.js';
import type { WhatsAppFlowsOptions } from './flows-options.js';

/**
 * How the webhook acknowledges a POST. See docs/webhooks.md for the trade-offs; `'queue'` (durable,
 * with the `queue` option) in docs/scaling.md.
 */
export type WebhookProcessingMode = 'at-least-once' | 'background' | 'queue';

/** Retry policy of the Graph API client; `false` disables retries. */
export interface WhatsAppRetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Base of the exponential backoff, in ms. Default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff delay (and of an honoured `Retry-After`), in ms. Default 30 000. */
  maxDelayMs?: number;
}

/** De-duplication of Meta's redeliveries; `false` turns it off. The window: docs/reliability.md. */
export interface WhatsAppDedupeOptions {
  /** A shared store (e.g. Redis). Default: a bounded in-memory store per module instance. */
  store?: DedupeStore;
  /**
   * How long a handled update is remembered at most; a shared store keeps it exactly this long.
   * Default 7 days (Meta retries for up to 7 days).
   */
  ttlMs?: number;
  /**
   * In-memory store: every handled update is remembered at least this long (and at most twice as
   * long) while `maxEntries` allows. Default 10 minutes: Meta's first redeliveries come seconds to
   * minutes later. A warning says when the cap makes the window shorter.
   */
  minWindowMs?: number;
  /**
   * Hard cap of the in-memory store, in remembered keys (one key per update and handler; 18 bytes
   * each, allocated when the module starts). Default 1 250 000: `minWindowMs` (10 min) holds up to
   * 1 040 updates/s, in 22.5 MB (docs/performance.md). At most 2^28.
   */
  maxEntries?: number;
}

export interface WhatsAppModuleOptions {
  /** Graph API bearer token (system-user or business token). Never logged. */
  accessToken: string;
  /** Default sending number; every send can override it. */
  phoneNumberId?: string;
  /** WhatsApp Business Account id, for templates and phone numbers. */
  businessAccountId?: string;
  /** Meta app secret(s) for `X-Hub-Signature-256`; several during a rotation. Required when the webhook is mounted. */
  appSecret?: string | string[];
  /** Token of the GET verification handshake. */
  verifyToken?: string;
  /** Graph API version. Default `'v26.0'`. */
  apiVersion?: string;
  /** Graph API origin. Default `'https://graph.facebook.com'`; tests and the sandbox point it at loopback. */
  baseUrl?: string;
  /** Where the webhook controller is mounted. Default `'whatsapp/webhook'`; `false` mounts none. */
  webhookPath?: string | false;

  /** Per-request timeout of Graph API calls, in ms. Default 15 000. */
  timeoutMs?: number;
  /** Retry policy for retryable Graph API errors. Default `{ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30000 }`. */
  retry?: WhatsAppRetryOptions | false;
  /** Your own undici dispatcher (proxy, mTLS, tests). Default: one keep-alive `Agent` per module instance. */
  dispatcher?: Dispatcher;
  /** Hosts `media.download` may fetch a URL from (SSRF guard). Default: Meta's media hosts and the `baseUrl` host. */
  mediaDownloadHosts?: string[];
  /** Gate on message sends, shared by instances: e.g. `RedisRateLimiter` (docs/scaling.md). Closed at shutdown. */
  outboundLimiter?: OutboundLimiter;

  /** How the webhook answers: after the handlers ran (`'at-least-once'`, default) or at once (`'background'`). */
  processing?: WebhookProcessingMode;
  /** At-least-once mode: longest wait for handlers before answering; they go on in the background after it. Default 15 000 ms. */
  ackTimeoutMs?: number;
  /** At-least-once mode: answer 200 even when a handler failed (no redelivery of poison updates). Default `false`. */
  acknowledgeFailures?: boolean;
  /** De-duplication of redeliveries. Default: in memory, each update kept 10 to 20 min, 1 250 000 keys at most. */
  dedupe?: WhatsAppDedupeOptions | false;
  /** Required by `processing: 'queue'`: the durable update queue, e.g. `BullMqUpdateQueue` (docs/scaling.md). */
  queue?: UpdateQueue;
  /** Called once per failed handler call, after it was logged. */
  onHandlerError?: (error: unknown, info: HandlerErrorInfo) => void | Promise<void>;

  /**
   * Records sends, statuses and incoming messages, answers `ctx.conversation()`, checks the
   * customer-service window and keeps handler replies from being sent twice (docs/storage.md).
   * `MemoryMessageStore` or `PostgresMessageStore` (`nestjs-whatsapp-cloud/postgres`). Default: none.
   */
  store?: MessageStore;
  /** Free-form send to a user whose window is closed: `'error'` (default with a `store`) or `'allow'` (default without). Templates always go. */
  outsideWindow?: OutsideWindowBehaviour;
  /** A reply found `sending` after a crash: `'skip'` (default: never twice) or `'resend'` (never lost). */
  inDoubtReplies?: InDoubtReplies;
  /** Meta business portfolio id: the default of `business.listAccounts()`. */
  businessId?: string;
  /**
   * Many tenants: the token of the number that received an update, for `ctx.reply()`,
   * `ctx.markAsRead()`, `ctx.react()` and handler return values (docs/tenants.md). Cached for
   * `credentialsTtlMs`; a cached token Meta refuses (auth error, e.g. code 190) is dropped and
   * resolved again once. Without it, the module's `accessToken` answers every update.
   */
  resolveCredentials?: (ids: {
    phoneNumberId?: string;
    businessAccountId?: string;
  }) => Promise<{ accessToken: string }>;
  /** How long a resolved token is reused. Default 300 000 ms (5 min). */
  credentialsTtlMs?: number;
  /** Traces and metrics through `@opentelemetry/api` when installed (docs/observability.md); `false` records nothing. */
  telemetry?: WhatsAppTelemetryOptions | false;
  /** Mounts the Flows data endpoint (default path `'whatsapp/flows'`); docs/flows.md. */
  flows?: WhatsAppFlowsOptions;
}
