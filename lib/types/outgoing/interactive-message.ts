import type { DocumentObject, ImageObject, MediaRef, VideoObject } from './media-object.js';

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image'; image: ImageObject }
  | { type: 'video'; video: VideoObject }
  | { type: 'document'; document: DocumentObject };

interface InteractiveBase {
  /** ≤ 1024 characters. */
  body?: { text: string };
  /** ≤ 60 characters. */
  footer?: { text: string };
}

export interface InteractiveButton extends InteractiveBase {
  type: 'button';
  header?: InteractiveHeader;
  body: { text: string };
  /** 1–3 reply buttons; title ≤ 20, id ≤ 256. */
  action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> };
}

export interface InteractiveList extends InteractiveBase {
  type: 'list';
  header?: { type: 'text'; text: string };
  body: { text: string };
  /** ≤ 10 sections, ≤ 10 rows in all; row title ≤ 24, description ≤ 72, button ≤ 20. */
  action: {
    button: string;
    sections: Array<{
      title?: string;
      rows: Array<{ id: string; title: string; description?: string }>;
    }>;
  };
}

export interface InteractiveCtaUrl extends InteractiveBase {
  type: 'cta_url';
  header?: InteractiveHeader;
  body: { text: string };
  action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
}

/** What a flow message opens: a screen (`navigate`, the default) or your data endpoint (`data_exchange`). */
export type FlowAction = 'navigate' | 'data_exchange';

export interface FlowActionParameters {
  /** `'3'` today. */
  flow_message_version: '3' | (string & {});
  /** Button label, ≤ 30 characters. */
  flow_cta: string;
  /** Echoed back in the `nfm_reply` and to your data endpoint; default `unused`. */
  flow_token?: string;
  /** `flow_id` or `flow_name`. */
  flow_id?: string;
  flow_name?: string;
  flow_action?: FlowAction;
  /** The first screen and its data (`navigate` only; the data endpoint decides with `data_exchange`). */
  flow_action_payload?: { screen: string; data?: Record<string, unknown> };
  mode?: 'draft' | 'published';
}

export interface InteractiveFlow extends InteractiveBase {
  type: 'flow';
  header?: InteractiveHeader;
  body: { text: string };
  action: { name: 'flow'; parameters: FlowActionParameters };
}

export interface InteractiveLocationRequest extends InteractiveBase {
  type: 'location_request_message';
  body: { text: string };
  action: { name: 'send_location' };
}

export interface InteractiveAddress extends InteractiveBase {
  type: 'address_message';
  body: { text: string };
  action: {
    name: 'address_message';
    parameters: {
      /** ISO country code, e.g. `IN`. */
      country: string;
      values?: Record<string, string>;
      saved_addresses?: Array<{ id: string; value: Record<string, string> }>;
      validation_errors?: Record<string, string>;
    };
  };
}

export interface InteractiveProduct extends InteractiveBase {
  type: 'product';
  action: { catalog_id: string; product_retailer_id: string };
}

export interface InteractiveProductList extends InteractiveBase {
  type: 'product_list';
  header: { type: 'text'; text: string };
  body: { text: string };
  action: {
    catalog_id: string;
    sections: Array<{ title: string; product_items: Array<{ product_retailer_id: string }> }>;
  };
}

/** The media header of a carousel card: an image or a video (no caption). */
export type CarouselCardHeader =
  { type: 'image'; image: MediaRef } | { type: 'video'; video: MediaRef };

/** A media card with a URL button. */
export interface CarouselCtaUrlCard {
  /** 0–9, left to right. */
  card_index: number;
  type: 'cta_url';
  header: CarouselCardHeader;
  /** ≤ 160 characters. */
  body?: { text: string };
  action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
}

/** A media card with quick-reply buttons (the same number on every card). */
export interface CarouselQuickReplyCard {
  card_index: number;
  type: 'button' | 'cta_url';
  header: CarouselCardHeader;
  body?: { text: string };
  action: { buttons: Array<{ type: 'quick_reply'; quick_reply: { id: string; title: string } }> };
}

/** A product card: every card of a product carousel names the same catalog. */
export interface CarouselProductCard {
  card_index: number;
  type: 'product';
  action: { product_retailer_id: string; catalog_id: string };
}

export type CarouselMediaCard = CarouselCtaUrlCard | CarouselQuickReplyCard;
export type CarouselCard = CarouselMediaCard | CarouselProductCard;

/** 2–10 horizontally scrollable cards under one body text; no header or footer. */
export interface InteractiveCarousel {
  type: 'carousel';
  body: { text: string };
  action: { cards: CarouselMediaCard[] } | { cards: CarouselProductCard[] };
}

/** Asks the user to share their phone number (the way to reach a BSUID-only user by phone). */
export interface InteractiveRequestContactInfo extends InteractiveBase {
  type: 'request_contact_info';
  body: { text: string };
  action: { name: 'request_contact_info' };
}

/** Asks the user for permission to call them (Calling API). */
export interface InteractiveCallPermissionRequest extends InteractiveBase {
  type: 'call_permission_request';
  body?: { text: string };
  action: { name: 'call_permission_request' };
}

/** A button that starts a WhatsApp voice call to the business. */
export interface InteractiveVoiceCall extends InteractiveBase {
  type: 'voice_call';
  body?: { text: string };
  action: {
    name: 'voice_call';
    /** All optional: label (≤ 20, default "Call Now"), minutes the button lives, a payload echoed in call webhooks. */
    parameters?: { display_text?: string; ttl_minutes?: number; payload?: string };
  };
}

/** Opens the business's catalog; the thumbnail is one product's image. */
export interface InteractiveCatalog extends InteractiveBase {
  type: 'catalog_message';
  body: { text: string };
  action: { name: 'catalog_message'; parameters?: { thumbnail_product_retailer_id?: string } };
}

/** An amount as an integer and its offset: `{ value: 21000, offset: 100 }` is 210.00. */
export interface PaymentAmount {
  value: number;
  offset: number;
  description?: string;
}

export interface OrderItem {
  retailer_id: string;
  name: string;
  amount: PaymentAmount;
  quantity: number;
  sale_amount?: PaymentAmount;
  country_of_origin?: string;
  importer_name?: string;
  importer_address?: Record<string, string>;
}

/** The order of an `order_details` message (India, Brazil, Singapore payments). */
export interface OrderDetailsOrder {
  /** `pending` when sent with order details. */
  status: 'pending' | (string & {});
  catalog_id?: string;
  expiration?: { timestamp: string; description: string };
  items?: OrderItem[];
  subtotal?: PaymentAmount;
  tax?: PaymentAmount;
  shipping?: PaymentAmount;
  discount?: PaymentAmount & { discount_program_name?: string };
}

export interface OrderDetailsParameters {
  /** Your unique order id (≤ 35: letters, digits, `_ - .`), used by every later status. */
  reference_id: string;
  type: 'digital-goods' | 'physical-goods' | (string & {});
  /** `upi`, `br`, ... per market; `payment_configuration` names the one set up in WhatsApp Manager. */
  payment_type?: string;
  payment_configuration?: string;
  /** Brazil and payment links: `[{ type: 'pix_dynamic_code' | 'payment_link' | ..., [type]: {...} }]`. */
  payment_settings?: Array<{ type: string; [field: string]: unknown }>;
  currency: string;
  total_amount: PaymentAmount;
  order?: OrderDetailsOrder;
}

/** A bill the user reviews and pays in WhatsApp (Payments API). */
export interface InteractiveOrderDetails extends InteractiveBase {
  type: 'order_details';
  header?: InteractiveHeader;
  body: { text: string };
  action: { name: 'review_and_pay'; parameters: OrderDetailsParameters };
}

export type OrderStatusValue =
  | 'pending'
  | 'processing'
  | 'partially_shipped'
  | 'shipped'
  | 'completed'
  | 'canceled'
  | (string & {});

/** Updates the order of an earlier `order_details` message (matched by `reference_id`). */
export interface InteractiveOrderStatus extends InteractiveBase {
  type: 'order_status';
  body: { text: string };
  action: {
    name: 'review_order';
    parameters: {
      reference_id: string;
      order: { status: OrderStatusValue; description?: string };
    };
  };
}

export type InteractiveObject =
  | InteractiveButton
  | InteractiveList
  | InteractiveCtaUrl
  | InteractiveFlow
  | InteractiveLocationRequest
  | InteractiveAddress
  | InteractiveProduct
  | InteractiveProductList
  | InteractiveCarousel
  | InteractiveRequestContactInfo
  | InteractiveCallPermissionRequest
  | InteractiveVoiceCall
  | InteractiveCatalog
  | InteractiveOrderDetails
  | InteractiveOrderStatus;

export type InteractiveType = InteractiveObject['type'];
