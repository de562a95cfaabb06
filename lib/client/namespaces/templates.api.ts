import type {
  CreateTemplateInput,
  CreateTemplateResponse,
  DeleteTemplateInput,
  GraphPage,
  ListTemplatesQuery,
  MessageTemplate,
  UpdateTemplateInput,
} from '../../types/outgoing/graph-responses.js';
import type { SuccessResponse } from '../../types/outgoing/outgoing-message.js';
import { WhatsAppValidationError } from '../errors/whatsapp-validation.error.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { array, assertObject, fail, isObject, oneOf, text } from '../validation/checks.js';
import { pathId, requiredId } from '../validation/path-id.js';

const DEFAULT_FIELDS =
  'id,name,status,category,language,components,parameter_format,quality_score,rejected_reason';
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    fail('limit', 'must be an integer between 1 and 1000');
  }
  return limit;
}

/** `templates`: `/{waba-id}/message_templates` and `/{template-id}`. */
export class TemplatesApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** One page; pass `paging.cursors.after` as `after` for the next one (or use `listAll`). */
  async list(query: ListTemplatesQuery = {}): Promise<GraphPage<MessageTemplate>> {
    assertObject(query, 'query');
    const waba = requiredId(
      query.businessAccountId,
      this.#ctx.businessAccountId,
      'businessAccountId',
      'businessAccountId',
    );
    return this.#ctx.transport.json<GraphPage<MessageTemplate>>({
      method: 'GET',
      path: `${this.#ctx.versionPrefix}/${waba}/message_templates`,
      query: {
        fields: fieldsParam(query.fields) ?? DEFAULT_FIELDS,
        limit: checkLimit(query.limit),
        after: query.after,
        before: query.before,
        name: query.name,
        status: query.status,
        category: query.category,
        language: query.language,
      },
    });
  }

  /**
   * Every template over all pages, fetched lazily page by page (following the `after` cursor, never
   * the `next` URL, so the token only goes to the configured Graph origin).
   */
  async *listAll(
    query: Omit<ListTemplatesQuery, 'after' | 'before'> = {},
  ): AsyncGenerator<MessageTemplate> {
    let after: string | undefined;
    for (;;) {
      const page = await this.list({ ...query, after });
      yield* page.data;
      const next = page.paging?.cursors?.after;
      if (!page.paging?.next || !next || next === after || page.data.length === 0) return;
      after = next;
    }
  }

  async get(
    templateId: string,
    query: { fields?: string | string[] } = {},
  ): Promise<MessageTemplate> {
    const id = pathId(templateId, 'templateId');
    return this.#ctx.transport.json<MessageTemplate>({
      method: 'GET',
      path: `${this.#ctx.versionPrefix}/${id}`,
      query: { fields: fieldsParam(query.fields) },
    });
  }

  async create(def: CreateTemplateInput): Promise<CreateTemplateResponse> {
    assertObject(def, 'def');
    text(def.name, 'name', 512);
    if (!/^[a-z0-9_]+$/.test(def.name)) fail('name', 'must be lower-case letters, digits and "_"');
    text(def.language, 'language', 15);
    oneOf(def.category, 'category', CATEGORIES);
    array(def.components, 'components', 1, 10).forEach((c, i) => {
      if (!isObject(c)) fail(`components[${i}]`, 'must be an object');
      text(c.type, `components[${i}].type`, 32);
    });
    const waba = requiredId(
      def.businessAccountId,
      this.#ctx.businessAccountId,
      'businessAccountId',
      'businessAccountId',
    );
    const { businessAccountId: _waba, ...body } = def;
    return this.#ctx.transport.json<CreateTemplateResponse>({
      method: 'POST',
      path: `${this.#ctx.versionPrefix}/${waba}/message_templates`,
      json: body,
    });
  }

  /** Edits components and/or category (approved templates: ≤ 1 edit / 24 h, ≤ 10 / 30 days). */
  async update(templateId: string, def: UpdateTemplateInput): Promise<SuccessResponse> {
    const id = pathId(templateId, 'templateId');
    assertObject(def, 'def');
    if (
      def.components === undefined &&
      def.category === undefined &&
      def.message_send_ttl_seconds === undefined
    ) {
      fail('def', 'give "components", "category" or "message_send_ttl_seconds"');
    }
    if (def.components !== undefined) array(def.components, 'components', 1, 10);
    if (def.category !== undefined) oneOf(def.category, 'category', CATEGORIES);
    return this.#ctx.transport.json<SuccessResponse>({
      method: 'POST',
      path: `${this.#ctx.versionPrefix}/${id}`,
      json: def,
    });
  }

  /** Deletes every language of `name`, or only the template `hsmId` (with its name). */
  async delete(input: DeleteTemplateInput): Promise<SuccessResponse> {
    if (!isObject(input)) throw new WhatsAppValidationError('input', 'must be an object');
    text(input.name, 'name', 512);
    const hsmId = input.hsmId === undefined ? undefined : pathId(input.hsmId, 'hsmId');
    const waba = requiredId(
      input.businessAccountId,
      this.#ctx.businessAccountId,
      'businessAccountId',
      'businessAccountId',
    );
    return this.#ctx.transport.json<SuccessResponse>({
      method: 'DELETE',
      path: `${this.#ctx.versionPrefix}/${waba}/message_templates`,
      query: { hsm_id: hsmId, name: input.name },
    });
  }
}
