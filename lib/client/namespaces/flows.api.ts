import { fieldsParam, type GraphContext } from '../graph-context.js';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { isObject, text } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';
import type {
  AccessTokenCallOptions,
  PhoneNumberCallOptions,
} from '../../types/outgoing/account-management.js';
import type { GraphPage } from '../../types/outgoing/graph-responses.js';
import type { SuccessResponse } from '../../types/outgoing/outgoing-message.js';
import type {
  BusinessEncryptionKey,
  CreateFlowInput,
  CreateFlowResponse,
  FlowAssetsPage,
  FlowMetrics,
  FlowMetricsQuery,
  FlowValidationResponse,
  ListFlowsQuery,
  UpdateFlowInput,
  WhatsAppFlowInfo,
} from '../../types/outgoing/flow-management.js';
import { allPages } from './all-pages.js';
import { metaFields, phoneTarget, wabaTarget } from './call-options.js';

const LIST_FIELDS = 'id,name,status,categories,validation_errors';
const GET_FIELDS =
  'id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri,preview,whatsapp_business_account,application,health_status';
/** Flow JSON assets are small documents; Meta's own limit is far below this. */
const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

function categories(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new WhatsAppValidationError(field, 'must be a non-empty array of category names');
  }
  // Open validation: any category name, not only the ones known today.
  value.forEach((c, i) => text(c, `${field}[${i}]`, 64));
  return value as string[];
}

function flowJsonText(value: unknown, field: string): string {
  if (typeof value === 'string') return text(value, field, MAX_FLOW_JSON_BYTES);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (isObject(value)) return JSON.stringify(value);
  throw new WhatsAppValidationError(field, 'must be the Flow JSON as a string, Buffer or object');
}

/** Meta calls the endpoint over https; http is accepted for loopback hosts (the sandbox, local tests). */
function optionalUrl(value: unknown, field: string): void {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const loopback =
    url !== undefined && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
  if (url === undefined || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new WhatsAppValidationError(field, 'must be an https:// URL (http:// only on loopback)');
  }
}

/** The per-call token of a call on a flow id (`options` must be an object when given). */
function tokenOf(
  options: AccessTokenCallOptions | undefined,
  field = 'options',
): string | undefined {
  if (options !== undefined && !isObject(options as unknown)) {
    throw new WhatsAppValidationError(field, 'must be an object');
  }
  return options?.accessToken;
}

/**
 * `flows`: `/{waba-id}/flows`, `/{flow-id}` and its edges, and the business encryption key. Every
 * method takes a per-call `accessToken` (a tenant's; in its input, query or last `options`).
 */
export class FlowsApi {
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** One page of the account's flows; `listAll` walks every page. */
  async list(query: ListFlowsQuery = {}): Promise<GraphPage<WhatsAppFlowInfo>> {
    const { waba, accessToken } = wabaTarget(this.#ctx, query, 'query');
    return this.#ctx.graph.request<GraphPage<WhatsAppFlowInfo>>({
      method: 'GET',
      path: `/${waba}/flows`,
      query: {
        fields: fieldsParam(query.fields) ?? LIST_FIELDS,
        limit: query.limit,
        after: query.after,
        before: query.before,
      },
      accessToken,
    });
  }

  /** Every flow, page by page (the `after` cursor, never the `next` URL). */
  listAll(query: Omit<ListFlowsQuery, 'after' | 'before'> = {}): AsyncGenerator<WhatsAppFlowInfo> {
    return allPages((after) => this.list({ ...query, after }));
  }

  /** Status, validation errors, preview URL, health status, endpoint URI... (`fields` to choose). */
  async get(
    flowId: string,
    query: AccessTokenCallOptions & { fields?: string | string[] } = {},
  ): Promise<WhatsAppFlowInfo> {
    const id = pathId(flowId, 'flowId');
    const accessToken = tokenOf(query, 'query');
    return this.#ctx.graph.request<WhatsAppFlowInfo>({
      method: 'GET',
      path: `/${id}`,
      query: { fields: fieldsParam(query.fields) ?? GET_FIELDS },
      accessToken,
    });
  }

  /** Creates a draft (or, with `publish: true`, a published) flow; `flow_json` inline or later with `uploadJson`. */
  async create(input: CreateFlowInput): Promise<CreateFlowResponse> {
    if (!isObject(input)) throw new WhatsAppValidationError('input', 'must be an object');
    text(input.name, 'name', 200);
    const body: Record<string, unknown> = {
      name: input.name,
      categories: categories(input.categories, 'categories'),
    };
    if (input.flow_json !== undefined) body.flow_json = flowJsonText(input.flow_json, 'flow_json');
    if (input.publish !== undefined) body.publish = input.publish === true;
    if (input.clone_flow_id !== undefined)
      body.clone_flow_id = pathId(input.clone_flow_id, 'clone_flow_id');
    optionalUrl(input.endpoint_uri, 'endpoint_uri');
    if (input.endpoint_uri !== undefined) body.endpoint_uri = input.endpoint_uri;
    const { waba, accessToken } = wabaTarget(this.#ctx, input, 'input');
    return this.#ctx.graph.request<CreateFlowResponse>({
      method: 'POST',
      path: `/${waba}/flows`,
      body,
      accessToken,
    });
  }

  /** Updates metadata: name, categories, endpoint URI, application. */
  async update(flowId: string, input: UpdateFlowInput): Promise<FlowValidationResponse> {
    const id = pathId(flowId, 'flowId');
    const accessToken = tokenOf(input, 'input');
    if (!isObject(input)) throw new WhatsAppValidationError('input', 'must be an object');
    // Meta's fields only: the per-call token never goes into the body.
    const body = metaFields(input);
    if (input.name !== undefined) text(input.name, 'name', 200);
    if (input.categories !== undefined) categories(input.categories, 'categories');
    optionalUrl(input.endpoint_uri, 'endpoint_uri');
    if (input.application_id !== undefined) pathId(input.application_id, 'application_id');
    if (Object.keys(body).length === 0) {
      throw new WhatsAppValidationError('input', 'give at least one field to update');
    }
    return this.#ctx.graph.request<FlowValidationResponse>({
      method: 'POST',
      path: `/${id}`,
      body,
      accessToken,
    });
  }

  /**
   * Uploads (or replaces) the Flow JSON: `POST /{flow-id}/assets` as multipart, `file` =
   * `flow.json` (application/json), `name`, `asset_type=FLOW_JSON`. The answer lists the
   * validation errors (line, column, error type).
   */
  async uploadJson(
    flowId: string,
    flowJson: string | Buffer | object,
    options: AccessTokenCallOptions & { name?: string } = {},
  ): Promise<FlowValidationResponse> {
    const id = pathId(flowId, 'flowId');
    const accessToken = tokenOf(options);
    const json = flowJsonText(flowJson, 'flowJson');
    const name = options.name ?? 'flow.json';
    text(name, 'name', 200);
    return this.#ctx.graph.request<FlowValidationResponse>({
      method: 'POST',
      path: `/${id}/assets`,
      form: {
        file: { data: Buffer.from(json, 'utf8'), filename: name, contentType: 'application/json' },
        name,
        asset_type: 'FLOW_JSON',
      },
      accessToken,
    });
  }

  /** The flow's assets (the Flow JSON with a short-lived `download_url`). */
  async listAssets(flowId: string, options: AccessTokenCallOptions = {}): Promise<FlowAssetsPage> {
    const id = pathId(flowId, 'flowId');
    return this.#ctx.graph.request<FlowAssetsPage>({
      method: 'GET',
      path: `/${id}/assets`,
      accessToken: tokenOf(options),
    });
  }

  async publish(flowId: string, options: AccessTokenCallOptions = {}): Promise<SuccessResponse> {
    return this.#post(flowId, 'publish', options);
  }

  /** A published flow can no longer be sent; it cannot be un-deprecated. */
  async deprecate(flowId: string, options: AccessTokenCallOptions = {}): Promise<SuccessResponse> {
    return this.#post(flowId, 'deprecate', options);
  }

  /** Deletes a draft flow (published flows are deprecated instead). */
  async delete(flowId: string, options: AccessTokenCallOptions = {}): Promise<SuccessResponse> {
    const id = pathId(flowId, 'flowId');
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'DELETE',
      path: `/${id}`,
      accessToken: tokenOf(options),
    });
  }

  /** Endpoint metrics: `GET /{flow-id}?fields=metric.name(N).granularity(G).since(S).until(U)`. */
  async metrics(flowId: string, query: FlowMetricsQuery): Promise<FlowMetrics> {
    const id = pathId(flowId, 'flowId');
    if (!isObject(query as unknown))
      throw new WhatsAppValidationError('query', 'must be an object');
    const name = text(query.name, 'name', 64);
    const granularity = text(query.granularity, 'granularity', 16);
    const word = /^[A-Za-z0-9_-]+$/;
    if (!word.test(name)) throw new WhatsAppValidationError('name', 'must be a metric name');
    if (!word.test(granularity))
      throw new WhatsAppValidationError('granularity', 'must be DAY, HOUR or LIFETIME');
    let field = `metric.name(${name}).granularity(${granularity})`;
    for (const key of ['since', 'until'] as const) {
      const value = query[key];
      if (value === undefined) continue;
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        throw new WhatsAppValidationError(key, 'must be a date as YYYY-MM-DD');
      }
      field += `.${key}(${value})`;
    }
    return this.#ctx.graph.request<FlowMetrics>({
      method: 'GET',
      path: `/${id}`,
      query: { fields: field },
      accessToken: query.accessToken,
    });
  }

  /** Uploads the business public key (PEM) of a number: `POST /{phone-number-id}/whatsapp_business_encryption`. */
  async setEncryptionPublicKey(
    publicKey: string,
    options: PhoneNumberCallOptions = {},
  ): Promise<SuccessResponse> {
    if (typeof publicKey !== 'string' || !/-----BEGIN (RSA )?PUBLIC KEY-----/.test(publicKey)) {
      throw new WhatsAppValidationError(
        'publicKey',
        'must be a PEM public key (never the private key)',
      );
    }
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'POST',
      path: `/${phone}/whatsapp_business_encryption`,
      // JSON, not multipart: FormData would turn the PEM's line breaks into CRLF.
      body: { business_public_key: publicKey },
      accessToken,
    });
  }

  /** The number's public key and its signature status (`VALID` / `MISMATCH`); `undefined` when none is set. */
  async getEncryptionPublicKey(
    options: PhoneNumberCallOptions = {},
  ): Promise<BusinessEncryptionKey | undefined> {
    const { phone, accessToken } = phoneTarget(this.#ctx, options);
    const answer = await this.#ctx.graph.request<
      { data?: BusinessEncryptionKey[] } & Partial<BusinessEncryptionKey>
    >({
      method: 'GET',
      path: `/${phone}/whatsapp_business_encryption`,
      accessToken,
    });
    // Meta answers `{ data: [ { ... } ] }`; a bare object is accepted too.
    if (Array.isArray(answer.data)) return answer.data[0];
    return typeof answer.business_public_key === 'string'
      ? (answer as BusinessEncryptionKey)
      : undefined;
  }

  async #post(
    flowId: string,
    edge: 'publish' | 'deprecate',
    options: AccessTokenCallOptions,
  ): Promise<SuccessResponse> {
    const id = pathId(flowId, 'flowId');
    return this.#ctx.graph.request<SuccessResponse>({
      method: 'POST',
      path: `/${id}/${edge}`,
      accessToken: tokenOf(options),
    });
  }
}
