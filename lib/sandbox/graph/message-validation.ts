import { GraphError } from '../graph-error.js';
import type { MediaRecord, TemplateRecord } from '../sandbox-store.js';
import {
  checkArray,
  checkString,
  checkUrl,
  invalid,
  isRecord,
  missing,
  requireObject,
} from './field-checks.js';
import { validateInteractive } from './interactive-validation.js';
import { MEDIA_RULES } from './media-rules.js';
import { validateTemplateSend } from './template-send-validation.js';

/**
 * Message types whose rules the sandbox knows. Any other type (one Meta added after this release) is
 * accepted unchecked and drawn as "not supported in the sandbox", as the client sends it unchanged.
 */
export const MESSAGE_TYPES = [
  'audio',
  'contacts',
  'document',
  'image',
  'interactive',
  'location',
  'reaction',
  'sticker',
  'template',
  'text',
  'video',
];

/** What the sandbox looks up while validating. */
export interface SendLookups {
  media(id: string): MediaRecord | undefined;
  template(name: string, language: string): TemplateRecord | undefined;
}

/** A send that passed validation. */
export interface ValidatedSend {
  type: string;
  to?: string;
  recipient?: string;
  content: Record<string, unknown>;
  /** `body[type]` as sent (an array for `contacts`): what the chat page draws. */
  value: unknown;
  contextId?: string;
  bizOpaque?: string;
  template?: TemplateRecord;
}

/** Validates `POST /{phone-number-id}/messages` (a send, not a read receipt) the way Meta does. */
export function validateSend(body: Record<string, unknown>, lookups: SendLookups): ValidatedSend {
  if (body.messaging_product !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.', {
      title: 'The parameter messaging_product is required.',
    });
  }
  const to = checkString(body, 'to', 'to');
  const recipient = checkString(body, 'recipient', 'recipient');
  if (to === undefined && recipient === undefined) {
    throw new GraphError(100, 'The parameter to is required.', {
      title: 'The parameter to is required.',
    });
  }
  if (to !== undefined && body.recipient_type !== 'group' && !/^\+?[\d\s().-]{6,20}$/.test(to)) {
    throw new GraphError(100, `Invalid parameter: to must be a phone number, got "${to}".`);
  }
  if (
    body.recipient_type !== undefined &&
    !['individual', 'group'].includes(String(body.recipient_type))
  ) {
    throw new GraphError(100, 'Param recipient_type must be one of {individual, group}.');
  }
  const type = body.type === undefined ? 'text' : body.type;
  if (typeof type !== 'string' || !/^[a-z][a-z0-9_]{0,63}$/.test(type)) {
    throw new GraphError(100, `Param type must be a message type name - got "${String(type)}".`);
  }
  const bizOpaque = checkString(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', {
    max: 512,
  });
  let contextId: string | undefined;
  if (body.context !== undefined) {
    if (type === 'reaction') throw invalid('Reactions cannot be sent as replies (context).');
    const context = requireObject(body, 'context', 'context');
    contextId = checkString(context, 'message_id', "context['message_id']", { required: true });
  }
  if (!MESSAGE_TYPES.includes(type)) {
    const open = isRecord(body[type]) ? (body[type] as Record<string, unknown>) : {};
    return { type, to, recipient, content: open, value: body[type], contextId, bizOpaque };
  }
  // `contacts` is an array (checked below), every other known type an object.
  const content = type === 'contacts' ? {} : requireObject(body, type, type);
  const value = body[type];
  const result: ValidatedSend = { type, to, recipient, content, value, contextId, bizOpaque };
  switch (type) {
    case 'text':
      checkString(content, 'body', "text['body']", { required: true, max: 4096 });
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      checkMedia(type, content, lookups);
      break;
    case 'location':
      checkCoordinate(content, 'latitude', 90);
      checkCoordinate(content, 'longitude', 180);
      break;
    case 'contacts':
      checkArray(body, 'contacts', 'contacts', { min: 1 }).forEach((contact, i) => {
        if (!isRecord(contact)) throw invalid(`Param contacts[${i}] must be a JSON object.`);
        const name = requireObject(contact, 'name', `contacts[${i}]['name']`);
        checkString(name, 'formatted_name', `contacts[${i}]['name']['formatted_name']`, {
          required: true,
        });
      });
      break;
    case 'reaction':
      checkString(content, 'message_id', "reaction['message_id']", { required: true });
      checkString(content, 'emoji', "reaction['emoji']", { required: true, min: 0 });
      break;
    case 'interactive':
      validateInteractive(content);
      break;
    case 'template':
      result.template = validateTemplateSend(content, lookups.template);
      break;
  }
  return result;
}

function checkMedia(type: string, content: Record<string, unknown>, lookups: SendLookups): void {
  const id = checkString(content, 'id', `${type}['id']`);
  const link = checkString(content, 'link', `${type}['link']`);
  if ((id === undefined) === (link === undefined)) {
    throw invalid(`Param ${type} must have exactly one of ${type}['id'] or ${type}['link'].`);
  }
  if (link !== undefined) checkUrl(link, `${type}['link']`);
  if (type === 'audio' || type === 'sticker') {
    if (content.caption !== undefined)
      throw invalid(`Param ${type}['caption'] is not supported for ${type} messages.`);
  } else {
    checkString(content, 'caption', `${type}['caption']`, { max: 1024 });
  }
  if (type === 'document') checkString(content, 'filename', "document['filename']", { max: 240 });
  if (id === undefined) return;
  const media = lookups.media(id);
  if (!media) throw invalid(`Param ${type}['id'] is not a valid media id: ${id}.`);
  const rule = MEDIA_RULES[type];
  const bare = media.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (rule && !rule.mimeTypes.includes(bare)) {
    throw new GraphError(
      131053,
      `Media of type ${bare} cannot be sent as ${type}; accepted: ${rule.mimeTypes.join(', ')}.`,
    );
  }
}

function checkCoordinate(content: Record<string, unknown>, key: string, bound: number): void {
  const value = content[key];
  const number = typeof value === 'string' ? Number(value) : value;
  if (value === undefined) throw missing(`location['${key}']`);
  if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > bound) {
    throw invalid(`Param location['${key}'] must be a number between -${bound} and ${bound}.`);
  }
}
