import { messageTypeOf, type IncomingMessage } from '../types/webhook/incoming-message.js';
import type { UpdateOrigin, WebhookUpdate } from '../types/webhook-update.js';
import type {
  WhatsAppHandlerMetadata,
  WhatsAppHandlerOptions,
  WhatsAppMessageHandlerOptions,
} from './handler-metadata.js';
import { compileReplyId, replyIdOf } from './reply-id.js';
import { field, stringOrUndefined } from './payload-fields.js';

/** A compiled registration: decides at dispatch time, without reflection, whether an update is for it. */
export type UpdateMatcher = (update: WebhookUpdate) => boolean;

function asSet(value: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  return new Set(typeof value === 'string' ? [value] : value);
}

/** An id filter (`phoneNumberId`, `businessAccountId`): one id or a list, checked at startup. */
function idSet(value: unknown, name: string): ReadonlySet<string> | undefined {
  const ids: unknown[] | undefined =
    value === undefined ? undefined : Array.isArray(value) ? value : [value];
  // An empty id would match updates that carry none (a missing entry id parses as '').
  if (ids?.some((id) => typeof id !== 'string' || id === '')) {
    throw new TypeError(`${name} must be an id (a non-empty string) or a list of ids`);
  }
  return asSet(ids as string[] | undefined);
}

/** Where an update must come from; `undefined` when the registration does not filter by origin. */
export type OriginMatcher = (origin: UpdateOrigin) => boolean;

/**
 * The origin filters every decorator takes: the receiving phone number id
 * (`value.metadata.phone_number_id`) and the WABA id (`entry[].id`). One id or a list (any of
 * them); both given: both must match. An update without a phone number id (most account events)
 * never matches a `phoneNumberId` filter.
 */
export function compileOriginMatcher(options: WhatsAppHandlerOptions): OriginMatcher | undefined {
  const phone = idSet(options.phoneNumberId, 'phoneNumberId');
  const waba = idSet(options.businessAccountId, 'businessAccountId');
  if (phone === undefined && waba === undefined) return undefined;
  return (origin) =>
    (phone === undefined || phone.has(origin.phoneNumberId ?? '')) &&
    (waba === undefined || waba.has(origin.businessAccountId));
}

/**
 * The user-visible text of a message: `text.body`, a template button's text or an interactive
 * reply's title. Reads each field defensively: Meta sends messages of a known type without their
 * object (an `interactive` message without `interactive`, error 131000), and a signed body may say
 * anything, so a missing object or a body that is not a string gives `undefined`, never a throw.
 */
export function messageText(message: IncomingMessage): string | undefined {
  switch (messageTypeOf(message)) {
    case 'text':
      return stringOrUndefined(field(field(message, 'text'), 'body'));
    case 'button':
      return stringOrUndefined(field(field(message, 'button'), 'text'));
    case 'interactive': {
      const interactive = field(message, 'interactive');
      const type = field(interactive, 'type');
      if (type === 'button_reply' || type === 'list_reply') {
        return stringOrUndefined(field(field(interactive, type), 'title'));
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function textMatcher(matches: string | RegExp): (text: string) => boolean {
  if (typeof matches === 'string') {
    const expected = matches.trim().toLowerCase();
    return (text) => text.trim().toLowerCase() === expected;
  }
  // A global or sticky RegExp keeps state between calls; a copy without those flags does not.
  const re = new RegExp(matches.source, matches.flags.replace(/[gy]/g, ''));
  return (text) => re.test(text);
}

function messageMatcher(
  types: ReadonlySet<string> | undefined,
  options: WhatsAppMessageHandlerOptions,
  origin: OriginMatcher | undefined,
): UpdateMatcher {
  const from = asSet(options.from);
  const text = options.matches === undefined ? undefined : textMatcher(options.matches);
  const replyId = options.replyId === undefined ? undefined : compileReplyId(options.replyId);
  const { isReply, isForwarded, inGroup } = options;
  if (inGroup !== undefined && typeof inGroup !== 'boolean' && typeof inGroup !== 'string') {
    throw new TypeError('inGroup must be true, false or a group id');
  }
  return (update) => {
    if (update.kind !== 'message') return false;
    const message = update.message;
    if (types !== undefined && !types.has(messageTypeOf(message))) return false;
    if (origin !== undefined && !origin(update.origin)) return false;
    if (from !== undefined) {
      const sender: unknown = message.from;
      const userId: unknown = message.from_user_id;
      if (
        !(typeof sender === 'string' && from.has(sender)) &&
        !(typeof userId === 'string' && from.has(userId))
      ) {
        return false;
      }
    }
    if (text !== undefined) {
      const body = messageText(message);
      if (body === undefined || !text(body)) return false;
    }
    if (replyId !== undefined) {
      const id = replyIdOf(message);
      if (id === undefined || !replyId(id)) return false;
    }
    if (isReply !== undefined) {
      const quoted = typeof field(message.context, 'id') === 'string';
      if (quoted !== isReply) return false;
    }
    if (inGroup !== undefined) {
      const groupId = stringOrUndefined(field(message, 'group_id'));
      if (typeof inGroup === 'string' ? groupId !== inGroup : (groupId !== undefined) !== inGroup) {
        return false;
      }
    }
    if (isForwarded !== undefined) {
      const context: unknown = message.context;
      const forwarded =
        field(context, 'forwarded') === true || field(context, 'frequently_forwarded') === true;
      if (forwarded !== isForwarded) return false;
    }
    return true;
  };
}

/**
 * Turns one decorator registration into a predicate; option values are validated here, at startup
 * (a bad `replyId` throws a TypeError saying what is wrong; the explorer adds the handler's name).
 */
export function compileMatcher(metadata: WhatsAppHandlerMetadata): UpdateMatcher {
  const origin = compileOriginMatcher(metadata.options);
  switch (metadata.kind) {
    case 'message':
      return messageMatcher(metadata.types && new Set(metadata.types), metadata.options, origin);
    case 'status': {
      const statuses = metadata.statuses && new Set(metadata.statuses);
      return (update) =>
        update.kind === 'status' &&
        (statuses === undefined || statuses.has(update.status.status)) &&
        (origin === undefined || origin(update.origin));
    }
    case 'event': {
      const wanted = metadata.field;
      return (update) =>
        update.kind === 'event' &&
        (wanted === undefined || update.origin.field === wanted) &&
        (origin === undefined || origin(update.origin));
    }
    case 'call': {
      const callTypes = metadata.callTypes && new Set(metadata.callTypes);
      return (update) =>
        update.kind === 'call' &&
        (callTypes === undefined || callTypes.has(update.callType)) &&
        (origin === undefined || origin(update.origin));
    }
  }
}
