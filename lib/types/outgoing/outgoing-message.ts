// The names in this file are a contract other parts of the library code against; keep them.
import type {
  ContactObject,
  LocationObject,
  ReactionObject,
  TextObject,
} from './contact-object.js';
import type { InteractiveObject, InteractiveType } from './interactive-message.js';
import type {
  AudioObject,
  DocumentObject,
  ImageObject,
  StickerObject,
  VideoObject,
} from './media-object.js';
import type { TemplateObject } from './template-message.js';

/** Message content in Meta's JSON shape, without the recipient fields: `{ type: 'text', text: { body } }`, ... */
export type OutgoingMessage =
  | { type: 'text'; text: TextObject }
  | { type: 'image'; image: ImageObject }
  | { type: 'audio'; audio: AudioObject }
  | { type: 'video'; video: VideoObject }
  | { type: 'document'; document: DocumentObject }
  | { type: 'sticker'; sticker: StickerObject }
  | { type: 'location'; location: LocationObject }
  | { type: 'contacts'; contacts: ContactObject[] }
  | { type: 'reaction'; reaction: ReactionObject }
  | { type: 'interactive'; interactive: InteractiveObject }
  | { type: 'template'; template: TemplateObject };

export type OutgoingMessageType = OutgoingMessage['type'];

/**
 * Who a message goes to: a phone number (`to`) or a business-scoped user id (`recipient`), or a
 * group (`{ recipientType: 'group', to: '<group id>' }`, sent as `recipient_type: 'group'`).
 */
export type MessageRecipient =
  | { to: string; recipient?: string; recipientType?: 'individual' }
  | { recipient: string; to?: string; recipientType?: 'individual' }
  | GroupRecipient;

/** A group of the Groups API: `to` is the group id (from `groups.create`'s webhook or `groups.list`). */
export interface GroupRecipient {
  recipientType: 'group';
  /** The group id. */
  to: string;
  recipient?: never;
}

/** Common fields of every send. */
export interface SendOptions {
  /** Sending number; defaults to the module's `phoneNumberId`. */
  phoneNumberId?: string;
  /** Message id to quote (sent as `context.message_id`). Not allowed on reactions. */
  replyTo?: string;
  /** Echoed back in status webhooks (≤ 512 chars). */
  biz_opaque_callback_data?: string;
  /** With a message `store`: refuse (`'error'`) or send (`'allow'`) a free-form message outside the customer-service window. Overrides the module option. */
  outsideWindow?: 'error' | 'allow';
  /** Another token for this send only (a tenant's); redacted from errors like the module's. */
  accessToken?: string;
}

/** Input of `messages.send(payload)` for the message types this library knows. */
export type SendMessageInput = OutgoingMessage & MessageRecipient & SendOptions;

/**
 * Any message in Meta's JSON shape, including types this library does not know yet (Meta adds some
 * every quarter): they are sent as given, and Meta answers its own error if the shape is wrong.
 */
export interface OpenMessage {
  type: string;
  [field: string]: unknown;
}

/**
 * Input of `messages.send()` for a message of type `T`: a known type gets its precise shape (a typo
 * in a known field is a compile error), any other type is open.
 */
export type SendAnyMessageInput<T extends string = string> = (T extends OutgoingMessageType
  ? Extract<OutgoingMessage, { type: T }>
  : OpenMessage & { type: T }) &
  MessageRecipient &
  SendOptions;

/** Input of a typed helper such as `sendText`: the recipient, the common options and one content field. */
export type SendInput<T extends OutgoingMessageType> = Omit<
  Extract<OutgoingMessage, { type: T }>,
  'type'
> &
  MessageRecipient &
  SendOptions;

export type SendTextInput = SendInput<'text'>;
/** `caption` may also be given next to the media object (it is moved into it). */
export type SendImageInput = SendInput<'image'> & { caption?: string };
export type SendAudioInput = SendInput<'audio'>;
export type SendVideoInput = SendInput<'video'> & { caption?: string };
/** `caption` and `filename` may also be given next to the media object (they are moved into it). */
export type SendDocumentInput = SendInput<'document'> & { caption?: string; filename?: string };
export type SendStickerInput = SendInput<'sticker'>;
export type SendLocationInput = SendInput<'location'>;
export type SendContactsInput = SendInput<'contacts'>;
export type SendReactionInput = Omit<SendInput<'reaction'>, 'replyTo'>;
export type SendInteractiveInput = SendInput<'interactive'>;
export type SendTemplateInput = SendInput<'template'>;

/**
 * Input of a helper for one interactive type (`sendCarousel`, `sendFlow`, ...): `interactive` in
 * Meta's shape; its `type` may be left out (the helper sets it).
 */
export type SendInteractiveOfType<T extends InteractiveType> = {
  interactive: Omit<Extract<InteractiveObject, { type: T }>, 'type'> & { type?: T };
} & MessageRecipient &
  SendOptions;

export type SendCarouselInput = SendInteractiveOfType<'carousel'>;
export type SendFlowInput = SendInteractiveOfType<'flow'>;
export type SendRequestContactInfoInput = SendInteractiveOfType<'request_contact_info'>;
export type SendCallPermissionRequestInput = SendInteractiveOfType<'call_permission_request'>;
export type SendVoiceCallInput = SendInteractiveOfType<'voice_call'>;
export type SendCatalogInput = SendInteractiveOfType<'catalog_message'>;
export type SendOrderDetailsInput = SendInteractiveOfType<'order_details'>;
export type SendOrderStatusInput = SendInteractiveOfType<'order_status'>;
export type SendLocationRequestInput = SendInteractiveOfType<'location_request_message'>;
export type SendAddressRequestInput = SendInteractiveOfType<'address_message'>;

/** Meta's answer to a send. */
export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id?: string; user_id?: string }>;
  messages: Array<{
    id: string;
    /** Only for template sends (pacing). */
    message_status?: 'accepted' | 'held_for_quality_assessment' | 'paused';
    group_id?: string;
  }>;
}

export interface MarkAsReadInput {
  messageId: string;
  /** Also show the typing indicator (disappears on reply or after 25 s). */
  typingIndicator?: boolean;
  phoneNumberId?: string;
  /** Another token for this call only (a tenant's). */
  accessToken?: string;
}

/** Meta's `{ success: true }` answer (mark as read, delete, template update). */
export interface SuccessResponse {
  success: boolean;
}
