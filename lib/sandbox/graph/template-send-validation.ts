import { GraphError } from '../graph-error.js';
import type { TemplateRecord } from '../sandbox-store.js';
import { checkArray, checkString, invalid, isRecord, requireObject } from './field-checks.js';
import { placeholdersOf } from './template-placeholders.js';

/**
 * Checks a `template` send against the stored template, as Meta does:
 * 132001 unknown or not approved, 132015/132016 paused/disabled, 132000 parameter count, 132012 parameter format.
 */
export function validateTemplateSend(
  template: Record<string, unknown>,
  find: (name: string, language: string) => TemplateRecord | undefined,
): TemplateRecord {
  const name = checkString(template, 'name', "template['name']", { required: true }) as string;
  const language = requireObject(template, 'language', "template['language']");
  const code = checkString(language, 'code', "template['language']['code']", {
    required: true,
  }) as string;
  const stored = find(name, code);
  if (!stored || stored.status === 'PENDING' || stored.status === 'REJECTED') {
    throw new GraphError(132001, `template name (${name}) does not exist in ${code}`);
  }
  if (stored.status === 'PAUSED') {
    throw new GraphError(132015, `Template ${name} is paused due to low quality.`, {
      title: 'Template is Paused',
    });
  }
  if (stored.status === 'DISABLED') {
    throw new GraphError(132016, `Template ${name} has been disabled due to low quality.`, {
      title: 'Template is Disabled',
    });
  }
  const sent =
    template.components === undefined
      ? []
      : checkArray(template, 'components', "template['components']");
  for (const kind of ['header', 'body'] as const) {
    checkComponent(stored, kind, sent);
  }
  checkButtons(stored, sent);
  checkCarousel(stored, sent);
  return stored;
}

function storedComponent(
  stored: TemplateRecord,
  type: string,
): Record<string, unknown> | undefined {
  return stored.components.find((c) => String(c.type).toUpperCase() === type.toUpperCase());
}

function checkComponent(stored: TemplateRecord, kind: 'header' | 'body', sent: unknown[]): void {
  const component = storedComponent(stored, kind);
  const given = sent.find((c) => isRecord(c) && String(c.type).toLowerCase() === kind);
  const params = isRecord(given) && Array.isArray(given.parameters) ? given.parameters : [];
  const format = typeof component?.format === 'string' ? component.format.toUpperCase() : 'TEXT';
  if (kind === 'header' && component && format !== 'TEXT') {
    const param = params[0];
    const expected = format.toLowerCase();
    if (!isRecord(param) || param.type !== expected || !isRecord(param[expected])) {
      throw new GraphError(
        132012,
        `header: Format mismatch, expected ${format}, received ${isRecord(param) ? String(param.type).toUpperCase() : 'UNKNOWN'}`,
        { title: 'Parameter format does not match format in the created template' },
      );
    }
    return;
  }
  // An authentication body is Meta's fixed "{{1}} is your verification code."
  const authBody =
    kind === 'body' && stored.category === 'AUTHENTICATION' && component?.text === undefined;
  const expected = authBody ? ['1'] : placeholdersOf(component?.text);
  if (params.length !== expected.length) {
    throw new GraphError(
      132000,
      `${kind}: number of localizable_params (${params.length}) does not match the expected number of params (${expected.length})`,
    );
  }
  params.forEach((param, i) => {
    if (!isRecord(param))
      throw invalid(
        `Param template['components'][${kind}]['parameters'][${i}] must be a JSON object.`,
      );
    if (stored.parameter_format === 'NAMED' && !expected.includes(String(param.parameter_name))) {
      throw new GraphError(
        132012,
        `${kind}: parameter_name "${String(param.parameter_name)}" is not one of {${expected.join(', ')}}`,
      );
    }
    if (param.type === 'text')
      checkString(param, 'text', `${kind} parameter ${i + 1} text`, { required: true });
  });
}

function checkButtons(stored: TemplateRecord, sent: unknown[]): void {
  const buttons = storedComponent(stored, 'BUTTONS')?.buttons;
  const count = Array.isArray(buttons) ? buttons.length : 0;
  for (const component of sent) {
    if (!isRecord(component) || String(component.type).toLowerCase() !== 'button') continue;
    const index = Number(component.index);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw invalid(
        `Button at index ${String(component.index)} does not exist in template ${stored.name}.`,
      );
    }
  }
}

/** Carousel cards are addressed by `card_index`, which must name a card of the stored template. */
function checkCarousel(stored: TemplateRecord, sent: unknown[]): void {
  const cards = storedComponent(stored, 'CAROUSEL')?.cards;
  const count = Array.isArray(cards) ? cards.length : 0;
  for (const component of sent) {
    if (!isRecord(component) || String(component.type).toLowerCase() !== 'carousel') continue;
    const given = checkArray(component, 'cards', "template['components'][carousel]['cards']");
    given.forEach((card, i) => {
      const index = isRecord(card) ? Number(card.card_index) : NaN;
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw invalid(
          `Card at index ${isRecord(card) ? String(card.card_index) : i} does not exist in template ${stored.name}.`,
        );
      }
    });
  }
}
