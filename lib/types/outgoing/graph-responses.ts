/** Answers of the Graph API endpoints the client calls (Meta's field names). */
import type { AccessTokenCallOptions } from './account-management.js';

/** Cursor pagination of Graph list endpoints. */
export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  /** Absent on the last page. */
  next?: string;
  previous?: string;
}

export interface GraphPage<T> {
  data: T[];
  paging?: GraphPaging;
}

/** `GET /{media-id}`. The `url` is valid for 5 minutes and needs the bearer token. */
export interface MediaInfo {
  messaging_product?: 'whatsapp';
  id: string;
  url: string;
  mime_type: string;
  sha256: string;
  /** A number in captures, a string in Meta's docs. */
  file_size: number | string;
}

export interface MediaUploadResponse {
  id: string;
}

export type MessageTemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type MessageTemplateStatus =
  | 'APPROVED'
  | 'PENDING'
  | 'REJECTED'
  | 'PAUSED'
  | 'DISABLED'
  | 'IN_APPEAL'
  | 'PENDING_DELETION'
  | 'DELETED'
  | 'LIMIT_EXCEEDED'
  | 'ARCHIVED';

/** A component of a template definition (create/update/list); Meta's upper-case shape. */
export interface TemplateDefinitionComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | (string & {});
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION' | (string & {});
  text?: string;
  buttons?: Array<Record<string, unknown> & { type: string; text?: string }>;
  example?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  status: MessageTemplateStatus | (string & {});
  category: MessageTemplateCategory | (string & {});
  components?: TemplateDefinitionComponent[];
  parameter_format?: 'POSITIONAL' | 'NAMED';
  quality_score?: { score: string; date?: number };
  rejected_reason?: string;
  [key: string]: unknown;
}

/** One button of a Template Library template (`library_template_button_inputs[]`). */
export interface TemplateLibraryButtonInput {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'OTP' | (string & {});
  /** URL buttons: the link, with `{{1}}` for a variable suffix, and an example of the full URL. */
  url?: { base_url: string; url_suffix_example?: string };
  /** PHONE_NUMBER buttons, E.164 with `+`. */
  phone_number?: string;
  /** OTP buttons. */
  otp_type?: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP' | (string & {});
  zero_tap_terms_accepted?: boolean;
  /** ONE_TAP / ZERO_TAP: the Android apps that receive the code. */
  supported_apps?: Array<{ package_name: string; signature_hash: string }>;
  [field: string]: unknown;
}

/** The optional parts of a Template Library template's body (`library_template_body_inputs`). */
export interface TemplateLibraryBodyInputs {
  add_contact_number?: boolean;
  add_learn_more_link?: boolean;
  add_security_recommendation?: boolean;
  add_track_package_link?: boolean;
  /** Authentication templates: minutes until the code expires. */
  code_expiration_minutes?: number;
  [field: string]: unknown;
}

/** Body of `templates.create`. */
export interface CreateTemplateInput {
  name: string;
  language: string;
  category: MessageTemplateCategory;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  allow_category_change?: boolean;
  /** Required, unless `library_template_name` is given (Meta then supplies the components). */
  components?: TemplateDefinitionComponent[];
  /** Template Library creation, e.g. `'delivery_update_1'`. */
  library_template_name?: string;
  /** The library template's buttons, in its order: the URL, phone number or OTP it needs. */
  library_template_button_inputs?: TemplateLibraryButtonInput[];
  /** The optional parts of the library template's body (contact number, security recommendation...). */
  library_template_body_inputs?: TemplateLibraryBodyInputs;
  /** Whatever Meta adds next reaches it as given. */
  [field: string]: unknown;
  /** WABA override; defaults to the module's `businessAccountId`. */
  businessAccountId?: string;
  /** Per-call token (a tenant's); never sent in the body. */
  accessToken?: string;
}

export interface CreateTemplateResponse {
  id: string;
  status: MessageTemplateStatus | (string & {});
  category: MessageTemplateCategory | (string & {});
}

/** Body of `templates.update(id, def)`: only components and/or category can change. */
export interface UpdateTemplateInput extends AccessTokenCallOptions {
  components?: TemplateDefinitionComponent[];
  category?: MessageTemplateCategory;
  message_send_ttl_seconds?: number;
}

export interface ListTemplatesQuery extends AccessTokenCallOptions {
  /** Comma-separated Graph fields; default `name,status,category,language,components,...`. */
  fields?: string | string[];
  limit?: number;
  after?: string;
  before?: string;
  name?: string;
  status?: MessageTemplateStatus;
  category?: MessageTemplateCategory;
  language?: string;
  businessAccountId?: string;
}

export interface DeleteTemplateInput extends AccessTokenCallOptions {
  /** Deletes every language of this name, or only `hsmId` when given. */
  name: string;
  hsmId?: string;
  businessAccountId?: string;
}

export interface PhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
  code_verification_status?: string;
  messaging_limit_tier?: string;
  status?: string;
  throughput?: { level: string };
  [key: string]: unknown;
}

export interface ListPhoneNumbersQuery {
  fields?: string | string[];
  limit?: number;
  after?: string;
  before?: string;
  businessAccountId?: string;
  /** Per-call token (a tenant's), over the client's. */
  accessToken?: string;
}

export interface GetPhoneNumberQuery {
  fields?: string | string[];
  /** Per-call token (a tenant's), over the client's. */
  accessToken?: string;
}

export interface BusinessAccount {
  id: string;
  name?: string;
  currency?: string;
  timezone_id?: string;
  message_template_namespace?: string;
  [key: string]: unknown;
}

export interface ListBusinessAccountsQuery {
  /** The Meta business (portfolio) id whose WhatsApp Business Accounts are listed; default: the module option `businessId`. */
  businessId?: string;
  /** `owned` (default): `/{business-id}/owned_whatsapp_business_accounts`; `client`: shared with you. */
  relation?: 'owned' | 'client';
  fields?: string | string[];
  limit?: number;
  after?: string;
  before?: string;
  /** Per-call token (a tenant's), over the client's. */
  accessToken?: string;
}
