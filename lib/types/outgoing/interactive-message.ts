import type { DocumentObject, ImageObject, VideoObject } from './media-object.js';

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

export interface InteractiveFlow extends InteractiveBase {
  type: 'flow';
  header?: InteractiveHeader;
  body: { text: string };
  action: {
    name: 'flow';
    parameters: {
      flow_message_version: '3';
      flow_cta: string;
      flow_token?: string;
      flow_id?: string;
      flow_name?: string;
      flow_action?: 'navigate' | 'data_exchange';
      flow_action_payload?: { screen: string; data?: Record<string, unknown> };
      mode?: 'draft' | 'published';
    };
  };
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

export type InteractiveObject =
  | InteractiveButton
  | InteractiveList
  | InteractiveCtaUrl
  | InteractiveFlow
  | InteractiveLocationRequest
  | InteractiveAddress
  | InteractiveProduct
  | InteractiveProductList;

export type InteractiveType = InteractiveObject['type'];
