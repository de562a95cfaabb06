import { GraphError } from '../graph-error.js';
import { newNumericId } from '../ids.js';
import { parseJsonObject } from '../http-util.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { TemplateRecord } from '../sandbox-store.js';
import { checkArray, checkString, checkUrl, isRecord } from './field-checks.js';

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
const EDITABLE = ['APPROVED', 'REJECTED', 'PAUSED'];

/** Meta's public view of a template, filtered by `?fields=` when given. */
export function templateJson(t: TemplateRecord, fields?: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    name: t.name,
    parameter_format: t.parameter_format,
    components: t.components,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.id,
  };
  if (t.status === 'REJECTED') all.rejected_reason = t.rejected_reason;
  if (!fields) return all;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  wanted.add('id');
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
}

/** `GET /{waba-id}/message_templates` with Meta's filters and cursor paging. */
export function listTemplates(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const q = req.query;
  const waba = ctx.business.businessAccountId;
  let templates = [...ctx.store.templates.values()].filter((t) => t.businessAccountId === waba);
  const filters: Array<[string, (t: TemplateRecord) => string]> = [
    ['name', (t) => t.name],
    ['status', (t) => t.status],
    ['language', (t) => t.language],
    ['category', (t) => t.category],
  ];
  for (const [param, get] of filters) {
    const wanted = q.get(param);
    if (wanted)
      templates = templates.filter(
        (t) =>
          get(t).toUpperCase() === wanted.toUpperCase() ||
          (param === 'name' && get(t).includes(wanted)),
      );
  }
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 25) || 25, 1), 1000);
  const after = q.get('after');
  const start = after ? Number(Buffer.from(after, 'base64').toString()) + 1 : 0;
  const page = templates.slice(start, start + limit);
  const cursor = (i: number) => Buffer.from(String(i)).toString('base64');
  const paging: Record<string, unknown> = {
    cursors: { before: cursor(start), after: cursor(start + Math.max(page.length - 1, 0)) },
  };
  if (start + limit < templates.length) {
    const next = new URLSearchParams(q);
    next.set('after', cursor(start + page.length - 1));
    paging.next = `${ctx.mediaUrls.origin}/${req.segments.join('/')}?${next.toString()}`;
  }
  return {
    status: 200,
    json: { data: page.map((t) => templateJson(t, q.get('fields'))), paging },
  };
}

/** `POST /{waba-id}/message_templates`: stored PENDING, reviewed later. */
export function createTemplate(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  const name = checkString(body, 'name', 'name', { required: true, max: 512 }) as string;
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new GraphError(
      100,
      `Param name must contain only lowercase letters, digits and underscores, got "${name}".`,
    );
  }
  const language = checkString(body, 'language', 'language', { required: true }) as string;
  const category = String(
    checkString(body, 'category', 'category', { required: true }),
  ).toUpperCase();
  if (!CATEGORIES.includes(category)) {
    throw new GraphError(
      100,
      `Param category must be one of {${CATEGORIES.join(', ')}}, got "${category}".`,
    );
  }
  // A Template Library template (`library_template_name`) brings its own components.
  const components =
    body.library_template_name !== undefined && body.components === undefined
      ? libraryComponents(body)
      : checkComponents(body, category);
  if (ctx.store.findTemplate(name, language, ctx.business.businessAccountId)) {
    throw new GraphError(100, `Content in this language already exists: ${name} (${language}).`, {
      subcode: 2388024,
    });
  }
  const template: TemplateRecord = {
    id: newNumericId(),
    businessAccountId: ctx.business.businessAccountId,
    name,
    language,
    category,
    status: 'PENDING',
    parameter_format: body.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components,
    rejected_reason: 'NONE',
  };
  ctx.templateReview.submit(template);
  return { status: 200, json: { id: template.id, status: 'PENDING', category } };
}

/** `POST /{template-id}`: edit components or category; goes back to review. */
export function editTemplate(
  ctx: SandboxContext,
  req: GraphRequest,
  template: TemplateRecord,
): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  if (!EDITABLE.includes(template.status)) {
    throw new GraphError(100, `Templates with status ${template.status} cannot be edited.`, {
      subcode: 2388040,
    });
  }
  if (body.components === undefined && body.category === undefined) {
    throw new GraphError(100, 'The parameter components or category is required.');
  }
  if (body.components !== undefined) template.components = checkComponents(body, template.category);
  if (body.category !== undefined) {
    const category = String(body.category).toUpperCase();
    if (!CATEGORIES.includes(category))
      throw new GraphError(100, `Param category must be one of {${CATEGORIES.join(', ')}}.`);
    template.category = category;
  }
  ctx.templateReview.submit(template);
  return { status: 200, json: { success: true } };
}

/** `DELETE /{waba-id}/message_templates?name=X[&hsm_id=Y]`. */
export function deleteTemplates(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const name = req.query.get('name');
  const hsmId = req.query.get('hsm_id');
  if (!name) throw new GraphError(100, 'The parameter name is required.');
  const waba = ctx.business.businessAccountId;
  const matches = [...ctx.store.templates.values()].filter(
    (t) => t.businessAccountId === waba && t.name === name && (hsmId === null || t.id === hsmId),
  );
  if (matches.length === 0) {
    throw new GraphError(100, `Message template "${name}" was not found.`, { subcode: 2593002 });
  }
  if (matches.some((t) => t.status === 'DISABLED')) {
    throw new GraphError(100, 'Disabled templates cannot be deleted.');
  }
  for (const t of matches) ctx.store.templates.delete(t.id);
  return { status: 200, json: { success: true } };
}

/**
 * Known components are checked (BODY text, URL buttons, also inside CAROUSEL cards); any other
 * component type (LIMITED_TIME_OFFER, CAROUSEL, one Meta adds later) is stored as given.
 */
function checkComponents(
  body: Record<string, unknown>,
  category: string,
): Array<Record<string, unknown>> {
  const components = checkArray(body, 'components', 'components', { min: 1 });
  let hasBody = false;
  components.forEach((component, i) => {
    if (!isRecord(component))
      throw new GraphError(100, `Param components[${i}] must be a JSON object.`);
    const type = String(component.type ?? '').toUpperCase();
    if (type === '') throw new GraphError(100, `Param components[${i}]['type'] is required.`);
    if (type === 'BODY') {
      hasBody = true;
      // Authentication bodies are Meta's fixed text (`add_security_recommendation`), without `text`.
      checkString(component, 'text', `components[${i}]['text']`, {
        required: category !== 'AUTHENTICATION',
        max: 1024,
      });
    }
    if (type === 'BUTTONS') checkButtons(component, `components[${i}]`);
    if (type === 'CAROUSEL') checkCarouselCards(component, `components[${i}]`);
  });
  if (!hasBody) throw new GraphError(100, 'A template needs a BODY component.');
  return components as Array<Record<string, unknown>>;
}

function checkCarouselCards(component: Record<string, unknown>, path: string): void {
  checkArray(component, 'cards', `${path}['cards']`, { min: 1, max: 10 }).forEach((card, c) => {
    if (!isRecord(card) || !Array.isArray(card.components)) return;
    card.components.forEach((inner, j) => {
      if (isRecord(inner) && String(inner.type ?? '').toUpperCase() === 'BUTTONS') {
        checkButtons(inner, `${path}['cards'][${c}]['components'][${j}]`);
      }
    });
  });
}

/** What the sandbox stores for a Template Library template: a BODY naming it, and its button inputs. */
function libraryComponents(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const name = checkString(body, 'library_template_name', 'library_template_name', {
    required: true,
  }) as string;
  return [{ type: 'BODY', text: `Template Library: ${name}`, library_template_name: name }];
}

/** URL buttons need an http(s) URL (a variable may only complete its path): no `javascript:` reaches a page. */
function checkButtons(component: Record<string, unknown>, path: string): void {
  checkArray(component, 'buttons', `${path}['buttons']`, { min: 1, max: 10 }).forEach(
    (button, j) => {
      const at = `${path}['buttons'][${j}]`;
      if (!isRecord(button)) throw new GraphError(100, `Param ${at} must be a JSON object.`);
      if (String(button.type ?? '').toUpperCase() !== 'URL') return;
      const url = checkString(button, 'url', `${at}['url']`, {
        required: true,
        max: 2000,
      }) as string;
      checkUrl(url, `${at}['url']`);
      if (/^https?:\/\/[^/]*\{\{/i.test(url)) {
        throw new GraphError(100, `Param ${at}['url'] may hold a variable only after the host.`);
      }
    },
  );
}
