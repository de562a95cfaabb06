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
import type {
  AccessTokenCallOptions,
  BusinessAccountCallOptions,
  EnableTemplateAnalyticsResponse,
  TemplateAnalyticsPage,
  TemplateAnalyticsQuery,
} from '../../types/outgoing/index.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import { CreateTemplateDto } from '../dto/create-template.dto.js';
import { ListTemplatesQueryDto } from '../dto/list-templates-query.dto.js';
import { UpdateTemplateDto } from '../dto/update-template.dto.js';
import { validateDto } from '../dto/validate-dto.js';
import { assertObject, isObject, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';
import { allPages } from './all-pages.js';
import { templateAnalyticsParams } from './analytics-query.js';
import { wabaTarget } from './call-options.js';

const DEFAULT_FIELDS =
  'id,name,status,category,language,components,parameter_format,quality_score,rejected_reason';

/** `templates`: `/{waba-id}/message_templates` and `/{template-id}`. */
export class TemplatesApi {
  // Private (#) so util.inspect of a namespace shows nothing of the transport or the limiter.
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** One page; pass `paging.cursors.after` as `after` for the next one (or use `listAll`). */
  async list(query: ListTemplatesQuery = {}): Promise<GraphPage<MessageTemplate>> {
    // Management calls validate with class-validator DTOs (../dto); sends use plain checks.
    validateDto(ListTemplatesQueryDto, query, 'query');
    const { waba, accessToken } = wabaTarget(this.#ctx, query, 'query');
    return this.#ctx.graph.request<GraphPage<MessageTemplate>>({
      method: 'GET',
      path: `/${waba}/message_templates`,
      query: {
        fields: fieldsParam(query.fields) ?? DEFAULT_FIELDS,
        limit: query.limit,
        after: query.after,
        before: query.before,
        name: query.name,
        status: query.status,
        category: query.category,
        language: query.language,
      },
      accessToken,
    });
  }

  /**
   * Every template over all pages, fetched lazily page by page (following the `after` cursor, never
   * the `next` URL, so the token only goes to the configured Graph origin).
   */
  listAll(
    query: Omit<ListTemplatesQuery, 'after' | 'before'> = {},
  ): AsyncGenerator<MessageTemplate> {
    return allPages((after) => this.list({ ...query, after }));
  }

  async get(
    templateId: string,
    query: AccessTokenCallOptions & { fields?: string | string[] } = {},
  ): Promise<MessageTemplate> {
    const id = pathId(templateId, 'templateId');
    assertObject(query, 'query');
    return this.#ctx.graph.request<MessageTemplate>({
      method: 'GET',
      path: `/${id}`,
      query: { fields: fieldsParam(query.fields) },
      accessToken: query.accessToken,
    });
  }

  async create(def: CreateTemplateInput): Promise<CreateTemplateResponse> {
    validateDto(CreateTemplateDto, def, 'def');
    const { waba, accessToken } = wabaTarget(this.#ctx, def, 'def');
    // The per-call options are ours, not Meta's: the token never goes into the body.
    const { businessAccountId: _waba, accessToken: _token, ...body } = def;
    return this.#ctx.graph.request<CreateTemplateResponse>({
      method: 'POST',
      path: `/${waba}/message_templates`,
      body,
      accessToken,
    });
  }

  /** Edits components and/or category (approved templates: ≤ 1 edit / 24 h, ≤ 10 / 30 days). */
  async update(templateId: string, def: UpdateTemplateInput): Promise<SuccessResponse> {
    const id = pathId(templateId, 'templateId');
    validateDto(UpdateTemplateDto, def, 'def');
    const { accessToken, ...body } = def;
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'POST',
      path: `/${id}`,
      body,
      accessToken,
    });
  }

  /** Deletes every language of `name`, or only the template `hsmId` (with its name). */
  async delete(input: DeleteTemplateInput): Promise<SuccessResponse> {
    if (!isObject(input)) throw new WhatsAppValidationError('input', 'must be an object');
    text(input.name, 'name', 512);
    const hsmId = input.hsmId === undefined ? undefined : pathId(input.hsmId, 'hsmId');
    const { waba, accessToken } = wabaTarget(this.#ctx, input, 'input');
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'DELETE',
      path: `/${waba}/message_templates`,
      query: { hsm_id: hsmId, name: input.name },
      accessToken,
    });
  }

  /**
   * `GET /{waba-id}/template_analytics`: sent, delivered, read, button clicks and cost per template
   * and day (≤ 10 templates, 90 days back). Needs `enableAnalytics()` once on the WABA.
   * https://developers.facebook.com/docs/whatsapp/business-management-api/analytics#template-analytics
   */
  async analytics(query: TemplateAnalyticsQuery): Promise<TemplateAnalyticsPage> {
    assertObject(query, 'query');
    const { waba, accessToken } = wabaTarget(this.#ctx, query, 'query');
    return this.#ctx.graph.request<TemplateAnalyticsPage>({
      method: 'GET',
      path: `/${waba}/template_analytics`,
      query: templateAnalyticsParams(query),
      accessToken,
    });
  }

  /**
   * `POST /{waba-id}?is_enabled_for_insights=true`: confirms template analytics on the WABA (what
   * the "Confirm" button of WhatsApp Manager does). It cannot be turned off again. Answers `{ id }`.
   */
  async enableAnalytics(
    options: BusinessAccountCallOptions = {},
  ): Promise<EnableTemplateAnalyticsResponse> {
    const { waba, accessToken } = wabaTarget(this.#ctx, options);
    return this.#ctx.graph.request<EnableTemplateAnalyticsResponse>({
      method: 'POST',
      path: `/${waba}`,
      query: { is_enabled_for_insights: true },
      accessToken,
    });
  }
}
