import type {
  IncomingAudio,
  IncomingButton,
  IncomingContactCard,
  IncomingDocument,
  IncomingEditedContent,
  IncomingInteractive,
  IncomingLocation,
  IncomingMedia,
  IncomingOrder,
  IncomingReaction,
  IncomingSticker,
  IncomingSystem,
  MessageContext,
  MessageIdentity,
  MessageReferral,
} from './incoming-message-parts.js';
import type { WebhookError } from './webhook-error.js';

/** Fields every incoming message has (or may have), whatever its type. */
export interface IncomingMessageBase {
  /** The wamid, the de-duplication key. */
  id: string;
  /** Sender's phone number; absent for username-only (BSUID) users. */
  from?: string;
  /** Sender's business-scoped user id (BSUID). */
  from_user_id?: string;
  from_parent_user_id?: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  context?: MessageContext;
  /** Set on the first message of a click-to-WhatsApp ad conversation. */
  referral?: MessageReferral;
  identity?: MessageIdentity;
  errors?: WebhookError[];
  /** Set on messages received in a group (Groups API): the group's id. `from` is the participant. */
  group_id?: string;
}

export interface TextMessage extends IncomingMessageBase {
  type: 'text';
  text: { body: string };
}
export interface ImageMessage extends IncomingMessageBase {
  type: 'image';
  image: IncomingMedia;
}
export interface AudioMessage extends IncomingMessageBase {
  type: 'audio';
  audio: IncomingAudio;
}
export interface VideoMessage extends IncomingMessageBase {
  type: 'video';
  video: IncomingMedia;
}
export interface DocumentMessage extends IncomingMessageBase {
  type: 'document';
  document: IncomingDocument;
}
export interface StickerMessage extends IncomingMessageBase {
  type: 'sticker';
  sticker: IncomingSticker;
}
export interface LocationMessage extends IncomingMessageBase {
  type: 'location';
  location: IncomingLocation;
}
export interface ContactsMessage extends IncomingMessageBase {
  type: 'contacts';
  contacts: IncomingContactCard[];
}
export interface InteractiveMessage extends IncomingMessageBase {
  type: 'interactive';
  interactive: IncomingInteractive;
}
export interface ButtonMessage extends IncomingMessageBase {
  type: 'button';
  button: IncomingButton;
}
export interface ReactionMessage extends IncomingMessageBase {
  type: 'reaction';
  reaction: IncomingReaction;
}
export interface OrderMessage extends IncomingMessageBase {
  type: 'order';
  order: IncomingOrder;
}
export interface SystemMessage extends IncomingMessageBase {
  type: 'system';
  system: IncomingSystem;
}
/** The user opened the chat for the first time (no message yet); a chance to greet. */
export interface RequestWelcomeMessage extends IncomingMessageBase {
  type: 'request_welcome';
}
/**
 * The user edited a message they sent earlier (coexistence numbers; text, or media with caption):
 * `edit.message` is the new content, shaped like an incoming message without `id` / `from`.
 */
export interface EditMessage extends IncomingMessageBase {
  type: 'edit';
  edit: { original_message_id: string; message: IncomingEditedContent };
}
/** The user deleted ("revoked") a message they sent earlier (coexistence numbers). */
export interface RevokeMessage extends IncomingMessageBase {
  type: 'revoke';
  revoke: { original_message_id: string };
}
/** A message type the Cloud API does not support (polls, ...); `errors` says why, `unsupported.type` what. */
export interface UnsupportedMessage extends IncomingMessageBase {
  type: 'unsupported';
  unsupported?: { type?: string };
}
/** Meta's own "unknown" type (older API versions' name for unsupported). */
export interface UnknownMessage extends IncomingMessageBase {
  type: 'unknown';
}

/** Every message type this version knows, discriminated by `type`. */
export type KnownIncomingMessage =
  | TextMessage
  | ImageMessage
  | AudioMessage
  | VideoMessage
  | DocumentMessage
  | StickerMessage
  | LocationMessage
  | ContactsMessage
  | InteractiveMessage
  | ButtonMessage
  | ReactionMessage
  | OrderMessage
  | SystemMessage
  | RequestWelcomeMessage
  | EditMessage
  | RevokeMessage
  | UnsupportedMessage
  | UnknownMessage;

/** The `type` names this version knows. */
export type KnownIncomingMessageType = KnownIncomingMessage['type'];

/**
 * A message `type` for filters and handler decorators: the known names (autocompleted) or any
 * other string, for types Meta adds later.
 */
export type IncomingMessageType = KnownIncomingMessageType | (string & {});

declare const unknownMessageTypeBrand: unique symbol;

/**
 * The `type` of a message whose type this version does not know. At runtime it is a plain string.
 *
 * Why a branded `String` and not `string`: TypeScript cannot narrow a union that has a member with
 * `type: string` (`if (m.type === 'text')` would keep that member, so `m.text` would not compile),
 * and a `string & { brand }` intersection stops TypeScript from treating `type` as a discriminant at
 * all. An interface extending `String` with a required brand is the one shape that no literal such as
 * `'text'` is comparable to, so `switch (m.type)` narrows every known type exactly and the unknown
 * member remains in `default`. To use it as a string, write `String(m.type)` or `` `${m.type}` ``;
 * `messageTypeOf(m)` returns `m.type` typed as `string`.
 */
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types -- the brand needs an object type (see above)
export interface UnknownMessageTypeName extends String {
  readonly [unknownMessageTypeBrand]: true;
}

/** A message of a type Meta added after this version: the common fields plus whatever it carries. */
export interface UnknownTypeMessage extends IncomingMessageBase {
  type: UnknownMessageTypeName;
  [field: string]: unknown;
}

/**
 * Meta's incoming message object (`value.messages[]`), a union discriminated by `type`.
 * Narrow it with `switch (message.type)` or `if (message.type === 'text')`.
 */
export type IncomingMessage = KnownIncomingMessage | UnknownTypeMessage;

/** `message.type` as a plain string (for logs, maps and filters), whatever the message. */
export function messageTypeOf(message: IncomingMessage): string {
  return message.type as string;
}
