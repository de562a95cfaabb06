import type { OutgoingMessageType } from '../../types/outgoing/outgoing-message.js';
import {
  array,
  fail,
  httpsUrl,
  isObject,
  number,
  object,
  oneOf,
  optionalText,
  text,
} from './checks.js';

/** Phone number as Meta accepts it: digits, optional `+`, common separators. */
const PHONE = /^\+?[0-9][0-9 ().-]{3,30}$/;
/** BSUID such as `US.13491208655302741918` (or a parent BSUID). */
const BSUID = /^[A-Za-z0-9._:-]{1,256}$/;

/**
 * The message types whose content this library checks. Open validation: any other type (Meta adds
 * some every quarter) is sent as given, and Meta's own error answer becomes a WhatsAppApiError.
 */
export const MESSAGE_TYPES: readonly OutgoingMessageType[] = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'interactive',
  'template',
];

/** A group id (base64-like, e.g. `Y2FwaV9ncm91cDox...`): no whitespace, no path or query characters. */
const GROUP_ID = /^[A-Za-z0-9_=+.:-]{1,256}$/;

export function checkRecipient(to: unknown, recipient: unknown, recipientType?: unknown): void {
  if (recipientType === 'group') {
    if (typeof to !== 'string' || !GROUP_ID.test(to)) {
      fail('to', 'must be a group id when recipientType is "group"');
    }
    if (recipient !== undefined) fail('recipient', 'is not allowed with recipientType "group"');
    return;
  }
  if (recipientType !== undefined && recipientType !== 'individual') {
    fail('recipientType', 'must be "individual" or "group"');
  }
  if (to === undefined && recipient === undefined)
    fail('to', 'give "to" (phone) or "recipient" (BSUID)');
  if (to !== undefined && (typeof to !== 'string' || !PHONE.test(to))) {
    fail('to', 'must be a phone number in international format (digits, optional "+")');
  }
  if (recipient !== undefined && (typeof recipient !== 'string' || !BSUID.test(recipient))) {
    fail('recipient', 'must be a business-scoped user id such as "US.1349..."');
  }
}

export function checkSendOptions(replyTo: unknown, callbackData: unknown): void {
  if (replyTo !== undefined) text(replyTo, 'replyTo', 512);
  if (callbackData !== undefined) text(callbackData, 'biz_opaque_callback_data', 512);
}

function checkMedia(value: unknown, field: string, caption: boolean, filename = false): void {
  const media = object(value, field);
  const hasId = media.id !== undefined;
  const hasLink = media.link !== undefined;
  if (hasId === hasLink) fail(field, 'give exactly one of "id" or "link"');
  if (hasId) text(media.id, `${field}.id`, 256);
  else httpsUrl(media.link, `${field}.link`);
  if (caption) optionalText(media.caption, `${field}.caption`, 1024);
  else if (media.caption !== undefined) fail(`${field}.caption`, 'is not allowed for this type');
  if (filename) optionalText(media.filename, `${field}.filename`, 240);
}

function checkLocation(value: unknown, field: string): void {
  const location = object(value, field);
  number(location.latitude, `${field}.latitude`, -90, 90);
  number(location.longitude, `${field}.longitude`, -180, 180);
  optionalText(location.name, `${field}.name`, 1000);
  optionalText(location.address, `${field}.address`, 1000);
}

function checkContacts(value: unknown): void {
  const contacts = array(value, 'contacts', 1, 257);
  contacts.forEach((contact, i) => {
    const c = object(contact, `contacts[${i}]`);
    const name = object(c.name, `contacts[${i}].name`);
    text(name.formatted_name, `contacts[${i}].name.formatted_name`, 1000);
  });
}

/** Whether `value` is one of `known`: the checks below run only for what we know for sure. */
function isKnown<T extends string>(value: unknown, known: readonly T[]): value is T {
  return typeof value === 'string' && (known as readonly string[]).includes(value);
}

const HEADER_TYPES = ['text', 'image', 'video', 'document'] as const;

function checkInteractiveHeader(value: unknown, field: string): void {
  if (value === undefined) return;
  const header = object(value, field);
  text(header.type, `${field}.type`, 64);
  if (!isKnown(header.type, HEADER_TYPES)) return; // a newer header type: Meta checks it
  const type = header.type;
  if (type === 'text') text(header.text, `${field}.text`, 60);
  else checkMedia(header[type], `${field}.${type}`, false, type === 'document');
}

const INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'flow',
  'location_request_message',
  'address_message',
  'product',
  'product_list',
  'carousel',
  'request_contact_info',
  'call_permission_request',
  'voice_call',
  'catalog_message',
  'order_details',
  'order_status',
] as const;

/** Interactive types Meta documents without a required body (checked when given). */
const BODY_OPTIONAL: ReadonlySet<string> = new Set([
  'product',
  'call_permission_request',
  'voice_call',
]);

/** Interactive types whose only required action field is `name`, equal to the type. */
const NAMED_ACTIONS = {
  location_request_message: 'send_location',
  request_contact_info: 'request_contact_info',
  call_permission_request: 'call_permission_request',
  voice_call: 'voice_call',
  catalog_message: 'catalog_message',
  order_details: 'review_and_pay',
  order_status: 'review_order',
} as const;

/** Checks the cards of an interactive carousel: the fields every card of a known type needs. */
function checkCarouselCards(value: unknown, field: string): void {
  array(value, field, 1, 10).forEach((card, i) => {
    const p = `${field}[${i}]`;
    const c = object(card, p);
    number(c.card_index, `${p}.card_index`, 0, 9);
    text(c.type, `${p}.type`, 64);
    if (c.type !== 'product' && c.type !== 'cta_url' && c.type !== 'button') return; // newer card
    const action = object(c.action, `${p}.action`);
    if (c.type === 'product') {
      text(action.product_retailer_id, `${p}.action.product_retailer_id`, 256);
      text(action.catalog_id, `${p}.action.catalog_id`, 256);
      return;
    }
    // Media cards: an image or video header (a newer header type passes), optional body.
    const header = object(c.header, `${p}.header`);
    text(header.type, `${p}.header.type`, 64);
    if (header.type === 'image' || header.type === 'video') {
      checkMedia(header[header.type], `${p}.header.${header.type}`, true);
    }
    if (c.body !== undefined) text(object(c.body, `${p}.body`).text, `${p}.body.text`, 160);
    if (action.name === 'cta_url') {
      const parameters = object(action.parameters, `${p}.action.parameters`);
      text(parameters.display_text, `${p}.action.parameters.display_text`, 20);
      httpsUrl(parameters.url, `${p}.action.parameters.url`);
    } else if (action.buttons !== undefined) {
      array(action.buttons, `${p}.action.buttons`, 1, 10).forEach((button, j) => {
        const q = `${p}.action.buttons[${j}]`;
        const b = object(button, q);
        text(b.type, `${q}.type`, 64);
        if (b.type !== 'quick_reply') return;
        const reply = object(b.quick_reply, `${q}.quick_reply`);
        text(reply.id, `${q}.quick_reply.id`, 256);
        // Presence only: Meta documents no card-specific limit we are sure of.
        text(reply.title, `${q}.quick_reply.title`, 256);
      });
    }
  });
}

function checkInteractive(value: unknown): void {
  const f = 'interactive';
  const interactive = object(value, f);
  text(interactive.type, `${f}.type`, 64);
  // Whatever Meta adds next (or a type this list forgets): sent unchanged.
  if (!isKnown(interactive.type, INTERACTIVE_TYPES)) return;
  const type = interactive.type;
  if (interactive.body !== undefined || !BODY_OPTIONAL.has(type)) {
    text(object(interactive.body, `${f}.body`).text, `${f}.body.text`, 1024);
  }
  if (interactive.footer !== undefined) {
    text(object(interactive.footer, `${f}.footer`).text, `${f}.footer.text`, 60);
  }
  checkInteractiveHeader(interactive.header, `${f}.header`);
  const action = object(interactive.action, `${f}.action`);
  switch (type) {
    case 'button': {
      const buttons = array(action.buttons, `${f}.action.buttons`, 1, 3);
      buttons.forEach((button, i) => {
        const p = `${f}.action.buttons[${i}]`;
        const b = object(button, p);
        text(b.type, `${p}.type`, 64);
        if (b.type !== 'reply') return; // a newer button kind: Meta checks it
        const reply = object(b.reply, `${p}.reply`);
        text(reply.id, `${p}.reply.id`, 256);
        text(reply.title, `${p}.reply.title`, 20);
      });
      break;
    }
    case 'list': {
      text(action.button, `${f}.action.button`, 20);
      const sections = array(action.sections, `${f}.action.sections`, 1, 10);
      let rows = 0;
      sections.forEach((section, i) => {
        const p = `${f}.action.sections[${i}]`;
        const s = object(section, p);
        optionalText(s.title, `${p}.title`, 24);
        array(s.rows, `${p}.rows`, 1, 10).forEach((row, j) => {
          const r = object(row, `${p}.rows[${j}]`);
          text(r.id, `${p}.rows[${j}].id`, 200);
          text(r.title, `${p}.rows[${j}].title`, 24);
          optionalText(r.description, `${p}.rows[${j}].description`, 72);
          rows += 1;
        });
      });
      if (rows > 10) fail(`${f}.action.sections`, 'must hold at most 10 rows in all');
      break;
    }
    case 'cta_url': {
      oneOf(action.name, `${f}.action.name`, ['cta_url'] as const);
      const parameters = object(action.parameters, `${f}.action.parameters`);
      text(parameters.display_text, `${f}.action.parameters.display_text`, 20);
      httpsUrl(parameters.url, `${f}.action.parameters.url`);
      break;
    }
    case 'flow': {
      oneOf(action.name, `${f}.action.name`, ['flow'] as const);
      const parameters = object(action.parameters, `${f}.action.parameters`);
      text(parameters.flow_cta, `${f}.action.parameters.flow_cta`, 30);
      if (parameters.flow_id === undefined && parameters.flow_name === undefined) {
        fail(`${f}.action.parameters.flow_id`, 'give "flow_id" or "flow_name"');
      }
      break;
    }
    case 'location_request_message':
    case 'request_contact_info':
    case 'call_permission_request':
    case 'voice_call':
    case 'catalog_message':
      oneOf(action.name, `${f}.action.name`, [NAMED_ACTIONS[type]]);
      break;
    case 'carousel':
      checkCarouselCards(action.cards, `${f}.action.cards`);
      break;
    case 'order_details': {
      oneOf(action.name, `${f}.action.name`, [NAMED_ACTIONS[type]]);
      const parameters = object(action.parameters, `${f}.action.parameters`);
      // Presence and type only: the limits differ per market (India, Brazil, Singapore).
      text(parameters.reference_id, `${f}.action.parameters.reference_id`, 512);
      text(parameters.currency, `${f}.action.parameters.currency`, 3);
      const total = object(parameters.total_amount, `${f}.action.parameters.total_amount`);
      number(total.value, `${f}.action.parameters.total_amount.value`, 0, Number.MAX_SAFE_INTEGER);
      number(
        total.offset,
        `${f}.action.parameters.total_amount.offset`,
        0,
        Number.MAX_SAFE_INTEGER,
      );
      break;
    }
    case 'order_status': {
      oneOf(action.name, `${f}.action.name`, [NAMED_ACTIONS[type]]);
      const parameters = object(action.parameters, `${f}.action.parameters`);
      text(parameters.reference_id, `${f}.action.parameters.reference_id`, 512);
      const order = object(parameters.order, `${f}.action.parameters.order`);
      text(order.status, `${f}.action.parameters.order.status`, 64);
      break;
    }
    case 'address_message':
      oneOf(action.name, `${f}.action.name`, ['address_message'] as const);
      text(
        object(action.parameters, `${f}.action.parameters`).country,
        `${f}.action.parameters.country`,
        2,
      );
      break;
    case 'product':
      text(action.catalog_id, `${f}.action.catalog_id`, 256);
      text(action.product_retailer_id, `${f}.action.product_retailer_id`, 256);
      break;
    case 'product_list':
      text(action.catalog_id, `${f}.action.catalog_id`, 256);
      array(action.sections, `${f}.action.sections`, 1, 10);
      break;
  }
}

const TEMPLATE_COMPONENT_TYPES = [
  'header',
  'body',
  'button',
  'carousel',
  'limited_time_offer',
] as const;

/** Every parameter needs a string `type`; any type passes (Meta adds them). */
function checkTemplateParameters(value: unknown, field: string): void {
  array(value, field, 0, 100).forEach((parameter, j) => {
    text(object(parameter, `${field}[${j}]`).type, `${field}[${j}].type`, 32);
  });
}

function checkTemplateComponents(value: unknown, field: string, inCard: boolean): void {
  array(value, field, 0, 20).forEach((component, i) => {
    const p = `${field}[${i}]`;
    const c = object(component, p);
    text(c.type, `${p}.type`, 64);
    if (!isKnown(c.type, TEMPLATE_COMPONENT_TYPES)) return; // a newer component: Meta checks it
    if (c.type === 'carousel') {
      if (inCard) return; // not a known place for one: Meta checks it
      // Cards hold their own header, body and buttons.
      array(c.cards, `${p}.cards`, 1, 10).forEach((card, j) => {
        const q = `${p}.cards[${j}]`;
        const k = object(card, q);
        number(k.card_index, `${q}.card_index`, 0, 9);
        checkTemplateComponents(k.components, `${q}.components`, true);
      });
      return;
    }
    if (c.type === 'button') {
      text(c.sub_type, `${p}.sub_type`, 32);
      if (c.index === undefined) fail(`${p}.index`, 'is required for button components');
    }
    checkTemplateParameters(c.parameters, `${p}.parameters`);
  });
}

function checkTemplate(value: unknown): void {
  const template = object(value, 'template');
  text(template.name, 'template.name', 512);
  text(object(template.language, 'template.language').code, 'template.language.code', 15);
  if (template.components !== undefined) {
    checkTemplateComponents(template.components, 'template.components', false);
  }
}

/** Checks the content field of one message type. */
export function checkContent(type: unknown, message: Record<string, unknown>): void {
  text(type, 'type', 64);
  if (!isKnown(type, MESSAGE_TYPES)) return; // a type we do not know: Meta checks it
  const t = type;
  const content = message[t];
  switch (t) {
    case 'text': {
      const body = object(content, 'text');
      text(body.body, 'text.body', 4096);
      if (body.preview_url !== undefined && typeof body.preview_url !== 'boolean') {
        fail('text.preview_url', 'must be a boolean');
      }
      return;
    }
    case 'image':
    case 'video':
      return checkMedia(content, t, true);
    case 'document':
      return checkMedia(content, t, true, true);
    case 'audio':
    case 'sticker':
      return checkMedia(content, t, false);
    case 'location':
      return checkLocation(content, 'location');
    case 'contacts':
      return checkContacts(content);
    case 'reaction': {
      const reaction = object(content, 'reaction');
      text(reaction.message_id, 'reaction.message_id', 512);
      // '' removes a reaction; otherwise one emoji (a grapheme may be several code units).
      text(reaction.emoji, 'reaction.emoji', 32, true);
      return;
    }
    case 'interactive':
      return checkInteractive(content);
    case 'template':
      return checkTemplate(content);
  }
}

export { isObject };
