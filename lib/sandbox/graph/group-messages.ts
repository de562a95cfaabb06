import { GraphError } from '../graph-error.js';
import { newWamid } from '../ids.js';
import type { GraphAnswer, SandboxContext } from '../sandbox-context.js';
import type { ChatMessage } from '../sandbox-store.js';
import { findGroup } from './groups-endpoint.js';
import type { ValidatedSend } from './message-validation.js';

/** Message types Meta delivers to groups (no interactive lists/buttons, no templates with buttons). */
const GROUP_TYPES = new Set([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'template',
]);

/** A send with `recipient_type: 'group'`: appears in the group chat, with statuses naming the group. */
export function postGroupMessage(ctx: SandboxContext, send: ValidatedSend): GraphAnswer {
  const groupId = send.to ?? '';
  const found = findGroup(ctx, groupId);
  const group = found?.phoneNumberId === ctx.business.phoneNumberId ? found : undefined;
  if (!group) {
    // 131041 "Group unknown": it does not exist or the number is not a member (Groups API error
    // codes, https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/error-codes/).
    throw new GraphError(131041, `${groupId} is not a group of this number.`);
  }
  if (!GROUP_TYPES.has(send.type)) {
    throw new GraphError(131009, `Message type ${send.type} cannot be sent to a group.`, {
      subcode: 2494010,
    });
  }
  const contextId =
    send.contextId !== undefined && ctx.store.messages.get(send.contextId)?.waId === group.id
      ? send.contextId
      : undefined;
  const message: ChatMessage = {
    id: newWamid(group.participants[0] ?? '0', 'outbound'),
    waId: group.id,
    phoneNumberId: ctx.business.phoneNumberId,
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
  ctx.lifecycle.accepted(message, { bizOpaque: send.bizOpaque });
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [{ input: group.id }],
      messages: [{ id: message.id }],
    },
  };
}
