import {
  checkArray,
  checkString,
  checkUrl,
  invalid,
  isRecord,
  missing,
  requireObject,
} from './field-checks.js';

/**
 * Interactive types whose rules the sandbox knows. Any other `interactive.type` (one Meta added after
 * this release) is accepted unchecked and drawn as "not supported in the sandbox": we check what we
 * know, we never refuse what we do not know.
 */
export const KNOWN_INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'flow',
  'location_request_message',
  'address_message',
  'product',
  'product_list',
  'catalog_message',
  'carousel',
  'request_contact_info',
  'call_permission_request',
  'voice_call',
  'order_details',
  'order_status',
];

/** The `action.name` Meta requires for the types that have a fixed one. */
const ACTION_NAMES: Record<string, string> = {
  cta_url: 'cta_url',
  flow: 'flow',
  location_request_message: 'send_location',
  address_message: 'address_message',
  catalog_message: 'catalog_message',
  request_contact_info: 'request_contact_info',
  call_permission_request: 'call_permission_request',
  voice_call: 'voice_call',
  order_details: 'review_and_pay',
  order_status: 'review_order',
};

const P = "interactive['action']";

/** Checks an `interactive` object against Meta's limits (GRAPH_API.md §2) when its type is known. */
export function validateInteractive(interactive: Record<string, unknown>): void {
  const type = checkString(interactive, 'type', "interactive['type']", {
    required: true,
  }) as string;
  if (!KNOWN_INTERACTIVE_TYPES.includes(type)) return;
  checkHeader(interactive);
  const body = interactive.body;
  if (type !== 'product') {
    if (!isRecord(body)) throw missing("interactive['body']");
    checkString(body, 'text', "interactive['body']['text']", { required: true, max: 1024 });
  }
  if (isRecord(interactive.footer)) {
    checkString(interactive.footer, 'text', "interactive['footer']['text']", {
      required: true,
      max: 60,
    });
  }
  const action = requireObject(interactive, 'action', P);
  const name = ACTION_NAMES[type];
  if (name !== undefined && action.name !== name) {
    throw invalid(`Param ${P}['name'] must be "${name}".`);
  }
  switch (type) {
    case 'button':
      return checkButtons(action);
    case 'list':
      return checkList(action);
    case 'cta_url':
      return checkCtaUrl(action, P);
    case 'flow': {
      const parameters = requireObject(action, 'parameters', `${P}['parameters']`);
      checkString(parameters, 'flow_cta', `${P}['parameters']['flow_cta']`, {
        required: true,
        max: 30,
      });
      if (parameters.flow_id === undefined && parameters.flow_name === undefined) {
        throw missing(`${P}['parameters']['flow_id']`);
      }
      return;
    }
    case 'address_message':
      checkString(
        requireObject(action, 'parameters', `${P}['parameters']`),
        'country',
        `${P}['parameters']['country']`,
        { required: true, max: 2 },
      );
      return;
    case 'product':
      checkString(action, 'catalog_id', `${P}['catalog_id']`, { required: true });
      checkString(action, 'product_retailer_id', `${P}['product_retailer_id']`, {
        required: true,
      });
      return;
    case 'product_list':
      checkString(action, 'catalog_id', `${P}['catalog_id']`, { required: true });
      checkArray(action, 'sections', `${P}['sections']`, { min: 1, max: 10 });
      return;
    case 'order_details':
    case 'order_status':
      checkString(
        requireObject(action, 'parameters', `${P}['parameters']`),
        'reference_id',
        `${P}['parameters']['reference_id']`,
        { required: true },
      );
      return;
    case 'carousel':
      return checkCarousel(action);
  }
}

function checkHeader(interactive: Record<string, unknown>): void {
  const header = interactive.header;
  if (header === undefined) return;
  if (!isRecord(header)) throw invalid("Param interactive['header'] must be a JSON object.");
  const type = checkString(header, 'type', "interactive['header']['type']", { required: true });
  if (type === 'text')
    checkString(header, 'text', "interactive['header']['text']", { required: true, max: 60 });
}

function checkCtaUrl(action: Record<string, unknown>, path: string): void {
  const parameters = requireObject(action, 'parameters', `${path}['parameters']`);
  checkString(parameters, 'display_text', `${path}['parameters']['display_text']`, {
    required: true,
    max: 20,
  });
  const url = checkString(parameters, 'url', `${path}['parameters']['url']`, {
    required: true,
  }) as string;
  checkUrl(url, `${path}['parameters']['url']`);
}

/** Media cards (cta_url or quick replies) and product cards: 2 to 10, as Meta requires. */
function checkCarousel(action: Record<string, unknown>): void {
  const cards = checkArray(action, 'cards', `${P}['cards']`, { min: 2, max: 10 });
  cards.forEach((card, i) => {
    const path = `${P}['cards'][${i}]`;
    if (!isRecord(card)) throw invalid(`Param ${path} must be a JSON object.`);
    const cardAction = isRecord(card.action) ? card.action : undefined;
    if (card.type === 'cta_url') {
      if (!cardAction) throw missing(`${path}['action']`);
      checkCtaUrl(cardAction, `${path}['action']`);
    } else if (card.type === 'button' && cardAction) {
      checkArray(cardAction, 'buttons', `${path}['action']['buttons']`, {
        min: 1,
        max: 3,
      }).forEach((button, j) => {
        const at = `${path}['action']['buttons'][${j}]`;
        if (!isRecord(button) || !isRecord(button.quick_reply)) return; // a newer button kind
        checkString(button.quick_reply, 'id', `${at}['quick_reply']['id']`, {
          required: true,
          max: 256,
        });
        checkString(button.quick_reply, 'title', `${at}['quick_reply']['title']`, {
          required: true,
          max: 20,
        });
      });
    } else if (card.type === 'product') {
      if (!cardAction) throw missing(`${path}['action']`);
      checkString(cardAction, 'product_retailer_id', `${path}['action']['product_retailer_id']`, {
        required: true,
      });
    }
  });
}

function checkButtons(action: Record<string, unknown>): void {
  const buttons = checkArray(action, 'buttons', `${P}['buttons']`, {
    min: 1,
    max: 3,
  });
  const ids = new Set<string>();
  const titles = new Set<string>();
  buttons.forEach((button, i) => {
    const path = `${P}['buttons'][${i}]`;
    if (!isRecord(button)) throw invalid(`Param ${path} must be a JSON object.`);
    if (button.type !== 'reply') throw invalid(`Param ${path}['type'] must be "reply".`);
    const reply = requireObject(button, 'reply', `${path}['reply']`);
    const id = checkString(reply, 'id', `${path}['reply']['id']`, {
      required: true,
      max: 256,
    }) as string;
    const title = checkString(reply, 'title', `${path}['reply']['title']`, {
      required: true,
      max: 20,
    }) as string;
    if (ids.has(id)) throw invalid(`Buttons must have unique ids; "${id}" is repeated.`);
    if (titles.has(title))
      throw invalid(`Buttons must have unique titles; "${title}" is repeated.`);
    ids.add(id);
    titles.add(title);
  });
}

function checkList(action: Record<string, unknown>): void {
  checkString(action, 'button', `${P}['button']`, { required: true, max: 20 });
  const sections = checkArray(action, 'sections', `${P}['sections']`, {
    min: 1,
    max: 10,
  });
  const ids = new Set<string>();
  let rows = 0;
  sections.forEach((section, s) => {
    const path = `${P}['sections'][${s}]`;
    if (!isRecord(section)) throw invalid(`Param ${path} must be a JSON object.`);
    checkString(section, 'title', `${path}['title']`, { required: sections.length > 1, max: 24 });
    const list = checkArray(section, 'rows', `${path}['rows']`, { min: 1 });
    list.forEach((row, r) => {
      const rowPath = `${path}['rows'][${r}]`;
      if (!isRecord(row)) throw invalid(`Param ${rowPath} must be a JSON object.`);
      const id = checkString(row, 'id', `${rowPath}['id']`, { required: true, max: 200 }) as string;
      checkString(row, 'title', `${rowPath}['title']`, { required: true, max: 24 });
      checkString(row, 'description', `${rowPath}['description']`, { max: 72 });
      if (ids.has(id)) throw invalid(`Row ids must be unique; "${id}" is repeated.`);
      ids.add(id);
      rows++;
    });
  });
  if (rows > 10) throw invalid(`A list message can have at most 10 rows in total, got ${rows}.`);
}
