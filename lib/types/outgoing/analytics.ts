import type { BusinessAccountCallOptions, PhoneNumberCallOptions } from './account-management.js';
import type { MessageRecipient, SendMessageResponse } from './outgoing-message.js';
import type { TemplateObject } from './template-message.js';

// Template and pricing analytics (read only) and the Marketing Messages API send. Shapes follow
// https://developers.facebook.com/docs/whatsapp/business-management-api/analytics and
// https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/pricing_analytics/.

/**
 * A moment of an analytics range: UNIX seconds, a `Date`, or `'YYYY-MM-DD'` (the form Meta takes
 * with `use_waba_timezone`).
 */
export type AnalyticsTime = number | Date | string;

/** A Meta enum value this library may not list yet (upper-case letters, digits, `_`). */
type OpenEnum = string & {};

export type TemplateAnalyticsMetric = 'SENT' | 'DELIVERED' | 'READ' | 'CLICKED' | 'COST' | OpenEnum;

/** Query of `templates.analytics()`: `GET /{waba-id}/template_analytics`. */
export interface TemplateAnalyticsQuery extends BusinessAccountCallOptions {
  start: AnalyticsTime;
  end: AnalyticsTime;
  /** 1 to 10 template ids. */
  templateIds: readonly string[];
  /** Default `'DAILY'` (the only granularity Meta offers for templates). */
  granularity?: 'DAILY';
  /** Default: every metric. */
  metricTypes?: readonly TemplateAnalyticsMetric[];
  /** `'MARKETING_MESSAGES_LITE_API'` for the Marketing Messages API's sends. Default `CLOUD_API`. */
  productType?: 'CLOUD_API' | 'MARKETING_MESSAGES_LITE_API' | OpenEnum;
  /** Days in the WABA's time zone instead of UTC. */
  useWabaTimezone?: boolean;
  limit?: number;
  after?: string;
  before?: string;
}

/** A button's clicks on one day (`quick_reply_button`, `url_button`, `unique_url_button`). */
export interface TemplateButtonClicks {
  type: string;
  button_content: string;
  count: number;
}

/** `amount_spent`, `cost_per_delivered`, `cost_per_url_button_click`; no `value` when not computable. */
export interface TemplateCostMetric {
  type: string;
  value?: number;
}

/** One template on one day. Metrics not asked for (`metricTypes`) are absent. */
export interface TemplateAnalyticsDataPoint {
  template_id: string;
  /** UNIX seconds. */
  start: number;
  end: number;
  sent?: number;
  delivered?: number;
  read?: number;
  clicked?: TemplateButtonClicks[];
  cost?: TemplateCostMetric[];
  [field: string]: unknown;
}

/** Meta's answer: one entry per granularity, its data points over every template asked for. */
export interface TemplateAnalyticsPage {
  data: Array<{
    granularity: string;
    product_type?: string;
    data_points: TemplateAnalyticsDataPoint[];
  }>;
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
}

/** Answer of `templates.enableAnalytics()`: the WABA id. */
export interface EnableTemplateAnalyticsResponse {
  id: string;
}

export type PricingAnalyticsDimension =
  'PHONE' | 'COUNTRY' | 'PRICING_TYPE' | 'PRICING_CATEGORY' | 'TIER' | OpenEnum;

export type PricingCategory =
  | 'MARKETING'
  | 'UTILITY'
  | 'AUTHENTICATION'
  | 'AUTHENTICATION_INTERNATIONAL'
  | 'SERVICE'
  | OpenEnum;

export type PricingType = 'REGULAR' | 'FREE_CUSTOMER_SERVICE' | 'FREE_ENTRY_POINT' | OpenEnum;

/** Query of `accounts.pricingAnalytics()`: `GET /{waba-id}?fields=pricing_analytics.start(…)…`. */
export interface PricingAnalyticsQuery extends BusinessAccountCallOptions {
  start: AnalyticsTime;
  end: AnalyticsTime;
  granularity: 'HALF_HOUR' | 'DAILY' | 'MONTHLY';
  /** Business phone numbers (display numbers, digits), default all. */
  phoneNumbers?: readonly string[];
  /** Two-letter country codes of the recipients, default all. */
  countryCodes?: readonly string[];
  /** Default both. */
  metricTypes?: ReadonlyArray<'VOLUME' | 'COST' | OpenEnum>;
  pricingTypes?: readonly PricingType[];
  pricingCategories?: readonly PricingCategory[];
  /** What each data point is broken down by (its fields then name it). */
  dimensions?: readonly PricingAnalyticsDimension[];
}

/** One bucket; the dimension fields are present for the dimensions asked for. */
export interface PricingAnalyticsDataPoint {
  start: number;
  end: number;
  volume?: number;
  /** In the WABA's currency. */
  cost?: number;
  phone_number?: string;
  country?: string;
  pricing_type?: string;
  pricing_category?: string;
  /** Volume tier of the rate, e.g. `'0:250000'`. */
  tier?: string;
  [field: string]: unknown;
}

/** The `pricing_analytics` field of the WABA (`{ data: [] }` when Meta has nothing to report). */
export interface PricingAnalytics {
  data: Array<{ data_points: PricingAnalyticsDataPoint[] }>;
}

/**
 * Input of `messages.sendMarketing()`: `POST /{phone-number-id}/marketing_messages` (Marketing
 * Messages API for WhatsApp, formerly MM Lite). A MARKETING template to one user only.
 */
export type SendMarketingMessageInput = Exclude<MessageRecipient, { recipientType: 'group' }> &
  PhoneNumberCallOptions & {
    template: TemplateObject;
    /** `'STRICT'`: fail rather than send through Cloud API when MM API cannot take the message. */
    product_policy?: 'CLOUD_API_FALLBACK' | 'STRICT';
    /** Share the message's activity (read, click) with Meta for optimization. */
    message_activity_sharing?: boolean;
    /** Echoed back in status webhooks (≤ 512 chars). */
    biz_opaque_callback_data?: string;
  };

/** Meta answers `/marketing_messages` like `/messages`, sometimes with `success: true`. */
// Meta's reference example answers `contacts`, `messages`, `messaging_product` and `success: true`
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/reference/whatsapp-business-phone-number/marketing-messages-api-for-whatsapp);
// optional here, as partners' captures show the plain `/messages` answer.
export type SendMarketingMessageResponse = SendMessageResponse & { success?: boolean };
