import type {
  MarkAsReadInput,
  OutgoingMessage,
  SendMessageInput,
  SendMessageResponse,
  SendReactionInput,
} from '../types/outgoing/outgoing-message.js';
import type { UpdateOrigin, WebhookUpdate } from '../types/webhook-update.js';
import type { ConversationState } from '../store/conversation-state.js';
import { collectReplies, type WhatsAppReply } from './handler-replies.js';
import { field as read, stringOrUndefined as text } from './payload-fields.js';

/** The sender of an incoming message, from `value.contacts[]` and the message itself. */
export interface WhatsAppContact {
  /** Phone number (`wa_id`); absent for username-only (BSUID) users. */
  waId?: string;
  /** Business-scoped user id (`user_id` / `from_user_id`). */
  userId?: string;
  /** Profile name. */
  name?: string;
  /** WhatsApp username (`profile.username`). */
  username?: string;
}

/** What the context needs from the client: the three calls its helpers make. */
export interface WhatsAppContextMessagesApi {
  send(input: SendMessageInput): Promise<SendMessageResponse>;
  markAsRead(input: MarkAsReadInput): Promise<unknown>;
  sendReaction(input: SendReactionInput): Promise<SendMessageResponse>;
  /**
   * The same calls for the updates of one origin, when they depend on it (`resolveCredentials`
   * is given the WABA id of the update with its number). Absent: the calls do not.
   */
  forOrigin?(origin: UpdateOrigin): WhatsAppContextMessagesApi;
}

/**
 * Second argument of every handler: where the update came from and, for messages, who sent it
 * and helpers that answer from the receiving number to the sender. Holds no secret.
 */
export class WhatsAppContext {
  /** Receiving (or, for statuses, sending) phone number id: `value.metadata.phone_number_id`. */
  readonly phoneNumberId: string | undefined;
  /** `value.metadata.display_phone_number`. */
  readonly displayPhoneNumber: string | undefined;
  /** `entry[].id`: the WhatsApp Business Account id. */
  readonly businessAccountId: string;
  /** Webhook field of the change (`messages`, `message_template_status_update`, ...). */
  readonly field: string;
  /** `message`, `status`, `event` or `call`. */
  readonly kind: WebhookUpdate['kind'];
  /**
   * For a message received in a group (Groups API): the group id (`message.group_id`). `reply()`
   * and handler return values then answer in the group; `replyPrivately()` answers the sender.
   */
  readonly groupId: string | undefined;
  /** De-duplication key of the update (`m:<id>`, `s:<id>:<status>`, `e:<field>:<hash>`). */
  readonly updateKey: string;
  /** The sender, for message updates; the user, for call updates. */
  readonly contact: WhatsAppContact | undefined;
  /** The handler's first argument: the message, the status or the change's value. */
  readonly payload: unknown;
  readonly #messages: WhatsAppContextMessagesApi;
  readonly #messageId: string | undefined;
  readonly #from: string | undefined;
  readonly #fromUserId: string | undefined;
  readonly #conversation: (() => Promise<ConversationState | undefined>) | undefined;

  constructor(
    update: WebhookUpdate,
    messages: WhatsAppContextMessagesApi,
    conversation?: () => Promise<ConversationState | undefined>,
  ) {
    this.#conversation = conversation;
    const origin = update.origin;
    this.phoneNumberId = origin.phoneNumberId;
    this.displayPhoneNumber = origin.displayPhoneNumber;
    this.businessAccountId = origin.businessAccountId;
    this.field = origin.field;
    this.kind = update.kind;
    this.updateKey = update.key;
    this.#messages = messages;
    if (update.kind === 'message') {
      const { message, contact } = update;
      this.payload = message;
      // Only strings are taken from the signed body: Meta's objects are handed through unchecked,
      // so any of these fields may be missing, null, a number or an object.
      this.#messageId = text(message.id);
      this.#from = text(message.from);
      this.#fromUserId = text(message.from_user_id);
      this.groupId = text(read(message, 'group_id'));
      this.contact = contactOf(contact, this.#from, this.#fromUserId);
    } else {
      this.payload =
        update.kind === 'status'
          ? update.status
          : update.kind === 'call'
            ? update.call
            : update.value;
      this.#messageId = undefined;
      this.#from = undefined;
      this.#fromUserId = undefined;
      this.groupId = undefined;
      this.contact =
        update.kind === 'call' && update.contact !== undefined
          ? contactOf(update.contact, undefined, undefined)
          : undefined;
    }
  }

  /**
   * Sends `message` (a text, or any outgoing message object) from the receiving number to the
   * sender, or, for a message received in a group, to the group. Given an array, sends its items one after the other, each awaited, and resolves to
   * their responses in order (items that are not replies, such as `undefined` or `''`, are
   * skipped; more than 50 items throw before anything is sent). The first failure rejects and
   * stops the rest: what was sent before it stays sent.
   */
  reply(message: WhatsAppReply): Promise<SendMessageResponse>;
  reply(messages: readonly WhatsAppReply[]): Promise<SendMessageResponse[]>;
  async reply(
    message: WhatsAppReply | readonly WhatsAppReply[],
  ): Promise<SendMessageResponse | SendMessageResponse[]> {
    if (!Array.isArray(message)) return this.#send(message as WhatsAppReply);
    const responses: SendMessageResponse[] = [];
    for (const item of collectReplies(message)) responses.push(await this.#send(item));
    return responses;
  }

  /**
   * Like `reply()`, but always to the sender one-to-one, also for a message received in a group
   * (where `reply()` answers in the group). Outside groups it is the same as `reply()`.
   */
  replyPrivately(message: WhatsAppReply): Promise<SendMessageResponse>;
  replyPrivately(messages: readonly WhatsAppReply[]): Promise<SendMessageResponse[]>;
  async replyPrivately(
    message: WhatsAppReply | readonly WhatsAppReply[],
  ): Promise<SendMessageResponse | SendMessageResponse[]> {
    if (!Array.isArray(message)) return this.#send(message as WhatsAppReply, true);
    const responses: SendMessageResponse[] = [];
    for (const item of collectReplies(message)) responses.push(await this.#send(item, true));
    return responses;
  }

  async #send(message: WhatsAppReply, privately = false): Promise<SendMessageResponse> {
    const content: OutgoingMessage =
      typeof message === 'string' ? { type: 'text', text: { body: message } } : message;
    const to =
      !privately && this.groupId !== undefined
        ? this.#group('reply')
        : this.#recipient(privately ? 'replyPrivately' : 'reply');
    return this.#messages.send({
      ...content,
      ...to,
      phoneNumberId: this.phoneNumberId,
    } as SendMessageInput);
  }

  /**
   * Where the conversation with the user stands (latest inbound message, customer-service window
   * open until), read from the module's `store` (docs/storage.md). `undefined` without a store.
   */
  conversation(): Promise<ConversationState | undefined> {
    return this.#conversation === undefined ? Promise.resolve(undefined) : this.#conversation();
  }

  /** Marks the message as read (blue ticks), optionally showing a typing indicator until the reply. */
  async markAsRead(options: { typingIndicator?: boolean } = {}): Promise<void> {
    const messageId = this.#requireMessage('markAsRead');
    await this.#messages.markAsRead({
      messageId,
      typingIndicator: options.typingIndicator,
      phoneNumberId: this.phoneNumberId,
    });
  }

  /** Reacts to the message with `emoji` (`''` removes the reaction). */
  async react(emoji: string): Promise<SendMessageResponse> {
    const messageId = this.#requireMessage('react');
    return this.#messages.sendReaction({
      ...(this.groupId !== undefined ? this.#group('react') : this.#recipient('react')),
      reaction: { message_id: messageId, emoji },
      phoneNumberId: this.phoneNumberId,
    });
  }

  #requireMessage(helper: string): string {
    if (this.#messageId === undefined) {
      throw new Error(
        `WhatsAppContext.${helper}() is only available in message handlers (this is a ${this.kind} update)`,
      );
    }
    return this.#messageId;
  }

  /** The group of a group message, as a send's recipient. */
  #group(helper: string): { recipientType: 'group'; to: string } {
    this.#requireMessage(helper);
    return { recipientType: 'group', to: this.groupId as string };
  }

  /** The phone number when Meta gave one (it wins over a BSUID), else the BSUID. */
  #recipient(helper: string): { to: string } | { recipient: string } {
    this.#requireMessage(helper);
    if (this.#from !== undefined) return { to: this.#from };
    if (this.#fromUserId !== undefined) return { recipient: this.#fromUserId };
    throw new Error(
      `WhatsAppContext.${helper}(): the message has neither "from" nor "from_user_id"`,
    );
  }
}

/** The context's view of a `value.contacts[]` entry; only strings are taken from the signed body. */
function contactOf(
  contact: unknown,
  from: string | undefined,
  fromUserId: string | undefined,
): WhatsAppContact {
  const profile = read(contact, 'profile');
  return {
    waId: text(read(contact, 'wa_id')) ?? from,
    userId: text(read(contact, 'user_id')) ?? fromUserId,
    name: text(read(profile, 'name')),
    username: text(read(profile, 'username')),
  };
}
