import type {
  IncomingContactCard,
  IncomingEditedContent,
  IncomingOrder,
  IncomingSystem,
  MessageContext,
  MessageIdentity,
  MessageReferral,
} from '../../types/webhook/incoming-message-parts.js';
import type { StatusUpdate } from '../../types/webhook/status-update.js';
import type { WebhookError } from '../../types/webhook/webhook-error.js';

/** Defaults of a builder: the receiving number, its account, the usual sender, the clock. */
export interface WebhookBuilderOptions {
  /** `metadata.phone_number_id`. Default: the testing kit's `FAKE_IDS.phoneNumberId`. */
  phoneNumberId?: string;
  /** `metadata.display_phone_number`. Default `'15550100000'`. */
  displayPhoneNumber?: string;
  /** `entry[].id`. Default: `FAKE_IDS.businessAccountId`. */
  businessAccountId?: string;
  /** The sender of messages and recipient of statuses. */
  contact?: BuilderContact;
  /** Clock in ms for `timestamp`s. Default `Date.now`. */
  now?: () => number;
}

/** A WhatsApp user as the builders describe them. */
export interface BuilderContact {
  /** Phone number (`from`, `wa_id`, `recipient_id`); `null` for a username-only (BSUID) user. Default `'15551234567'`. */
  waId?: string | null;
  /** Business-scoped user id (`from_user_id`, `user_id`, `recipient_user_id`). */
  userId?: string;
  /** Profile name. Default `'Test User'`. */
  name?: string;
  username?: string;
}

/** Where a change is delivered (overrides the builder's defaults for one payload). */
export interface ChangeOptions {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  businessAccountId?: string;
}

/** Options every message builder takes. Meta's own field names (snake_case) are set as given. */
export interface MessageOptions extends ChangeOptions {
  /** The wamid. Default: a fresh unique one. */
  id?: string;
  /** Unix seconds (string, as Meta sends), a number, or a Date. Default: now. */
  timestamp?: string | number | Date;
  /** The sender, merged over the builder's contact. */
  sender?: BuilderContact;
  /** `value.contacts`: `false` leaves it out (as in `system` messages). */
  contacts?: false;
  /**
   * Quotes a message: `context: { from: <business number>, id: replyTo }`. Replies to a button or a
   * list (`buttonReply`, `listReply`, `flowReply`, `button`) always carry it, as Meta's do: by
   * default with a fresh id of the business message they answer.
   */
  replyTo?: string;
  /** `context.forwarded` (`'frequently'` sets `frequently_forwarded` too). */
  forwarded?: boolean | 'frequently';
  /** Merged into `context` last. */
  context?: MessageContext;
  referral?: MessageReferral;
  identity?: MessageIdentity;
  errors?: WebhookError[];
  /** A group message: sets `group_id` (the sender stays the participant in `from`). */
  groupId?: string;
}

export interface TextOptions extends MessageOptions {
  body: string;
}

/** Media fields; `mediaId` is the media's id (`id` is the message's). */
export interface MediaOptions extends MessageOptions {
  mediaId?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  /** A download URL (Meta includes one since 2025). `null` leaves it out. Default: a lookaside URL. */
  url?: string | null;
}
export interface AudioOptions extends MediaOptions {
  voice?: boolean;
}
export interface DocumentOptions extends MediaOptions {
  filename?: string;
}
export interface StickerOptions extends MediaOptions {
  animated?: boolean;
}

export interface LocationOptions extends MessageOptions {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface ContactsOptions extends MessageOptions {
  contactCards: IncomingContactCard[];
}

export interface ButtonReplyOptions extends MessageOptions {
  /** The id of the tapped button (`button_reply.id`). */
  buttonId: string;
  title: string;
}

export interface ListReplyOptions extends MessageOptions {
  /** The id of the picked row (`list_reply.id`). */
  rowId: string;
  title: string;
  description?: string;
}

export interface FlowReplyOptions extends MessageOptions {
  /** The Flow's answer; an object is serialised to `response_json`. */
  response: string | Record<string, unknown>;
  body?: string;
  name?: string;
}

export interface TemplateButtonOptions extends MessageOptions {
  payload: string;
  text: string;
  /** The template message the button belongs to: sets `context`. */
  replyTo?: string;
}

export interface ReactionOptions extends MessageOptions {
  /** The reacted-to message. */
  message_id: string;
  /** The emoji; leave it out for a removed reaction. */
  emoji?: string;
}

export interface OrderOptions extends MessageOptions, Partial<IncomingOrder> {
  product_items: IncomingOrder['product_items'];
}

export interface SystemOptions extends MessageOptions {
  system?: Partial<IncomingSystem>;
}

export interface ReferralOptions extends MessageOptions {
  /** The text the user sent from the ad. Default `'Can I get more info about this?'`. */
  body?: string;
  referral?: MessageReferral;
}

export interface UnsupportedOptions extends MessageOptions {
  /** `unsupported.type`, e.g. `poll_creation`. */
  unsupportedType?: string;
}

/** Options of `status()`: Meta's status fields as given, plus where it is delivered. */
export interface StatusOptions
  extends ChangeOptions, Partial<Omit<StatusUpdate, 'status' | 'timestamp' | 'pricing'>> {
  timestamp?: string | number | Date;
  /**
   * `pricing`; by default Meta's regular utility pricing on `sent` and `delivered` (Meta sends it on
   * `sent` and one of `delivered`/`read`), none on the others. `null` leaves it out.
   */
  pricing?: StatusUpdate['pricing'] | null;
  /** The recipient, merged over the builder's contact (for `recipient_id` / `recipient_user_id`). */
  recipient?: BuilderContact;
}

export interface EventOptions {
  businessAccountId?: string;
  /** `entry[].time` (unix seconds). Default: now. */
  time?: number;
}

export interface EditOptions extends MessageOptions {
  /** The wamid of the message the user edited. */
  originalMessageId: string;
  /** The new text (sets `edit.message` to `{ type: 'text', text: { body } }`) ... */
  body?: string;
  /** ... or the whole new content (e.g. `{ type: 'image', image: { caption, ... } }`). */
  message?: IncomingEditedContent;
}

export interface RevokeOptions extends MessageOptions {
  /** The wamid of the message the user deleted. */
  originalMessageId: string;
}

/** A message the business sent from the WhatsApp Business app (`smb_message_echoes`). */
export interface MessageEchoOptions extends ChangeOptions {
  /** The user it was sent to. Default: the builder's contact. */
  to?: string;
  /** A text echo ... */
  body?: string;
  /** ... or any message content (`{ type, [type]: {...} }`), merged into the echo. */
  message?: { type: string; [field: string]: unknown };
  id?: string;
  timestamp?: string | number | Date;
}

export interface UserIdUpdateOptions extends ChangeOptions {
  /** The BSUID before and after. */
  previous: string;
  current: string;
  /** The user's phone number, when Meta shares it. Default: the builder's contact. `null` leaves it out. */
  waId?: string | null;
  parentUserId?: { previous?: string; current?: string };
  detail?: string;
  timestamp?: string | number | Date;
}

/** One thread of a `history` chunk: the user's number and the messages (builder-made or raw). */
export interface HistoryThreadOptions {
  id?: string;
  messages: Array<Record<string, unknown>>;
}

export interface HistoryOptions extends ChangeOptions {
  /** 0 (day 0–1), 1 (day 1–90) or 2 (day 90–180). Default 0. */
  phase?: number;
  chunkOrder?: number;
  /** 0..100; 100 when the sync is complete. Default 100. */
  progress?: number;
  threads?: HistoryThreadOptions[];
  /** The business declined sharing its history: an `errors` chunk (code 2593109) instead of threads. */
  declined?: boolean;
}

export interface StateSyncContactOptions {
  phone_number: string;
  full_name?: string;
  first_name?: string;
  /** Default `'add'`; on `'remove'` the names are left out, as Meta does. */
  action?: 'add' | 'remove';
}

export interface SmbAppStateSyncOptions extends ChangeOptions {
  contacts: StateSyncContactOptions[];
  timestamp?: string | number | Date;
}
