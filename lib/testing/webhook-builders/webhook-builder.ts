import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from '../../types/webhook/incoming-message.js';
import type { StatusPricing, StatusType, StatusUpdate } from '../../types/webhook/status-update.js';
import type { WebhookContact } from '../../types/webhook/webhook-contact.js';
import type { WebhookError } from '../../types/webhook/webhook-error.js';
import type { WebhookEventMap } from '../../types/webhook/webhook-events.js';
import type { WebhookEntry, WebhookPayload } from '../../types/webhook/webhook-payload.js';
import { FAKE_IDS } from '../fake-graph/fake-graph-store.js';
import { createGroupCallBuilders, type GroupCallBuilders } from './group-call-builders.js';
import type {
  AudioOptions,
  BuilderContact,
  ButtonReplyOptions,
  ChangeOptions,
  ContactsOptions,
  DocumentOptions,
  EditOptions,
  EventOptions,
  FlowReplyOptions,
  HistoryOptions,
  ListReplyOptions,
  LocationOptions,
  MediaOptions,
  MessageEchoOptions,
  MessageOptions,
  OrderOptions,
  ReactionOptions,
  ReferralOptions,
  RevokeOptions,
  SmbAppStateSyncOptions,
  StatusOptions,
  StickerOptions,
  SystemOptions,
  TemplateButtonOptions,
  TextOptions,
  UnsupportedOptions,
  UserIdUpdateOptions,
  WebhookBuilderOptions,
} from './webhook-builder-options.js';

/** Builders of Meta's webhook POST bodies; every method returns a complete envelope. */
export interface WebhookBuilder extends GroupCallBuilders {
  text(options: TextOptions): WebhookPayload;
  image(options?: MediaOptions): WebhookPayload;
  audio(options?: AudioOptions): WebhookPayload;
  video(options?: MediaOptions): WebhookPayload;
  document(options?: DocumentOptions): WebhookPayload;
  sticker(options?: StickerOptions): WebhookPayload;
  location(options: LocationOptions): WebhookPayload;
  contacts(options: ContactsOptions): WebhookPayload;
  /** The user tapped a reply button of an interactive message. */
  buttonReply(options: ButtonReplyOptions): WebhookPayload;
  /** The user picked a row of a list message. */
  listReply(options: ListReplyOptions): WebhookPayload;
  /** The user submitted a WhatsApp Flow (`nfm_reply`). */
  flowReply(options: FlowReplyOptions): WebhookPayload;
  /** The user tapped a quick-reply button of a template (`type: 'button'`). */
  button(options: TemplateButtonOptions): WebhookPayload;
  reaction(options: ReactionOptions): WebhookPayload;
  order(options: OrderOptions): WebhookPayload;
  system(options?: SystemOptions): WebhookPayload;
  /** A text message from a click-to-WhatsApp ad, with `referral`. */
  referral(options?: ReferralOptions): WebhookPayload;
  unsupported(options?: UnsupportedOptions): WebhookPayload;
  requestWelcome(options?: MessageOptions): WebhookPayload;
  /** The user edited a message (coexistence): `type: 'edit'` with the new content. */
  edit(options: EditOptions): WebhookPayload;
  /** The user deleted a message (coexistence): `type: 'revoke'`. */
  revoke(options: RevokeOptions): WebhookPayload;
  /** A message sent from the WhatsApp Business app on a coexistence number (`smb_message_echoes`). */
  messageEcho(options?: MessageEchoOptions): WebhookPayload;
  /** A user's BSUID changed (`user_id_update`). */
  userIdUpdate(options: UserIdUpdateOptions): WebhookPayload;
  /** A chunk of a coexistence number's chat history (`history`), or its refusal (`declined`). */
  history(options?: HistoryOptions): WebhookPayload;
  /** Business app contacts added, edited or removed on a coexistence number (`smb_app_state_sync`). */
  smbAppStateSync(options: SmbAppStateSyncOptions): WebhookPayload;
  /** Any message `type`, e.g. one Meta adds later: `fields` are merged into the message object. */
  message(type: string, fields?: Record<string, unknown>, options?: MessageOptions): WebhookPayload;
  /** A status of an outgoing message. */
  status(status: StatusType | (string & {}), options?: StatusOptions): WebhookPayload;
  /** Any other webhook field, with its `value`. */
  event<F extends string>(
    field: F,
    value: F extends keyof WebhookEventMap ? WebhookEventMap[F] : unknown,
    options?: EventOptions,
  ): WebhookPayload;
  /** Several payloads as one POST, like Meta's batches: entries of the same account (in a row) are merged. */
  batch(...payloads: WebhookPayload[]): WebhookPayload;
  /** A fresh unique wamid. */
  wamid(): string;
}

const DEFAULT_CONTACT = { waId: '15551234567', name: 'Test User' } as const;

let sequence = 0;
const run = randomBytes(6).toString('hex').toUpperCase();

/** A wamid shaped like Meta's (base64 of a binary payload), unique within the process. */
function newWamid(): string {
  const payload = `${run}${(++sequence).toString(16).toUpperCase().padStart(8, '0')}`;
  return `wamid.HBgL${Buffer.from(`MTIwMjU1NTAxNDcVAgASGBQ${payload}`).toString('base64')}`;
}

function seconds(value: string | number | Date | undefined, now: () => number): string {
  if (value === undefined) return String(Math.floor(now() / 1000));
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  return String(value);
}

/**
 * Builders of webhook payloads in Meta's exact envelope, with defaults for the receiving number,
 * its business account and the sender; every call gets a fresh wamid and the current timestamp.
 *
 * ```ts
 * const webhook = createWebhookBuilder({ phoneNumberId: '1234', contact: { waId: '447700900461', name: 'Ana' } });
 * await wa.receive(webhook.text({ body: 'hi' }));
 * await wa.receive(webhook.batch(webhook.image({ caption: 'look' }), webhook.status('read', { id })));
 * ```
 */
export function createWebhookBuilder(options: WebhookBuilderOptions = {}): WebhookBuilder {
  const phoneNumberId = options.phoneNumberId ?? FAKE_IDS.phoneNumberId;
  const displayPhoneNumber = options.displayPhoneNumber ?? '15550100000';
  const businessAccountId = options.businessAccountId ?? FAKE_IDS.businessAccountId;
  const baseContact: BuilderContact = { ...DEFAULT_CONTACT, ...options.contact };
  const now = options.now ?? Date.now;

  function metadata(where: ChangeOptions): {
    display_phone_number: string;
    phone_number_id: string;
  } {
    return {
      display_phone_number: where.displayPhoneNumber ?? displayPhoneNumber,
      phone_number_id: where.phoneNumberId ?? phoneNumberId,
    };
  }

  function envelope(
    where: { businessAccountId?: string },
    field: string,
    value: unknown,
    time?: number,
  ): WebhookPayload {
    const entry: WebhookEntry = {
      id: where.businessAccountId ?? businessAccountId,
      changes: [{ value, field }],
    };
    if (time !== undefined) entry.time = time;
    return { object: 'whatsapp_business_account', entry: [entry] };
  }

  function webhookContact(person: BuilderContact): WebhookContact {
    const profile: WebhookContact['profile'] = {};
    if (person.name !== undefined) profile.name = person.name;
    if (person.username !== undefined) profile.username = person.username;
    const contact: WebhookContact = { profile };
    if (person.waId) contact.wa_id = person.waId;
    if (person.userId !== undefined) contact.user_id = person.userId;
    return contact;
  }

  function build(
    type: string,
    fields: Record<string, unknown>,
    opts: MessageOptions = {},
  ): WebhookPayload {
    const sender: BuilderContact = { ...baseContact, ...opts.sender };
    const message: Record<string, unknown> = {};
    let context: Record<string, unknown> | undefined;
    if (opts.replyTo !== undefined) {
      context = { from: opts.displayPhoneNumber ?? displayPhoneNumber, id: opts.replyTo };
    }
    if (opts.forwarded) {
      context = { ...context, forwarded: true };
      if (opts.forwarded === 'frequently') context.frequently_forwarded = true;
    }
    if (opts.context !== undefined) context = { ...context, ...opts.context };
    if (context !== undefined) message.context = context;
    if (opts.referral !== undefined) message.referral = opts.referral;
    if (sender.waId) message.from = sender.waId;
    if (sender.userId !== undefined) message.from_user_id = sender.userId;
    message.id = opts.id ?? newWamid();
    message.timestamp = seconds(opts.timestamp, now);
    if (opts.identity !== undefined) message.identity = opts.identity;
    if (opts.errors !== undefined) message.errors = opts.errors;
    if (opts.groupId !== undefined) message.group_id = opts.groupId;
    message.type = type;
    Object.assign(message, fields);
    const value: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      metadata: metadata(opts),
    };
    if (opts.contacts !== false) value.contacts = [webhookContact(sender)];
    value.messages = [message as unknown as IncomingMessage];
    return envelope(opts, 'messages', value);
  }

  function media(
    kind: string,
    opts: MediaOptions,
    mimeType: string,
    extra: Record<string, unknown> = {},
  ): WebhookPayload {
    const mediaId = opts.mediaId ?? String(1_000_000_000_000_000 + (++sequence % 1_000_000));
    const body: Record<string, unknown> = {};
    if (opts.caption !== undefined) body.caption = opts.caption;
    body.mime_type = opts.mime_type ?? mimeType;
    body.sha256 = opts.sha256 ?? randomBytes(32).toString('base64');
    body.id = mediaId;
    if (opts.url !== null) {
      body.url =
        opts.url ??
        `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${mediaId}&source=webhook&ext=${Math.floor(now() / 1000) + 300}&hash=AR${randomBytes(12).toString('base64url')}`;
    }
    Object.assign(body, extra);
    return build(kind, { [kind]: body }, opts);
  }

  /** A tap on a button or a list answers a business message: Meta always sends its `context`. */
  const answering = <O extends MessageOptions>(o: O): O => ({
    ...o,
    replyTo: o.replyTo ?? newWamid(),
  });

  const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

  const builder: WebhookBuilder = {
    text: (o) => build('text', { text: { body: o.body } }, o),
    image: (o = {}) => media('image', o, 'image/jpeg'),
    audio: (o = {}) =>
      media(
        'audio',
        o,
        o.voice ? 'audio/ogg; codecs=opus' : 'audio/mpeg',
        defined({ voice: o.voice }),
      ),
    video: (o = {}) => media('video', o, 'video/mp4'),
    document: (o = {}) =>
      media('document', o, 'application/pdf', { filename: o.filename ?? 'document.pdf' }),
    sticker: (o = {}) => media('sticker', o, 'image/webp', { animated: o.animated ?? false }),
    location: (o) =>
      build(
        'location',
        {
          location: defined({
            address: o.address,
            latitude: o.latitude,
            longitude: o.longitude,
            name: o.name,
            url: o.url,
          }),
        },
        o,
      ),
    contacts: (o) => build('contacts', { contacts: o.contactCards }, o),
    buttonReply: (o) =>
      build(
        'interactive',
        { interactive: { type: 'button_reply', button_reply: { id: o.buttonId, title: o.title } } },
        answering(o),
      ),
    listReply: (o) =>
      build(
        'interactive',
        {
          interactive: {
            type: 'list_reply',
            list_reply: defined({ id: o.rowId, title: o.title, description: o.description }),
          },
        },
        answering(o),
      ),
    flowReply: (o) =>
      build(
        'interactive',
        {
          interactive: {
            type: 'nfm_reply',
            nfm_reply: {
              response_json:
                typeof o.response === 'string' ? o.response : JSON.stringify(o.response),
              body: o.body ?? 'Sent',
              name: o.name ?? 'flow',
            },
          },
        },
        answering(o),
      ),
    button: (o) => build('button', { button: { payload: o.payload, text: o.text } }, answering(o)),
    reaction: (o) =>
      build('reaction', { reaction: defined({ message_id: o.message_id, emoji: o.emoji }) }, o),
    order: (o) =>
      build(
        'order',
        {
          order: defined({
            catalog_id: o.catalog_id ?? '733918274650012',
            text: o.text,
            product_items: o.product_items,
          }),
        },
        o,
      ),
    system: (o = {}) => {
      const sender = { ...baseContact, ...o.sender };
      const newWaId = o.system?.wa_id ?? '15557654321';
      const system = {
        body: `User ${sender.name ?? ''} changed from ${sender.waId ?? ''} to ${newWaId}`,
        wa_id: newWaId,
        type: 'user_changed_number',
        ...o.system,
      };
      return build('system', { system }, { contacts: false, ...o });
    },
    referral: (o = {}) =>
      build(
        'text',
        { text: { body: o.body ?? 'Can I get more info about this?' } },
        {
          ...o,
          referral: {
            source_url: 'https://fb.me/3cr4Wqqkv',
            source_id: '120219876543210987',
            source_type: 'ad',
            body: 'Spring sale: 20% off',
            headline: 'Chat with us',
            media_type: 'image',
            image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.jpg',
            ctwa_clid: `ARA${randomBytes(24).toString('base64url')}`,
            welcome_message: { text: 'Hi there! Let us know how we can help!' },
            ...o.referral,
          },
        },
      ),
    unsupported: (o = {}) =>
      build(
        'unsupported',
        { unsupported: { type: o.unsupportedType ?? 'poll_creation' } },
        { errors: [UNSUPPORTED_ERROR], ...o },
      ),
    requestWelcome: (o = {}) => build('request_welcome', {}, o),
    edit: (o) =>
      build(
        'edit',
        {
          edit: {
            original_message_id: o.originalMessageId,
            message: o.message ?? { type: 'text', text: { body: o.body ?? '' } },
          },
        },
        o,
      ),
    revoke: (o) => build('revoke', { revoke: { original_message_id: o.originalMessageId } }, o),
    messageEcho: (o = {}) => {
      const echo: Record<string, unknown> = {
        from: o.displayPhoneNumber ?? displayPhoneNumber,
        to: o.to ?? baseContact.waId ?? '',
        id: o.id ?? newWamid(),
        timestamp: seconds(o.timestamp, now),
        ...(o.message ?? { type: 'text', text: { body: o.body ?? '' } }),
      };
      const value = {
        messaging_product: 'whatsapp',
        metadata: metadata(o),
        message_echoes: [echo],
      };
      return envelope(o, 'smb_message_echoes', value, Math.floor(now() / 1000));
    },
    userIdUpdate: (o) => {
      const waId = o.waId === undefined ? baseContact.waId : o.waId;
      const change: Record<string, unknown> = {};
      if (waId) change.wa_id = waId;
      change.detail = o.detail ?? "User's business-scoped user ID changed";
      change.user_id = { previous: o.previous, current: o.current };
      if (o.parentUserId !== undefined) change.parent_user_id = o.parentUserId;
      change.timestamp = seconds(o.timestamp, now);
      const value = {
        messaging_product: 'whatsapp',
        metadata: metadata(o),
        user_id_update: [change],
      };
      return envelope(o, 'user_id_update', value, Math.floor(now() / 1000));
    },
    history: (o = {}) => {
      const chunk: Record<string, unknown> = o.declined
        ? { errors: [HISTORY_DECLINED_ERROR] }
        : {
            metadata: {
              phase: o.phase ?? 0,
              chunk_order: o.chunkOrder ?? 1,
              progress: o.progress ?? 100,
            },
            threads: (o.threads ?? []).map((thread) => ({
              id: thread.id ?? baseContact.waId ?? '',
              messages: thread.messages,
            })),
          };
      const value = { messaging_product: 'whatsapp', metadata: metadata(o), history: [chunk] };
      return envelope(o, 'history', value);
    },
    smbAppStateSync: (o) => {
      const timestamp = seconds(o.timestamp, now);
      const stateSync = o.contacts.map((c) => {
        const action = c.action ?? 'add';
        const contact =
          action === 'remove'
            ? { phone_number: c.phone_number }
            : defined({
                full_name: c.full_name,
                first_name: c.first_name,
                phone_number: c.phone_number,
              });
        return { type: 'contact', contact, action, metadata: { timestamp } };
      });
      const value = { messaging_product: 'whatsapp', metadata: metadata(o), state_sync: stateSync };
      return envelope(o, 'smb_app_state_sync', value);
    },
    message: (type, fields = {}, o = {}) => build(type, fields, o),
    status: (status, o = {}) => {
      const recipient = { ...baseContact, ...o.recipient };
      const {
        phoneNumberId: _p,
        displayPhoneNumber: _d,
        businessAccountId: _b,
        recipient: _r,
        timestamp,
        pricing,
        ...fields
      } = o;
      const object: Record<string, unknown> = {
        id: newWamid(),
        status,
        timestamp: seconds(timestamp, now),
      };
      if (recipient.waId) object.recipient_id = recipient.waId;
      if (recipient.userId !== undefined) object.recipient_user_id = recipient.userId;
      if (status === 'failed') object.errors = [UNDELIVERABLE_ERROR];
      const defaultPricing = status === 'sent' || status === 'delivered' ? REGULAR_PRICING : null;
      const statusPricing = pricing === undefined ? defaultPricing : pricing;
      if (statusPricing !== null) object.pricing = { ...statusPricing };
      Object.assign(object, fields);
      const value: Record<string, unknown> = {
        messaging_product: 'whatsapp',
        metadata: metadata(o),
      };
      // Since the BSUIDs (2026) statuses name their user in `contacts` too, except failed ones.
      if (recipient.userId !== undefined && status !== 'failed') {
        value.contacts = [webhookContact(recipient)];
      }
      value.statuses = [object as unknown as StatusUpdate];
      return envelope(o, 'messages', value);
    },
    event: (field, value, o = {}) => envelope(o, field, value, o.time ?? Math.floor(now() / 1000)),
    batch: (...payloads) => mergeBatch(payloads),
    wamid: newWamid,
    ...createGroupCallBuilders(options),
  };
  return builder;
}

const UNSUPPORTED_ERROR: WebhookError = {
  code: 131051,
  title: 'Message type unknown',
  message: 'Message type unknown',
  error_data: { details: 'Message type is currently not supported.' },
};

const HISTORY_DECLINED_ERROR: WebhookError = {
  code: 2593109,
  title: 'History sync is turned off by the business from the WhatsApp Business App',
  message: 'History sync is turned off by the business from the WhatsApp Business App',
  error_data: {
    details: 'History sync is turned off by the business from the WhatsApp Business App',
  },
};

/** Per-message pricing of a regular (paid) utility message, as Meta sends it since 2025-07. */
const REGULAR_PRICING: StatusPricing = {
  billable: true,
  pricing_model: 'PMP',
  type: 'regular',
  category: 'utility',
};

const UNDELIVERABLE_ERROR: WebhookError = {
  code: 131026,
  title: 'Message undeliverable',
  message: 'Message undeliverable',
  error_data: { details: 'Message Undeliverable.' },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};

/** One envelope holding every entry of `payloads` in order; consecutive entries of one account share an entry. */
function mergeBatch(payloads: WebhookPayload[]): WebhookPayload {
  const entry: WebhookEntry[] = [];
  for (const payload of payloads) {
    for (const e of payload.entry) {
      const last = entry[entry.length - 1];
      if (last !== undefined && last.id === e.id && last.time === e.time) {
        last.changes.push(...e.changes);
      } else {
        entry.push({ ...e, changes: [...e.changes] });
      }
    }
  }
  return { object: 'whatsapp_business_account', entry };
}

/** The default builder: the testing kit's fake ids, sender `15551234567` ("Test User"). */
export const webhook: WebhookBuilder = createWebhookBuilder();
