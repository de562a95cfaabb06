/** A simulated WhatsApp user of the sandbox (one chat on the chat page). */
export interface SandboxUser {
  /** Phone number in international format without `+` (Meta's `wa_id`). */
  wa_id: string;
  /** Profile name sent in `contacts[].profile.name`. */
  name: string;
}

/**
 * One more business (tenant) the sandbox emulates besides the one the top-level options describe:
 * its own WABA, number and token. A Graph call with one business's token on another's number gets
 * Meta's permission error.
 */
export interface SandboxBusinessOptions {
  /** The business number (`metadata.phone_number_id` of its webhooks). */
  phoneNumberId: string;
  /** Its WhatsApp Business Account (entry id of its webhooks). */
  businessAccountId: string;
  /** Digits of the number as users see it. Default: derived from `phoneNumberId`. */
  displayPhoneNumber?: string;
  /** Meta business (portfolio) owning the WABA. Default: the top-level `businessId`. */
  businessId?: string;
  /** `verified_name` of the number, and its name on the chat page's business picker. */
  verifiedName?: string;
  /** Its token; when set, its number and WABA answer only to it (error 190 without, 200 with another's). */
  accessToken?: string;
}

/** A business the sandbox emulates, after defaults. The first one is the top-level options'. */
export type SandboxBusiness = Required<Omit<SandboxBusinessOptions, 'accessToken'>> & {
  accessToken?: string;
};

/** Redelivery of webhook POSTs the app did not answer with 200. */
export interface SandboxWebhookRetryOptions {
  /** Attempts after the first one. Default 5. */
  maxRetries?: number;
  /** First backoff delay in ms, doubled after each failure. Default 1000. */
  baseDelayMs?: number;
  /** Cap of one delay in ms. Default 30 000. */
  maxDelayMs?: number;
}

export interface WhatsAppSandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `'127.0.0.1'`. */
  host?: string;
  /**
   * Host names (or addresses) the sandbox answers besides loopback (`localhost`, `*.localhost`, `127.x.x.x`,
   * `::1`) and `host`; any other `Host` header gets 403 (DNS rebinding). Add the name or LAN address you
   * browse to when `host` is `'0.0.0.0'`. Default none.
   */
  allowedHosts?: string[];
  /** Where webhooks are POSTed, e.g. `http://127.0.0.1:3000/whatsapp/webhook`. Without it nothing is delivered. */
  webhookUrl?: string;
  /** Signs `X-Hub-Signature-256`. Never shown on the chat page or in logs. */
  appSecret: string;
  /**
   * The Meta app id: `POST /{app-id}/uploads` (Resumable Upload API), `POST /{app-id}/subscriptions`
   * and Embedded Signup's `oauth/access_token` (`client_id` with `appSecret`). Default `'1096205238817561'`.
   */
  appId?: string;
  /** The business number the sandbox emulates. Default `'109283746501928'`. */
  phoneNumberId?: string;
  /** Default `'15557771234'`. */
  displayPhoneNumber?: string;
  /** WhatsApp Business Account id (entry id of webhooks). Default `'184736291047562'`. */
  businessAccountId?: string;
  /** Meta business (portfolio) id owning the WABA, for `business.listAccounts`. Default `'1029384756473829'`. */
  businessId?: string;
  /** `verified_name` of the phone number. Default `'Sandbox Business'`. */
  verifiedName?: string;
  /** When set, every Graph request needs `Authorization: Bearer <accessToken>` (else error 190). */
  accessToken?: string;
  /** More businesses (tenants), each with its WABA, number and token. Default none. */
  businesses?: SandboxBusinessOptions[];
  /** Simulated users present at start. Default two users. */
  users?: SandboxUser[];
  /** Delay before a `delivered` status, in ms. Default 300. */
  deliveredAfterMs?: number;
  /** Delay before a `read` status when nobody opens the chat; `false` waits for the chat page. Default 3000. */
  readAfterMs?: number | false;
  /** Delay of template review (PENDING → APPROVED/REJECTED), in ms. Default 1000. */
  templateReviewMs?: number;
  /** Template names containing one of these are rejected. Default `['reject']`. */
  rejectTemplateNamesContaining?: string[];
  /** How long updates wait to be batched into one POST, in ms. Default 20. */
  batchWindowMs?: number;
  /** Most updates in one POST (Meta: up to 1000). Default 1000. */
  maxBatchSize?: number;
  /** Webhook redelivery policy; `false` sends once. */
  webhookRetry?: SandboxWebhookRetryOptions | false;
  /** Timeout of one webhook POST, in ms. Default 15 000. */
  webhookTimeoutMs?: number;
  /**
   * A free-form message outside the 24-hour customer service window: `'reject'` (default) answers 131047 at once,
   * `'failed-status'` accepts it and sends a `failed` status with 131047, as Meta does.
   */
  windowViolation?: 'reject' | 'failed-status';
  /** Templates present at start, APPROVED. Default: Meta's `hello_world` (en_US). */
  templates?: SandboxTemplateSeed[];
  /** Lines the sandbox prints (webhook failures); default: nothing. */
  logger?: (line: string) => void;
}

/** A template present at start, already approved. */
export interface SandboxTemplateSeed {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  components: Array<Record<string, unknown>>;
  parameter_format?: 'POSITIONAL' | 'NAMED';
}

export type ResolvedSandboxOptions = Required<
  Omit<
    WhatsAppSandboxOptions,
    'webhookUrl' | 'accessToken' | 'webhookRetry' | 'logger' | 'businesses'
  >
> & {
  /** Every business, the top-level one first. */
  businesses: SandboxBusiness[];
  webhookUrl?: string;
  accessToken?: string;
  webhookRetry: Required<SandboxWebhookRetryOptions> | false;
  logger: (line: string) => void;
};

export const DEFAULT_SANDBOX_USERS: SandboxUser[] = [
  { wa_id: '12025550147', name: 'Maya Ortiz' },
  { wa_id: '447700900123', name: 'Leo Park' },
];

/** Meta's sample template, present on every test account. */
export const HELLO_WORLD_TEMPLATE: SandboxTemplateSeed = {
  name: 'hello_world',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
    {
      type: 'BODY',
      text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
    },
    { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
  ],
};

/** Applies defaults and checks the options, naming the bad field. */
export function resolveSandboxOptions(options: WhatsAppSandboxOptions): ResolvedSandboxOptions {
  if (typeof options.appSecret !== 'string' || options.appSecret === '') {
    throw new TypeError('WhatsAppSandbox: option "appSecret" must be a non-empty string');
  }
  if (options.webhookUrl !== undefined && !/^https?:\/\//.test(options.webhookUrl)) {
    throw new TypeError('WhatsAppSandbox: option "webhookUrl" must be an http(s) URL');
  }
  for (const host of options.allowedHosts ?? []) {
    if (typeof host !== 'string' || !/^[\w.\-:[\]]+$/.test(host)) {
      throw new TypeError(
        `WhatsAppSandbox: option "allowedHosts[]" must be host names or addresses, got "${String(host)}"`,
      );
    }
  }
  if (options.appId !== undefined && !/^\d{1,20}$/.test(String(options.appId))) {
    throw new TypeError('WhatsAppSandbox: option "appId" must be digits');
  }
  for (const user of options.users ?? []) {
    if (!/^\d{6,15}$/.test(user.wa_id)) {
      throw new TypeError(
        `WhatsAppSandbox: option "users[].wa_id" must be 6-15 digits, got "${user.wa_id}"`,
      );
    }
  }
  const retry = options.webhookRetry;
  const primary: SandboxBusiness = {
    phoneNumberId: options.phoneNumberId ?? '109283746501928',
    displayPhoneNumber: (options.displayPhoneNumber ?? '15557771234').replace(/\D/g, ''),
    businessAccountId: options.businessAccountId ?? '184736291047562',
    businessId: options.businessId ?? '1029384756473829',
    verifiedName: options.verifiedName ?? 'Sandbox Business',
    accessToken: options.accessToken,
  };
  const businesses = [
    primary,
    ...(options.businesses ?? []).map((b) => resolveBusiness(b, primary)),
  ];
  checkUniqueBusinesses(businesses);
  return {
    businesses,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    allowedHosts: [...(options.allowedHosts ?? [])],
    webhookUrl: options.webhookUrl,
    appSecret: options.appSecret,
    appId: options.appId ?? '1096205238817561',
    phoneNumberId: primary.phoneNumberId,
    displayPhoneNumber: primary.displayPhoneNumber,
    businessAccountId: primary.businessAccountId,
    businessId: primary.businessId,
    verifiedName: primary.verifiedName,
    accessToken: primary.accessToken,
    users: options.users ?? DEFAULT_SANDBOX_USERS,
    deliveredAfterMs: options.deliveredAfterMs ?? 300,
    readAfterMs: options.readAfterMs ?? 3000,
    templateReviewMs: options.templateReviewMs ?? 1000,
    rejectTemplateNamesContaining: options.rejectTemplateNamesContaining ?? ['reject'],
    batchWindowMs: options.batchWindowMs ?? 20,
    maxBatchSize: Math.min(options.maxBatchSize ?? 1000, 1000),
    webhookRetry:
      retry === false
        ? false
        : {
            maxRetries: retry?.maxRetries ?? 5,
            baseDelayMs: retry?.baseDelayMs ?? 1000,
            maxDelayMs: retry?.maxDelayMs ?? 30_000,
          },
    webhookTimeoutMs: options.webhookTimeoutMs ?? 15_000,
    windowViolation: options.windowViolation ?? 'reject',
    templates: options.templates ?? [HELLO_WORLD_TEMPLATE],
    logger: options.logger ?? (() => undefined),
  };
}

function resolveBusiness(b: SandboxBusinessOptions, primary: SandboxBusiness): SandboxBusiness {
  for (const key of ['phoneNumberId', 'businessAccountId'] as const) {
    if (typeof b[key] !== 'string' || !/^\d{1,20}$/.test(b[key])) {
      throw new TypeError(
        `WhatsAppSandbox: option "businesses[].${key}" must be digits, got "${String(b[key])}"`,
      );
    }
  }
  if (b.accessToken !== undefined && (typeof b.accessToken !== 'string' || b.accessToken === '')) {
    throw new TypeError(
      'WhatsAppSandbox: option "businesses[].accessToken" must be a non-empty string',
    );
  }
  return {
    phoneNumberId: b.phoneNumberId,
    businessAccountId: b.businessAccountId,
    displayPhoneNumber: (
      b.displayPhoneNumber ?? `1555${b.phoneNumberId.slice(-7).padStart(7, '0')}`
    ).replace(/\D/g, ''),
    businessId: b.businessId ?? primary.businessId,
    verifiedName: b.verifiedName ?? `Business ${b.phoneNumberId.slice(-4)}`,
    accessToken: b.accessToken,
  };
}

/** Two businesses may share a WABA (several numbers), never a number. */
function checkUniqueBusinesses(businesses: SandboxBusiness[]): void {
  const seen = new Set<string>();
  for (const b of businesses) {
    if (seen.has(b.phoneNumberId)) {
      throw new TypeError(
        `WhatsAppSandbox: phone number "${b.phoneNumberId}" appears in two businesses`,
      );
    }
    seen.add(b.phoneNumberId);
  }
}
