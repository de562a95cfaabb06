import { GraphError } from '../graph-error.js';
import { newWamid } from '../ids.js';
import type { Pricing } from '../message-lifecycle.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { ChatMessage, UserRecord } from '../sandbox-store.js';
import { parseJsonObject } from '../http-util.js';
import { checkString, invalid } from './field-checks.js';
import { validateSend, type ValidatedSend } from './message-validation.js';
import { postGroupMessage } from './group-messages.js';

const TYPING_MS = 25_000;
const WINDOW_DETAILS =
  'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';

/** `POST /{phone-number-id}/messages`: sends, read receipts and typing indicators. */
export function postMessages(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  const phone = req.segments[0] ?? '';
  if (!ctx.management.isRegistered(phone)) throw notRegistered();
  if (body.status !== undefined) return markAsRead(ctx, body);
  const send = validateSend(body, {
    media: (id) => ctx.store.media.get(id),
    template: (name, language) =>
      ctx.store.findTemplate(name, language, ctx.business.businessAccountId),
  });
  if (body.recipient_type === 'group') return postGroupMessage(ctx, send);
  const user = recipientOf(ctx, send);
  if (ctx.management.isBlocked(phone, user.wa_id)) throw blockedRecipient();
  const phoneNumberId = ctx.business.phoneNumberId;
  const outsideWindow = send.type !== 'template' && !ctx.store.windowOpen(user, phoneNumberId);
  if (outsideWindow && ctx.options.windowViolation === 'reject') {
    throw new GraphError(131047, WINDOW_DETAILS);
  }
  if (send.type === 'reaction') applyReaction(ctx, user, send.content);
  const quoted = send.contextId === undefined ? undefined : ctx.store.messages.get(send.contextId);
  const contextId =
    quoted?.waId === user.wa_id && quoted.phoneNumberId === phoneNumberId ? quoted.id : undefined;
  const message: ChatMessage = {
    id: newWamid(user.wa_id, 'outbound'),
    waId: user.wa_id,
    phoneNumberId,
    from: 'bot',
    at: Date.now(),
    type: send.type,
    payload: { type: send.type, [send.type]: send.value },
    status: 'accepted',
    contextId,
    reactions: {},
    template: send.template,
  };
  ctx.store.putMessage(message);
  ctx.store.typing(user.wa_id, 0, phoneNumberId);
  if (outsideWindow) {
    ctx.lifecycle.failed(message, {
      code: 131047,
      title: 'Re-engagement message',
      details: WINDOW_DETAILS,
    });
  } else {
    ctx.lifecycle.accepted(message, { pricing: pricingOf(send), bizOpaque: send.bizOpaque });
  }
  const contact =
    send.to !== undefined
      ? { input: send.to, wa_id: user.wa_id }
      : { input: send.recipient as string, user_id: user.user_id };
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [contact],
      messages: [
        send.type === 'template'
          ? { id: message.id, message_status: 'accepted' }
          : { id: message.id },
      ],
    },
  };
}

/**
 * A deregistered number cannot send: Meta's 133010 ("Phone number Not Registered", error codes page
 * developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes), the code
 * the testing kit's fake also answers to `deregister` twice.
 */
function notRegistered(): GraphError {
  return new GraphError(
    133010,
    'Phone number is not registered on the WhatsApp Business Platform',
    { title: 'Account not registered' },
  );
}

/**
 * A user the number blocked: "Your business cannot message the user. Attempts to message a blocked
 * user return an error" (Meta's Block Users API page, which names no code). The sandbox answers
 * 131026 "Message undeliverable", the code Meta's error table gives for a recipient who cannot
 * receive the business's messages (GRAPH_API.md §7 lists "blocked" among its causes).
 */
function blockedRecipient(): GraphError {
  return new GraphError(
    131026,
    'Message undeliverable: this business number blocked the recipient (Block Users API); unblock the user first.',
  );
}

/** The simulated user a send goes to; a new phone number becomes a new chat (e.g. a template to a new customer). */
function recipientOf(ctx: SandboxContext, send: ValidatedSend): UserRecord {
  const found = ctx.store.findUser(send);
  if (found) return found;
  if (send.to === undefined) {
    throw new GraphError(
      131026,
      `Recipient ${send.recipient ?? ''} is not a known business-scoped user id.`,
    );
  }
  const waId = send.to.replace(/\D/g, '');
  return ctx.store.addUser({ wa_id: waId, name: `+${waId}` });
}

function applyReaction(
  ctx: SandboxContext,
  user: UserRecord,
  reaction: Record<string, unknown>,
): void {
  const target = ctx.store.messages.get(String(reaction.message_id));
  if (
    !target ||
    target.waId !== user.wa_id ||
    target.phoneNumberId !== ctx.business.phoneNumberId
  ) {
    throw invalid(
      `Param reaction['message_id'] is not a message of this conversation: ${String(reaction.message_id)}.`,
    );
  }
  target.reactions.bot =
    typeof reaction.emoji === 'string' && reaction.emoji !== '' ? reaction.emoji : undefined;
  ctx.store.touchMessage(target);
}

function pricingOf(send: ValidatedSend): Pricing {
  if (send.template) {
    return {
      billable: true,
      pricing_model: 'PMP',
      type: 'regular',
      category: send.template.category.toLowerCase(),
    };
  }
  return {
    billable: false,
    pricing_model: 'PMP',
    type: 'free_customer_service',
    category: 'service',
  };
}

/** `{"status":"read","message_id":…}`: marks that user message and the earlier ones read; may show typing. */
function markAsRead(ctx: SandboxContext, body: Record<string, unknown>): GraphAnswer {
  if (body.messaging_product !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.');
  }
  if (body.status !== 'read') throw new GraphError(100, 'Param status must be "read".');
  const id = checkString(body, 'message_id', 'message_id', { required: true }) as string;
  const found = ctx.store.messages.get(id);
  // A message another number received is not this number's.
  const target = found?.phoneNumberId === ctx.business.phoneNumberId ? found : undefined;
  if (!target || target.from !== 'user') {
    throw new GraphError(
      100,
      `Invalid parameter: message_id ${id} is not a message received by this number.`,
    );
  }
  for (const message of ctx.store.chatOf(target.waId, target.phoneNumberId)) {
    if (message.from === 'user' && message.at <= target.at && message.status !== 'read') {
      message.status = 'read';
      ctx.store.touchMessage(message);
    }
  }
  const typing = body.typing_indicator;
  if (typing !== undefined) {
    if (
      typeof typing !== 'object' ||
      typing === null ||
      (typing as { type?: unknown }).type !== 'text'
    ) {
      throw invalid('Param typing_indicator[\'type\'] must be "text".');
    }
    ctx.store.typing(target.waId, Date.now() + TYPING_MS, target.phoneNumberId);
  }
  return { status: 200, json: { success: true } };
}
