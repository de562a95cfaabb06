import { newNumericId, newWamid, unixSeconds } from '../ids.js';
import { mediaKindOf } from '../graph/media-rules.js';
import { businessByPhone, primaryBusiness } from '../businesses.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxBusiness } from '../sandbox-options.js';
import { mediaSha256, type ChatMessage, type UserRecord } from '../sandbox-store.js';

/** What the simulated user can do on the chat page. */
export type UserInput =
  | { type: 'text'; body: string; replyTo?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'reaction'; message_id: string; emoji: string }
  | { type: 'button_reply'; message_id: string; id: string; title: string }
  | { type: 'list_reply'; message_id: string; id: string; title: string; description?: string }
  | { type: 'button'; message_id: string; payload: string; text: string }
  | { type: 'contact_info'; message_id: string }
  | { type: 'call_permission_reply'; message_id: string; response: 'accept' | 'reject' }
  | { type: 'address'; message_id: string }
  | { type: 'flow_reply'; message_id: string; response: Record<string, unknown> };

/** How long a temporary call permission lasts (Meta: 7 days). */
const CALL_PERMISSION_MS = 7 * 24 * 60 * 60 * 1000;

/** A file the user sends from disk. */
export interface UserFile {
  bytes: Buffer;
  mimeType: string;
  filename?: string;
  caption?: string;
}

/** A refused user action (shown on the page, answered 400). */
export class UserActionError extends Error {}

/**
 * Turns what the simulated user does into Meta's inbound webhook messages: opens the 24-hour window,
 * queues the webhook, and ticks the user's bubble `delivered` once the app acknowledged it.
 * Every action goes to one business number: `phoneNumberId` when given, else the number of the bot
 * message the action answers (a tap, a reaction), else the top-level business.
 */
export class UserActions {
  constructor(private readonly ctx: SandboxContext) {}

  send(waId: string, input: UserInput, phoneNumberId?: string): ChatMessage {
    const user = this.user(waId);
    const answered =
      'message_id' in input ? this.ctx.store.messages.get(String(input.message_id)) : undefined;
    const business = this.businessOf(phoneNumberId ?? answered?.phoneNumberId);
    switch (input.type) {
      case 'text':
        return this.deliver(
          business,
          user,
          'text',
          { text: { body: this.text(input.body, 'body') } },
          input.replyTo,
        );
      case 'location':
        return this.deliver(business, user, 'location', {
          location: {
            ...(input.address ? { address: input.address } : {}),
            latitude: this.coordinate(input.latitude, 90),
            longitude: this.coordinate(input.longitude, 180),
            ...(input.name ? { name: input.name } : {}),
          },
        });
      case 'reaction': {
        const target = this.botMessage(business, user, input.message_id);
        target.reactions.user = input.emoji === '' ? undefined : input.emoji;
        this.ctx.store.touchMessage(target);
        return this.deliver(business, user, 'reaction', {
          reaction: { message_id: target.id, emoji: input.emoji },
        });
      }
      case 'button_reply':
      case 'list_reply': {
        const target = this.botMessage(business, user, input.message_id);
        const reply: Record<string, unknown> = { id: input.id, title: input.title };
        if (input.type === 'list_reply' && input.description) reply.description = input.description;
        return this.deliver(
          business,
          user,
          'interactive',
          { interactive: { type: input.type, [input.type]: reply } },
          target.id,
        );
      }
      case 'button': {
        const target = this.botMessage(business, user, input.message_id);
        return this.deliver(
          business,
          user,
          'button',
          { button: { payload: input.payload, text: input.text } },
          target.id,
        );
      }
      case 'contact_info': {
        // The user taps "Share contact info": Meta sends their card as a `contacts` message.
        const target = this.tapped(business, user, input.message_id, 'request_contact_info');
        const [first, ...rest] = user.name.split(' ');
        const name: Record<string, string> = { formatted_name: user.name };
        if (first && !first.startsWith('+')) name.first_name = first;
        if (rest.length > 0) name.last_name = rest.join(' ');
        const phones = [{ phone: `+${user.wa_id}`, wa_id: user.wa_id, type: 'CELL' }];
        return this.deliver(
          business,
          user,
          'contacts',
          { contacts: [{ name, phones, origin: 'contact_request' }] },
          target.id,
        );
      }
      case 'call_permission_reply': {
        const target = this.tapped(business, user, input.message_id, 'call_permission_request');
        if (input.response !== 'accept' && input.response !== 'reject')
          throw new UserActionError('"response" must be "accept" or "reject"');
        const reply: Record<string, unknown> = {
          response: input.response,
          is_permanent: false,
          response_source: 'user_action',
        };
        if (input.response === 'accept') {
          reply.expiration_timestamp = Math.floor((Date.now() + CALL_PERMISSION_MS) / 1000);
          user.callPermissionUntil = Date.now() + CALL_PERMISSION_MS;
        } else {
          user.callPermissionUntil = undefined;
        }
        return this.deliver(
          business,
          user,
          'interactive',
          { interactive: { type: 'call_permission_reply', call_permission_reply: reply } },
          target.id,
        );
      }
      case 'flow_reply': {
        // The flow completed (a `complete` action, or the endpoint's SUCCESS screen): Meta's nfm_reply.
        const target = this.tapped(business, user, input.message_id, 'flow');
        const token = interactiveOf(target).action?.parameters?.flow_token;
        const response = {
          ...(isObject(input.response) ? input.response : {}),
          flow_token: token ?? 'unused',
        };
        return this.deliver(
          business,
          user,
          'interactive',
          {
            interactive: {
              type: 'nfm_reply',
              nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) },
            },
          },
          target.id,
        );
      }
      case 'address': {
        // The user confirms the address the business pre-filled (Meta: an `nfm_reply` named address_message).
        const target = this.tapped(business, user, input.message_id, 'address_message');
        const parameters = interactiveOf(target).action?.parameters;
        const values: Record<string, unknown> = {
          name: user.name,
          phone_number: `+${user.wa_id}`,
          ...(isObject(parameters?.values) ? parameters.values : {}),
        };
        const body = Object.values(values).map(String).join(', ');
        return this.deliver(
          business,
          user,
          'interactive',
          {
            interactive: {
              type: 'nfm_reply',
              nfm_reply: {
                name: 'address_message',
                response_json: JSON.stringify({ values }),
                body,
              },
            },
          },
          target.id,
        );
      }
      default:
        throw new UserActionError(
          `Unknown action type "${String((input as { type: unknown }).type)}"`,
        );
    }
  }

  /** A member writes in a group chat: Meta's message with `group_id`, the member in `from`. */
  sendToGroup(groupId: string, waId: string, body: string, replyTo?: string): ChatMessage {
    const user = this.user(waId);
    const group = this.ctx.store.groups.get(groupId);
    if (!group || group.deleted) throw new UserActionError(`No group ${groupId}`);
    const business = this.businessOf(group.phoneNumberId);
    if (!group.participants.includes(user.wa_id))
      throw new UserActionError(`${user.name} is not a member of ${group.subject}`);
    return this.deliver(
      business,
      user,
      'text',
      { text: { body: this.text(body, 'body') } },
      replyTo,
      groupId,
    );
  }

  /** An image, document, audio or video from disk, stored as media the app can download. */
  sendFile(waId: string, file: UserFile, phoneNumberId?: string): ChatMessage {
    const user = this.user(waId);
    const business = this.businessOf(phoneNumberId);
    const mimeType = file.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
    const kind = mediaKindOf(mimeType);
    // Anything WhatsApp cannot show inline travels as a document, as on a phone.
    const type = kind === undefined || kind === 'sticker' ? 'document' : kind;
    const media = this.ctx.store.putMedia(
      file.bytes,
      mimeType || 'application/octet-stream',
      newNumericId(),
      file.filename,
      business.phoneNumberId,
    );
    const content: Record<string, unknown> = {};
    if (file.caption && type !== 'audio') content.caption = file.caption;
    if (type === 'document') content.filename = file.filename ?? `file-${media.id}`;
    Object.assign(content, {
      mime_type: media.mimeType,
      sha256: mediaSha256(media.bytes, 'base64'),
      id: media.id,
      url: this.ctx.mediaUrls.url(media, 'webhook'),
    });
    if (type === 'audio') content.voice = false;
    return this.deliver(business, user, type, { [type]: content });
  }

  /** The user looks at the chat (with one business number, or with all): the bot's messages become `read`. */
  openChat(waId: string, phoneNumberId?: string): void {
    const user = this.user(waId);
    if (phoneNumberId !== undefined) this.businessOf(phoneNumberId);
    this.ctx.lifecycle.chatOpened(user.wa_id, phoneNumberId);
  }

  private businessOf(phoneNumberId: string | undefined): SandboxBusiness {
    if (phoneNumberId === undefined) return primaryBusiness(this.ctx);
    const business = businessByPhone(this.ctx, phoneNumberId);
    if (!business) throw new UserActionError(`No business with phone number id ${phoneNumberId}`);
    return business;
  }

  private deliver(
    business: SandboxBusiness,
    user: UserRecord,
    type: string,
    content: Record<string, unknown>,
    contextId?: string,
    groupId?: string,
  ): ChatMessage {
    const now = Date.now();
    const id = newWamid(user.wa_id, 'inbound');
    const webhookMessage: Record<string, unknown> = {};
    const quoted = contextId === undefined ? undefined : this.ctx.store.messages.get(contextId);
    if (quoted) {
      webhookMessage.context = {
        from: quoted.from === 'bot' ? business.displayPhoneNumber : quoted.waId,
        id: quoted.id,
      };
    }
    Object.assign(webhookMessage, {
      from: user.wa_id,
      from_user_id: user.user_id,
      id,
      timestamp: unixSeconds(now),
      type,
      ...content,
      ...(groupId === undefined ? {} : { group_id: groupId }),
    });
    // A user the business blocked "cannot contact your business" (Block Users API): the message
    // stays `sent` (one tick) on the user's side, opens no window and no webhook goes out.
    const blocked =
      groupId === undefined && this.ctx.management.isBlocked(business.phoneNumberId, user.wa_id);
    if (!blocked) {
      user.lastInboundAt = now;
      user.lastInboundAtBy[business.phoneNumberId] = now;
    }
    const message: ChatMessage = {
      id,
      waId: groupId ?? user.wa_id,
      phoneNumberId: business.phoneNumberId,
      ...(groupId === undefined ? {} : { author: user.wa_id }),
      from: 'user',
      at: now,
      type,
      payload: webhookMessage,
      status: 'sent',
      contextId: quoted?.id,
      reactions: {},
    };
    this.ctx.store.putMessage(message);
    if (blocked) return message;
    this.ctx.delivery.enqueue({
      kind: 'message',
      phoneNumberId: business.phoneNumberId,
      message: webhookMessage,
      sender: { waId: user.wa_id, userId: user.user_id, name: user.name },
      onAcked: () => {
        if (message.status === 'sent') {
          message.status = 'delivered';
          this.ctx.store.touchMessage(message);
        }
      },
    });
    return message;
  }

  private user(waId: string): UserRecord {
    const user = this.ctx.store.users.get(waId);
    if (!user) throw new UserActionError(`No simulated user with number ${waId}`);
    return user;
  }

  /** A bot message in the user's chat with this business number. */
  private botMessage(business: SandboxBusiness, user: UserRecord, id: string): ChatMessage {
    const message = this.ctx.store.messages.get(id);
    if (
      !message ||
      message.waId !== user.wa_id ||
      message.from !== 'bot' ||
      message.phoneNumberId !== business.phoneNumberId
    ) {
      throw new UserActionError(`No bot message ${id} in the chat of ${user.wa_id}`);
    }
    return message;
  }

  /** The bot's interactive message of this type that the user tapped. */
  private tapped(
    business: SandboxBusiness,
    user: UserRecord,
    id: string,
    type: string,
  ): ChatMessage {
    const message = this.botMessage(business, user, id);
    if (interactiveOf(message).type !== type)
      throw new UserActionError(`Bot message ${id} is not an interactive ${type} message`);
    return message;
  }

  private text(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '')
      throw new UserActionError(`"${field}" must be a non-empty string`);
    return value;
  }

  private coordinate(value: unknown, bound: number): number {
    const n = Number(value);
    if (!Number.isFinite(n) || Math.abs(n) > bound)
      throw new UserActionError(`Coordinates must be numbers within ±${bound}`);
    return n;
  }
}

interface InteractivePayload {
  type?: unknown;
  action?: { parameters?: { values?: unknown; flow_token?: unknown } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function interactiveOf(message: ChatMessage): InteractivePayload {
  const interactive = message.payload.interactive;
  return isObject(interactive) ? (interactive as InteractivePayload) : {};
}
