import {
  checkArray,
  checkString,
  checkUrl,
  invalid,
  isRecord,
  missing,
  requireObject,
} from './field-checks.js';

const TYPES = [
  'button',
  'list',
  'cta_url',
  'flow',
  'location_request_message',
  'product',
  'product_list',
];

/** Checks an `interactive` object against Meta's limits (GRAPH_API.md §2). */
export function validateInteractive(interactive: Record<string, unknown>): void {
  const type = checkString(interactive, 'type', "interactive['type']", {
    required: true,
  }) as string;
  if (!TYPES.includes(type)) {
    throw invalid(`Param interactive['type'] must be one of {${TYPES.join(', ')}}, got "${type}".`);
  }
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
  const action = requireObject(interactive, 'action', "interactive['action']");
  if (type === 'button') checkButtons(action);
  if (type === 'list') checkList(action);
  if (type === 'cta_url') {
    const parameters = requireObject(action, 'parameters', "interactive['action']['parameters']");
    checkString(parameters, 'display_text', "interactive['action']['parameters']['display_text']", {
      required: true,
      max: 20,
    });
    const url = checkString(parameters, 'url', "interactive['action']['parameters']['url']", {
      required: true,
    }) as string;
    checkUrl(url, "interactive['action']['parameters']['url']");
  }
  if (type === 'location_request_message' && action.name !== 'send_location') {
    throw invalid("Param interactive['action']['name'] must be \"send_location\".");
  }
}

function checkHeader(interactive: Record<string, unknown>): void {
  const header = interactive.header;
  if (header === undefined) return;
  if (!isRecord(header)) throw invalid("Param interactive['header'] must be a JSON object.");
  const type = checkString(header, 'type', "interactive['header']['type']", { required: true });
  if (type === 'text')
    checkString(header, 'text', "interactive['header']['text']", { required: true, max: 60 });
  else if (!['image', 'video', 'document'].includes(type as string)) {
    throw invalid(
      `Param interactive['header']['type'] must be one of {text, image, video, document}.`,
    );
  }
}

function checkButtons(action: Record<string, unknown>): void {
  const buttons = checkArray(action, 'buttons', "interactive['action']['buttons']", {
    min: 1,
    max: 3,
  });
  const ids = new Set<string>();
  const titles = new Set<string>();
  buttons.forEach((button, i) => {
    const path = `interactive['action']['buttons'][${i}]`;
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
  checkString(action, 'button', "interactive['action']['button']", { required: true, max: 20 });
  const sections = checkArray(action, 'sections', "interactive['action']['sections']", {
    min: 1,
    max: 10,
  });
  const ids = new Set<string>();
  let rows = 0;
  sections.forEach((section, s) => {
    const path = `interactive['action']['sections'][${s}]`;
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
