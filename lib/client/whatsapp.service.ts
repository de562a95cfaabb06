import { inspect } from 'node:util';
import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import type { GraphContext } from './graph-context.js';
import { GraphApi } from './graph/graph-api.js';
import { GraphTransport } from './http/graph-transport.js';
import type { OutboundLimiter } from '../types/ports/outbound-limiter.js';
import { AccountsApi } from './namespaces/accounts.api.js';
import { BusinessApi } from './namespaces/business.api.js';
import { MediaApi } from './namespaces/media.api.js';
import { MessagesApi } from './namespaces/messages.api.js';
import { TemplatesApi } from './namespaces/templates.api.js';
import { SendRecorder } from '../store/send-recorder.js';
import { GroupsApi } from './namespaces/groups.api.js';
import { CallsApi } from './namespaces/calls.api.js';
import { ProfileApi } from './namespaces/profile.api.js';
import { PhoneNumbersApi } from './namespaces/phone-numbers.api.js';
import { QrCodesApi } from './namespaces/qr-codes.api.js';
import { BlockedUsersApi } from './namespaces/blocked-users.api.js';
import { SubscriptionsApi } from './namespaces/subscriptions.api.js';
import { UploadsApi } from './namespaces/uploads.api.js';
import { EmbeddedSignupApi } from './namespaces/embedded-signup.api.js';
import { forAccount } from './for-account.js';
import type {
  WhatsAppAccountClient,
  WhatsAppAccountCredentials,
} from './whatsapp-account-client.js';
import { Telemetry, WHATSAPP_TELEMETRY } from '../telemetry/telemetry.js';
import { FlowsApi } from './namespaces/flows.api.js';

/**
 * Optional provider of `WhatsAppServiceInternals`: a seam for this repository's own tests
 * (deterministic jitter, no real sleeping). Not exported from the package: apps never need it.
 */
export const WHATSAPP_SERVICE_INTERNALS = Symbol('WHATSAPP_SERVICE_INTERNALS');

/** Test seams of the transport (deterministic jitter, no real sleeping). Not needed in apps. */
export interface WhatsAppServiceInternals {
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * The typed Graph API client. Namespaces mirror the Graph API: `messages`, `media`, `templates`,
 * `accounts`, `business`, and `graph` for any other endpoint. One keep-alive undici Agent per instance (unless `dispatcher` is given),
 * closed on application shutdown. The options object is not kept, so the access token is only
 * held by the transport's private fields and never shows in `util.inspect` or JSON.
 */
@Injectable()
export class WhatsAppService implements OnApplicationShutdown {
  readonly messages: MessagesApi;
  readonly media: MediaApi;
  readonly templates: TemplatesApi;
  readonly accounts: AccountsApi;
  readonly business: BusinessApi;
  /** Groups API: create, get, list, update, delete, invite links, join requests, participants. */
  readonly groups: GroupsApi;
  /** Calling API signaling: connect, preAccept, accept, reject, terminate, permissions, settings. */
  readonly calls: CallsApi;
  /** WhatsApp Flows: management, and the business encryption key (docs/flows.md). */
  readonly flows: FlowsApi;
  /** Any Graph endpoint: `graph.request<T>({ method, path, query?, body?, form?, accessToken? })`. */
  readonly graph: GraphApi;
  readonly profile: ProfileApi;
  readonly phoneNumbers: PhoneNumbersApi;
  readonly qrCodes: QrCodesApi;
  readonly blockedUsers: BlockedUsersApi;
  readonly subscriptions: SubscriptionsApi;
  readonly uploads: UploadsApi;
  readonly embeddedSignup: EmbeddedSignupApi;
  readonly #transport: GraphTransport;
  readonly #ctx: GraphContext;
  readonly #outboundLimiter?: OutboundLimiter;

  constructor(
    @Inject(WHATSAPP_OPTIONS) options: ResolvedWhatsAppOptions,
    @Optional() @Inject(WHATSAPP_SERVICE_INTERNALS) internals: WhatsAppServiceInternals = {},
    @Optional() @Inject(WHATSAPP_TELEMETRY) telemetry: Telemetry = Telemetry.NOOP,
  ) {
    this.#transport = new GraphTransport({
      accessToken: options.accessToken,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      dispatcher: options.dispatcher,
      random: internals.random,
      sleep: internals.sleep,
      telemetry,
    });
    this.graph = new GraphApi({
      transport: this.#transport,
      apiVersion: options.apiVersion,
      outboundLimiter: options.outboundLimiter,
      telemetry,
    });
    const ctx: GraphContext = {
      graph: this.graph,
      transport: this.#transport,
      phoneNumberId: options.phoneNumberId,
      businessAccountId: options.businessAccountId,
      businessId: options.businessId,
      mediaDownloadHosts: new Set(options.mediaDownloadHosts.map((h) => h.toLowerCase())),
      baseUrl: new URL(options.baseUrl),
      sendRecorder:
        options.store === undefined
          ? undefined
          : new SendRecorder(options.store, options.outsideWindow),
    };
    this.#outboundLimiter = options.outboundLimiter;
    this.messages = new MessagesApi(ctx);
    this.media = new MediaApi(ctx);
    this.templates = new TemplatesApi(ctx);
    this.accounts = new AccountsApi(ctx);
    this.business = new BusinessApi(ctx);
    this.groups = new GroupsApi(ctx);
    this.calls = new CallsApi(ctx);
    this.profile = new ProfileApi(ctx);
    this.phoneNumbers = new PhoneNumbersApi(ctx);
    this.qrCodes = new QrCodesApi(ctx);
    this.blockedUsers = new BlockedUsersApi(ctx);
    this.subscriptions = new SubscriptionsApi(ctx);
    this.uploads = new UploadsApi(ctx);
    this.embeddedSignup = new EmbeddedSignupApi(ctx);
    this.flows = new FlowsApi(ctx);
    this.#ctx = ctx;
  }

  /**
   * The same namespaces bound to another account's token (and default number/WABA), sharing this
   * client's transport: cheap enough to call per request (docs/tenants.md).
   */
  forAccount(account: WhatsAppAccountCredentials): WhatsAppAccountClient {
    return forAccount(this.#ctx, this.#transport, account);
  }

  /** Closes the connection pool this instance created (a given `dispatcher` is left open). */
  async onApplicationShutdown(): Promise<void> {
    await this.#transport.close();
    await this.#outboundLimiter?.close?.();
  }

  /** For direct (non-Nest) use: same as the shutdown hook. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  toString(): string {
    return `WhatsAppService(${this.#transport.origin})`;
  }

  toJSON(): Record<string, string> {
    return { service: 'WhatsAppService', origin: this.#transport.origin };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
