import type { DocumentObject, ImageObject, VideoObject } from './media-object.js';
import type { LocationObject } from './contact-object.js';

/** Named templates (`parameter_format: NAMED`) add `parameter_name` to body/header parameters. */
interface Named {
  parameter_name?: string;
}

export type TemplateParameter =
  | ({ type: 'text'; text: string } & Named)
  | ({
      type: 'currency';
      currency: { fallback_value: string; code: string; amount_1000: number };
    } & Named)
  | ({ type: 'date_time'; date_time: { fallback_value: string } } & Named)
  | { type: 'image'; image: ImageObject }
  | { type: 'video'; video: VideoObject }
  | { type: 'document'; document: DocumentObject }
  | { type: 'location'; location: LocationObject }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string }
  | { type: 'action'; action: TemplateButtonAction }
  /** Header of a product card in a carousel template. */
  | { type: 'product'; product: { product_retailer_id: string; catalog_id: string } }
  /** Of the `limited_time_offer` component. */
  | { type: 'limited_time_offer'; limited_time_offer: { expiration_time_ms: number } };

/** The `action` parameter of a flow, catalog or multi-product (`mpm`) template button. */
export interface TemplateButtonAction {
  flow_token?: string;
  flow_action_data?: Record<string, unknown>;
  thumbnail_product_retailer_id?: string;
  sections?: Array<{ title: string; product_items: Array<{ product_retailer_id: string }> }>;
}

export type TemplateButtonSubType =
  'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog' | 'mpm' | 'otp' | 'voice_call';

export interface TemplateButtonComponent {
  type: 'button';
  /** Lower case as in Meta's reference; upper case (`COPY_CODE`) as in some of its guides. */
  sub_type: TemplateButtonSubType | Uppercase<TemplateButtonSubType>;
  /** Position of the button, `'0'`–`'9'`. */
  index: string | number;
  parameters: TemplateParameter[];
}

/** The coupon button of a marketing template: the user copies `coupon_code` (≤ 15 characters). */
export interface TemplateCopyCodeButton extends TemplateButtonComponent {
  sub_type: 'copy_code' | 'COPY_CODE';
  parameters: [{ type: 'coupon_code'; coupon_code: string }];
}

/**
 * The button of an authentication template, the same for copy code, one-tap and zero-tap: a `url`
 * button at index 0 whose text parameter is the code (the body carries the same code).
 */
export interface TemplateAuthenticationButton extends TemplateButtonComponent {
  sub_type: 'url' | 'URL';
  parameters: [{ type: 'text'; text: string }];
}

/** A card of a carousel template: its header (image, video or product), body and buttons. */
export interface TemplateCarouselCard {
  /** 0–9, left to right. */
  card_index: number;
  components: Array<
    | { type: 'header'; parameters: TemplateParameter[] }
    | { type: 'body'; parameters: TemplateParameter[] }
    | TemplateButtonComponent
  >;
}

/** The cards of a media or product carousel template (after its optional `body` component). */
export interface TemplateCarouselComponent {
  type: 'carousel';
  cards: TemplateCarouselCard[];
}

/**
 * The expiration of a limited-time offer template (`expiration_time_ms`: a Unix time in
 * milliseconds), counted down on the user's screen.
 */
export interface TemplateLimitedTimeOfferComponent {
  type: 'limited_time_offer';
  parameters: [{ type: 'limited_time_offer'; limited_time_offer: { expiration_time_ms: number } }];
}

export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | TemplateButtonComponent
  | TemplateCarouselComponent
  | TemplateLimitedTimeOfferComponent;

export interface TemplateObject {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateComponent[];
}
