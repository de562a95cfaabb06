import { inspect } from 'node:util';
import type { GraphContext } from './graph-context.js';
import type { GraphApi } from './graph/graph-api.js';
import { AccountsApi } from './namespaces/accounts.api.js';
import { BlockedUsersApi } from './namespaces/blocked-users.api.js';
import { BusinessApi } from './namespaces/business.api.js';
import { CallsApi } from './namespaces/calls.api.js';
import { FlowsApi } from './namespaces/flows.api.js';
import { GroupsApi } from './namespaces/groups.api.js';
import { EmbeddedSignupApi } from './namespaces/embedded-signup.api.js';
import { MediaApi } from './namespaces/media.api.js';
import { MessagesApi } from './namespaces/messages.api.js';
import { PhoneNumbersApi } from './namespaces/phone-numbers.api.js';
import { ProfileApi } from './namespaces/profile.api.js';
import { QrCodesApi } from './namespaces/qr-codes.api.js';
import { SubscriptionsApi } from './namespaces/subscriptions.api.js';
import { TemplatesApi } from './namespaces/templates.api.js';
import { UploadsApi } from './namespaces/uploads.api.js';

/** `whatsapp.forAccount(...)`'s argument: another business's token and defaults. */
export interface WhatsAppAccountCredentials {
  accessToken: string;
  phoneNumberId?: string;
  businessAccountId?: string;
}

/**
 * The client's namespaces bound to another account (a tenant): its token and default number/WABA,
 * over the module's transport (one undici agent, one outbound limiter, same retries and redaction).
 * Built per request: the constructor stores three references; each namespace is created on first
 * use (docs/tenants.md has the measured cost). The token is in a private field of the transport
 * wrapper: `util.inspect`, `JSON.stringify` and `String()` show only the ids.
 */
export class WhatsAppAccountClient {
  /** Any Graph endpoint, with this account's token by default. */
  readonly graph: GraphApi;
  readonly phoneNumberId: string | undefined;
  readonly businessAccountId: string | undefined;
  readonly #ctx: GraphContext;
  #messages?: MessagesApi;
  #media?: MediaApi;
  #templates?: TemplatesApi;
  #accounts?: AccountsApi;
  #business?: BusinessApi;
  #profile?: ProfileApi;
  #phoneNumbers?: PhoneNumbersApi;
  #qrCodes?: QrCodesApi;
  #blockedUsers?: BlockedUsersApi;
  #subscriptions?: SubscriptionsApi;
  #uploads?: UploadsApi;
  #embeddedSignup?: EmbeddedSignupApi;
  #groups?: GroupsApi;
  #calls?: CallsApi;
  #flows?: FlowsApi;

  /** @internal Use `whatsapp.forAccount()`. */
  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
    this.graph = ctx.graph;
    this.phoneNumberId = ctx.phoneNumberId;
    this.businessAccountId = ctx.businessAccountId;
  }

  get messages(): MessagesApi {
    return (this.#messages ??= new MessagesApi(this.#ctx));
  }
  get media(): MediaApi {
    return (this.#media ??= new MediaApi(this.#ctx));
  }
  get templates(): TemplatesApi {
    return (this.#templates ??= new TemplatesApi(this.#ctx));
  }
  get accounts(): AccountsApi {
    return (this.#accounts ??= new AccountsApi(this.#ctx));
  }
  get business(): BusinessApi {
    return (this.#business ??= new BusinessApi(this.#ctx));
  }
  get profile(): ProfileApi {
    return (this.#profile ??= new ProfileApi(this.#ctx));
  }
  get phoneNumbers(): PhoneNumbersApi {
    return (this.#phoneNumbers ??= new PhoneNumbersApi(this.#ctx));
  }
  get qrCodes(): QrCodesApi {
    return (this.#qrCodes ??= new QrCodesApi(this.#ctx));
  }
  get blockedUsers(): BlockedUsersApi {
    return (this.#blockedUsers ??= new BlockedUsersApi(this.#ctx));
  }
  get subscriptions(): SubscriptionsApi {
    return (this.#subscriptions ??= new SubscriptionsApi(this.#ctx));
  }
  get uploads(): UploadsApi {
    return (this.#uploads ??= new UploadsApi(this.#ctx));
  }
  get embeddedSignup(): EmbeddedSignupApi {
    return (this.#embeddedSignup ??= new EmbeddedSignupApi(this.#ctx));
  }
  get groups(): GroupsApi {
    return (this.#groups ??= new GroupsApi(this.#ctx));
  }
  get calls(): CallsApi {
    return (this.#calls ??= new CallsApi(this.#ctx));
  }
  get flows(): FlowsApi {
    return (this.#flows ??= new FlowsApi(this.#ctx));
  }

  toString(): string {
    return `WhatsAppAccountClient(${this.phoneNumberId ?? '-'}, ${this.businessAccountId ?? '-'})`;
  }

  toJSON(): Record<string, string | undefined> {
    return {
      client: 'WhatsAppAccountClient',
      phoneNumberId: this.phoneNumberId,
      businessAccountId: this.businessAccountId,
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
