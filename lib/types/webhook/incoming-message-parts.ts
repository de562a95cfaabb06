// Sub-objects of Meta's incoming message object (`value.messages[]`), snake_case as Meta sends them.

import type { ContactObject } from '../outgoing/contact-object.js';

/** `context`: the message this one replies to, forwarding flags and "message about a product". */
export interface MessageContext {
  /** The number that sent the quoted message (the business for replies to its own messages). */
  from?: string;
  /** The wamid of the quoted message. */
  id?: string;
  forwarded?: boolean;
  /** Forwarded more than 5 times. */
  frequently_forwarded?: boolean;
  /** The user asked about a product of a catalog message. */
  referred_product?: { catalog_id: string; product_retailer_id: string };
}

/** `referral`: the ad or post a click-to-WhatsApp user came from. */
export interface MessageReferral {
  source_url: string;
  source_id: string;
  source_type: 'ad' | 'post' | (string & {});
  body?: string;
  headline?: string;
  media_type?: 'image' | 'video' | (string & {});
  image_url?: string;
  video_url?: string;
  thumbnail_url?: string;
  /** Click id of the ad, for conversion reporting. */
  ctwa_clid?: string;
  welcome_message?: { text: string };
}

/** `identity`: sent when identity change checks are on and the user's identity key changed. */
export interface MessageIdentity {
  acknowledged: boolean;
  created_timestamp: number | string;
  hash: string;
}

/** Media of image / audio / video / document / sticker messages. `url` appears in webhooks since 2025 (not always). */
export interface IncomingMedia {
  id: string;
  mime_type: string;
  sha256?: string;
  caption?: string;
  url?: string;
}

export interface IncomingDocument extends IncomingMedia {
  filename?: string;
}

export interface IncomingAudio extends IncomingMedia {
  /** `true` for voice notes recorded in WhatsApp. */
  voice?: boolean;
}

export interface IncomingSticker extends IncomingMedia {
  animated?: boolean;
}

export interface IncomingLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/**
 * One shared contact card (`contacts[]` of a `contacts` message): the same Meta shape as an
 * outgoing card, so one type serves both directions.
 */
export type IncomingContactCard = ContactObject;

export interface ButtonReply {
  type: 'button_reply';
  button_reply: { id: string; title: string };
}

export interface ListReply {
  type: 'list_reply';
  list_reply: { id: string; title: string; description?: string };
}

/** Reply of a WhatsApp Flow (`nfm_reply`); `response_json` is a JSON string. */
export interface FlowReply {
  type: 'nfm_reply';
  nfm_reply: { name?: string; body?: string; response_json: string };
}

/** Answer to a call permission request. */
export interface CallPermissionReply {
  type: 'call_permission_reply';
  call_permission_reply: {
    response: 'accept' | 'reject' | (string & {});
    is_permanent?: boolean;
    expiration_timestamp?: number;
    response_source?: string;
  };
}

/** `interactive`: the user tapped a reply button, picked a list row, or submitted a Flow. */
export type IncomingInteractive = ButtonReply | ListReply | FlowReply | CallPermissionReply;

/** `button`: the user tapped a quick-reply button of a template. */
export interface IncomingButton {
  payload: string;
  text: string;
}

/** `reaction`: an emoji on a message; no `emoji` means the reaction was removed. */
export interface IncomingReaction {
  message_id: string;
  emoji?: string;
}

export interface IncomingOrder {
  catalog_id: string;
  text?: string;
  product_items: Array<{
    product_retailer_id: string;
    quantity: number;
    item_price: number;
    currency: string;
  }>;
}

/** `system`: the user changed number or identity. */
export interface IncomingSystem {
  body: string;
  type:
    | 'user_changed_number'
    | 'customer_changed_number'
    | 'customer_identity_changed'
    | 'user_changed_user_id'
    | (string & {});
  /** New wa_id when the user changed number. */
  wa_id?: string;
  new_wa_id?: string;
  identity?: string;
  customer?: string;
  /** New BSUID, for `user_changed_user_id`. */
  user_id?: string;
  parent_user_id?: string;
}

/**
 * `edit.message` of an `edit` message: the edited content, e.g. `{ type: 'text', text: { body } }`
 * or `{ type: 'image', image: { caption, ... } }`, with the `context` of the original when it quoted one.
 */
export interface IncomingEditedContent {
  type: 'text' | 'image' | 'video' | 'document' | (string & {});
  context?: MessageContext;
  text?: { body: string };
  image?: IncomingMedia;
  video?: IncomingMedia;
  document?: IncomingDocument;
  [field: string]: unknown;
}
