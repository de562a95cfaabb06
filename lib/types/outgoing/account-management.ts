import type { CallingSettings } from './groups-calls.js';

/**
 * Inputs and Meta's answers of the management namespaces (`profile`, `phoneNumbers`, `qrCodes`,
 * `blockedUsers`, `subscriptions`, `uploads`, `embeddedSignup`). Option names are camelCase;
 * Meta's payload fields keep Meta's snake_case names.
 */

/** The per-call token of calls on an object by its id (a template, a flow, a group, a media). */
export interface AccessTokenCallOptions {
  /** Another token for this call only (a tenant's); redacted from errors like the module's. */
  accessToken?: string;
}

/** Per-call overrides every management call takes: another number and/or another token. */
export interface PhoneNumberCallOptions extends AccessTokenCallOptions {
  /** Default: the module's (or the account's) `phoneNumberId`. */
  phoneNumberId?: string;
}

/** Per-call overrides of the calls on a WhatsApp Business Account. */
export interface BusinessAccountCallOptions extends AccessTokenCallOptions {
  /** Default: the module's (or the account's) `businessAccountId`. */
  businessAccountId?: string;
}

/** `{ success: true }`. */
export interface ManagementSuccess {
  success: boolean;
}

// ---------------------------------------------------------------- business profile

export type BusinessVertical =
  | 'UNDEFINED'
  | 'OTHER'
  | 'AUTO'
  | 'BEAUTY'
  | 'APPAREL'
  | 'EDU'
  | 'ENTERTAIN'
  | 'EVENT_PLAN'
  | 'FINANCE'
  | 'GROCERY'
  | 'GOVT'
  | 'HOTEL'
  | 'HEALTH'
  | 'NONPROFIT'
  | 'PROF_SERVICES'
  | 'RETAIL'
  | 'TRAVEL'
  | 'RESTAURANT'
  | 'NOT_A_BIZ'
  | (string & {});

/** `GET /{phone-number-id}/whatsapp_business_profile` → `data[0]`. */
export interface BusinessProfile {
  messaging_product?: 'whatsapp';
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  profile_picture_url?: string;
  websites?: string[];
  vertical?: BusinessVertical;
  [key: string]: unknown;
}

/** `POST /{phone-number-id}/whatsapp_business_profile` (only the fields given change). */
export interface UpdateBusinessProfileInput extends PhoneNumberCallOptions {
  /** ≤ 139 characters. */
  about?: string;
  /** ≤ 256 characters. */
  address?: string;
  /** ≤ 512 characters. */
  description?: string;
  /** ≤ 128 characters. */
  email?: string;
  /** Up to 2 URLs (http or https), ≤ 256 characters each. */
  websites?: string[];
  vertical?: BusinessVertical;
  /** A file handle (`h`) from `uploads.uploadFile()` (Resumable Upload API). */
  profile_picture_handle?: string;
}

// ---------------------------------------------------------------- phone numbers

/** The fields of `GET /{phone-number-id}` this library types (Meta adds more: `[key]`). */
export interface PhoneNumberDetails {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | (string & {});
  /** `fields: ['throughput']`: `{ level: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE' }`. */
  throughput?: { level: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE' | (string & {}) };
  messaging_limit_tier?: string;
  code_verification_status?: string;
  /** Display name review: `APPROVED`, `PENDING_REVIEW`, `DECLINED`, `NONE`, ... */
  name_status?: string;
  /** A requested display name under review (with `new_name_status`). */
  new_display_name?: string;
  new_name_status?: string;
  status?: string;
  platform_type?: string;
  is_official_business_account?: boolean;
  [key: string]: unknown;
}

export interface RegisterPhoneNumberInput extends PhoneNumberCallOptions {
  /** The two-step verification PIN: 6 digits (set it here on first registration). */
  pin: string;
  /** ISO 3166 alpha-2 country for Local Storage (data at rest), e.g. `'DE'`. */
  data_localization_region?: string;
}

export interface RequestCodeInput extends PhoneNumberCallOptions {
  code_method: 'SMS' | 'VOICE';
  /** Language of the message, e.g. `'en_US'`. */
  language: string;
}

export interface VerifyCodeInput extends PhoneNumberCallOptions {
  /** The code received by SMS or voice (digits only). */
  code: string;
}

export interface SetTwoStepPinInput extends PhoneNumberCallOptions {
  /** 6 digits. */
  pin: string;
}

/** `GET|POST /{phone-number-id}/settings`: calling, Local Storage, ... (Meta's shape). */
export interface PhoneNumberSettings {
  calling?: CallingSettings;
  storage_configuration?: {
    status?: 'default' | 'in_country_storage_enabled' | (string & {});
    data_localization_region?: string;
  };
  [key: string]: unknown;
}

export interface UpdatePhoneNumberSettingsInput extends PhoneNumberCallOptions {
  settings: PhoneNumberSettings;
}

export interface RequestDisplayNameInput extends PhoneNumberCallOptions {
  new_display_name: string;
}

/** `POST /{phone-number-id}` `webhook_configuration`: the number-level webhook override. */
export interface PhoneWebhookOverrideInput extends PhoneNumberCallOptions {
  override_callback_uri: string;
  verify_token: string;
}

/** A command of conversational automation (`/command`). */
export interface ConversationalCommand {
  /** ≤ 32 characters, no leading `/`. */
  command_name: string;
  /** ≤ 256 characters. */
  command_description: string;
}

export interface ConversationalAutomationInput extends PhoneNumberCallOptions {
  /** Sends the `request_welcome` webhook when a user opens the chat the first time. */
  enable_welcome_message?: boolean;
  /** Up to 30 commands. */
  commands?: ConversationalCommand[];
  /** Ice breakers: up to 4, ≤ 80 characters each. */
  prompts?: string[];
}

export interface ConversationalAutomation {
  enable_welcome_message?: boolean;
  commands?: ConversationalCommand[];
  prompts?: string[];
  [key: string]: unknown;
}

export interface CommerceSettings {
  id?: string;
  is_cart_enabled?: boolean;
  is_catalog_visible?: boolean;
  [key: string]: unknown;
}

export interface UpdateCommerceSettingsInput extends PhoneNumberCallOptions {
  is_cart_enabled?: boolean;
  is_catalog_visible?: boolean;
}

// ---------------------------------------------------------------- QR codes and message links

export interface QrCode {
  code: string;
  prefilled_message: string;
  deep_link_url: string;
  /** Only when an image format was asked for. */
  qr_image_url?: string;
  [key: string]: unknown;
}

export interface CreateQrCodeInput extends PhoneNumberCallOptions {
  /** ≤ 140 characters. */
  prefilled_message: string;
  /** Image of the QR code: `'PNG'` or `'SVG'`; leave out for the link only. */
  generate_qr_image?: 'PNG' | 'SVG';
}

export interface UpdateQrCodeInput extends PhoneNumberCallOptions {
  prefilled_message: string;
}

export interface ListQrCodesQuery extends PhoneNumberCallOptions {
  fields?: string | string[];
  limit?: number;
  after?: string;
  before?: string;
}

// ---------------------------------------------------------------- blocked users

/** A user to block or unblock: phone number / wa_id (`user`) or business-scoped user id (`user_id`). */
export type BlockedUserRef = { user: string; user_id?: never } | { user_id: string; user?: never };

export interface BlockUsersInput extends PhoneNumberCallOptions {
  /** Phone numbers or wa_ids, or `{ user }` / `{ user_id }` objects (≤ 1000 at once). */
  users: Array<string | BlockedUserRef>;
}

/** One user Meta could not (un)block, with Meta's error(s). */
export interface BlockUsersFailure {
  input?: string;
  wa_id?: string;
  user_id?: string;
  errors?: Array<{
    message?: string;
    code?: number;
    error_data?: { details?: string };
    [key: string]: unknown;
  }>;
}

export interface BlockUsersResult {
  messaging_product: 'whatsapp';
  block_users: {
    added_users?: Array<{ input: string; wa_id?: string; user_id?: string }>;
    removed_users?: Array<{ input: string; wa_id?: string; user_id?: string }>;
    failed_users?: BlockUsersFailure[];
  };
  /** Meta's top-level error (code 139100) when some users failed: Meta answered HTTP 400. */
  error?: { message?: string; code?: number; type?: string; fbtrace_id?: string };
  [key: string]: unknown;
}

export interface BlockedUser {
  messaging_product?: 'whatsapp';
  wa_id?: string;
  user_id?: string;
  [key: string]: unknown;
}

export interface ListBlockedUsersQuery extends PhoneNumberCallOptions {
  limit?: number;
  after?: string;
  before?: string;
}

// ---------------------------------------------------------------- webhook subscriptions

export interface SubscribeAppInput extends BusinessAccountCallOptions {
  /** This WABA's webhooks go here instead of the app's callback URL (verified first by Meta). */
  override_callback_uri?: string;
  /** Required with `override_callback_uri`. */
  verify_token?: string;
}

export interface SubscribedApp {
  whatsapp_business_api_data?: { id: string; link?: string; name?: string };
  override_callback_uri?: string;
  [key: string]: unknown;
}

/** `POST /{app-id}/subscriptions`: the app's own webhook (needs an app access token `app-id|app-secret`). */
export interface SubscribeAppWebhookInput {
  appId: string;
  /** App access token (`{app-id}|{app-secret}`, or from `GET /oauth/access_token` client_credentials). */
  appAccessToken: string;
  callback_url: string;
  verify_token: string;
  /** Webhook fields, e.g. `['messages', 'message_template_status_update']`. */
  fields: string[];
  /** Default `'whatsapp_business_account'`. */
  object?: string;
}

// ---------------------------------------------------------------- resumable upload

export interface CreateUploadSessionInput {
  /** The Meta app id the session belongs to. */
  appId: string;
  file_name: string;
  file_length: number;
  /** `application/pdf`, `image/jpeg`, `image/jpg`, `image/png`, `video/mp4`. */
  file_type: string;
  accessToken?: string;
}

export interface UploadSession {
  /** `upload:<session>`, possibly with `?sig=...`: pass it as is. */
  id: string;
  file_offset?: number;
}

export interface UploadFileInput extends Omit<CreateUploadSessionInput, 'file_length'> {
  data: Uint8Array;
}

/** The file handle: `h`, for `header_handle` examples and `profile_picture_handle`. */
export interface UploadedFileHandle {
  h: string;
}

// ---------------------------------------------------------------- Embedded Signup

export interface ExchangeCodeInput {
  appId: string;
  /** Sent in the query string of this one call, redacted from its errors. */
  appSecret: string;
  /** The `code` Embedded Signup handed your page (valid 30 seconds). */
  code: string;
  redirect_uri?: string;
}

export interface ExchangedToken {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  [key: string]: unknown;
}

export interface DebugTokenInput {
  /** The token to inspect. */
  inputToken: string;
  /** Who asks (an app token or a system-user token); default: the module's (or account's) token. */
  accessToken?: string;
}

/** `GET /debug_token` → `data`. */
export interface TokenDebugInfo {
  app_id?: string;
  type?: string;
  application?: string;
  is_valid: boolean;
  /** Unix seconds; `0` = never. */
  expires_at?: number;
  data_access_expires_at?: number;
  scopes?: string[];
  /** `{ scope: 'whatsapp_business_management', target_ids: ['<waba-id>'] }`: what the token reaches. */
  granular_scopes?: Array<{ scope: string; target_ids?: string[] }>;
  user_id?: string;
  error?: { code?: number; message?: string; subcode?: number };
  [key: string]: unknown;
}

export interface OnboardTenantInput {
  appId: string;
  appSecret: string;
  /** Embedded Signup's `code`. */
  code: string;
  /** From Embedded Signup's session-logging message (`data.waba_id`); else the token's only WABA. */
  businessAccountId?: string;
  /** From the session-logging message (`data.phone_number_id`); else the WABA's first number. */
  phoneNumberId?: string;
  /** The 6-digit two-step PIN to register the number with. */
  pin: string;
  data_localization_region?: string;
  /** Send this WABA's webhooks to another URL than the app's. */
  override_callback_uri?: string;
  verify_token?: string;
}

export interface OnboardedTenant {
  /** The business token: store it encrypted (docs/tenants.md), never log it. */
  accessToken: string;
  businessAccountId: string;
  phoneNumberId: string;
  token: TokenDebugInfo;
}
