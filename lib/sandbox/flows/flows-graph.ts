import { GraphError, invalidParameter, unknownObject } from '../graph-error.js';
import { parseJsonObject } from '../http-util.js';
import { parseMultipart } from '../graph/multipart.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import { jsonErrorOffset } from './json-error-offset.js';
import type { SandboxFlow, SandboxFlows } from './sandbox-flows.js';

/** Flow JSON problems the sandbox can point at (Meta's validator knows many more). */
function validate(text: string): Record<string, unknown>[] {
  try {
    const json = JSON.parse(text) as unknown;
    if (
      json === null ||
      typeof json !== 'object' ||
      !Array.isArray((json as { screens?: unknown }).screens)
    ) {
      return [
        flowJsonError('MISSING_REQUIRED_PROPERTY', 'The Flow JSON needs a "screens" array.', 1, 1),
      ];
    }
    return [];
  } catch {
    const offset = jsonErrorOffset(text) ?? 0;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return [flowJsonError('INVALID_JSON', 'The Flow JSON is not valid JSON.', line, column)];
  }
}

function flowJsonError(
  error: string,
  message: string,
  line: number,
  column: number,
): Record<string, unknown> {
  return {
    error,
    error_type: 'FLOW_JSON_ERROR',
    message,
    line_start: line,
    line_end: line,
    column_start: column,
    column_end: column,
    pointers: [],
  };
}

function flowJson(flow: SandboxFlow, fields: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: flow.id,
    name: flow.name,
    categories: flow.categories,
    status: flow.status,
    validation_errors: flow.validation_errors,
    json_version: flow.flowJson
      ? (JSON.parse(flow.flowJson) as { version?: string }).version
      : undefined,
    endpoint_uri: flow.endpoint_uri,
    preview: {
      preview_url: `sandbox://flows/${flow.id}`,
      expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
    health_status: { can_send_message: flow.status === 'PUBLISHED' ? 'AVAILABLE' : 'BLOCKED' },
  };
  if (!fields) return all;
  const wanted = new Set([...fields.split(',').map((f) => f.trim()), 'id']);
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
}

async function body(req: GraphRequest): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const parts = (await parseMultipart(req.body, type)) ?? [];
    return Object.fromEntries(parts.map((p) => [p.name, p.data.toString('utf8')]));
  }
  return req.body.length === 0 ? {} : (parseJsonObject(req.body) ?? {});
}

function categoriesOf(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) {
    throw invalidParameter('categories must be a non-empty array of strings');
  }
  return list as string[];
}

function flowJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The Flows part of the Graph API: `/{waba}/flows`, `/{flow-id}` with `assets`, `publish`,
 * `deprecate`, and `/{phone-number-id}/whatsapp_business_encryption`. `undefined` when the request
 * is not one of these (the other routes handle it).
 */
export function routeFlowsGraph(
  ctx: SandboxContext,
  flows: SandboxFlows,
  req: GraphRequest,
): Promise<GraphAnswer> | undefined {
  const [id, edge] = req.segments;
  const o = ctx.business;
  if (id === undefined || req.segments.length > 2) return undefined;
  const ours =
    (id === o.businessAccountId && edge === 'flows') ||
    (id === o.phoneNumberId && edge === 'whatsapp_business_encryption') ||
    flows.flows.has(id);
  return ours ? answerFlows(ctx, flows, req, id, edge) : undefined;
}

async function answerFlows(
  ctx: SandboxContext,
  flows: SandboxFlows,
  req: GraphRequest,
  id: string,
  edge: string | undefined,
): Promise<GraphAnswer> {
  const { method } = req;
  const o = ctx.business;
  if (id === o.businessAccountId && edge === 'flows') {
    if (method === 'GET') {
      const data = [...flows.flows.values()]
        .filter((f) => f.businessAccountId === o.businessAccountId)
        .map((f) => flowJson(f, req.query.get('fields')));
      return { status: 200, json: { data, paging: { cursors: { before: 'MA', after: 'MA' } } } };
    }
    if (method === 'POST') {
      const input = await body(req);
      if (typeof input.name !== 'string' || input.name === '')
        throw invalidParameter('name is required');
      if (flows.byName(input.name, o.businessAccountId)) {
        throw new GraphError(100, 'Flow name is not unique', { title: 'Invalid parameter' });
      }
      const json = flowJsonText(input.flow_json);
      const flow = flows.create({
        name: input.name,
        categories: categoriesOf(input.categories),
        endpoint_uri: typeof input.endpoint_uri === 'string' ? input.endpoint_uri : undefined,
        businessAccountId: o.businessAccountId,
        flowJson: json,
      });
      if (json !== undefined) flow.validation_errors = validate(json);
      if (
        (input.publish === true || input.publish === 'true') &&
        flow.validation_errors.length === 0 &&
        json
      ) {
        flow.status = 'PUBLISHED';
      }
      return {
        status: 200,
        json: { id: flow.id, success: true, validation_errors: flow.validation_errors },
      };
    }
  }
  if (id === o.phoneNumberId && edge === 'whatsapp_business_encryption') {
    if (method === 'POST') {
      const key = (await body(req)).business_public_key;
      if (typeof key !== 'string' || !key.includes('PUBLIC KEY')) {
        throw invalidParameter('business_public_key must be a PEM public key');
      }
      flows.publicKeys.set(id, key);
      return { status: 200, json: { success: true } };
    }
    if (method === 'GET') {
      const key = flows.publicKeys.get(id);
      const data = key
        ? [{ business_public_key: key, business_public_key_signature_status: 'VALID' }]
        : [];
      return { status: 200, json: { data } };
    }
  }
  const flow = flows.flows.get(id);
  if (flow === undefined) throw unknownObject(id, method);
  if (edge === undefined) {
    if (method === 'GET') return { status: 200, json: flowJson(flow, req.query.get('fields')) };
    if (method === 'DELETE') {
      if (flow.status !== 'DRAFT') throw new GraphError(100, 'Only draft flows can be deleted');
      flows.flows.delete(id);
      return { status: 200, json: { success: true } };
    }
    if (method === 'POST') {
      const input = await body(req);
      if (typeof input.name === 'string') flow.name = input.name;
      if (input.categories !== undefined) flow.categories = categoriesOf(input.categories);
      if (typeof input.endpoint_uri === 'string') flow.endpoint_uri = input.endpoint_uri;
      return { status: 200, json: { success: true, validation_errors: flow.validation_errors } };
    }
  }
  if (edge === 'assets') {
    if (method === 'POST') {
      const parts = await parseMultipart(req.body, req.headers['content-type']);
      const file = parts?.find((p) => p.name === 'file');
      if (!file) throw invalidParameter('file is required (multipart, the Flow JSON)');
      if (flow.status !== 'DRAFT') throw new GraphError(100, 'Only draft flows can be updated');
      flow.flowJson = file.data.toString('utf8');
      flow.validation_errors = validate(flow.flowJson);
      flow.updatedAt = new Date().toISOString();
      return { status: 200, json: { success: true, validation_errors: flow.validation_errors } };
    }
    if (method === 'GET') {
      const data = flow.flowJson
        ? [
            {
              name: 'flow.json',
              asset_type: 'FLOW_JSON',
              download_url: `/sandbox/api/flows/${flow.id}`,
            },
          ]
        : [];
      return { status: 200, json: { data } };
    }
  }
  if (method === 'POST' && (edge === 'publish' || edge === 'deprecate')) {
    if (edge === 'publish') {
      if (!flow.flowJson || flow.validation_errors.length > 0) {
        throw new GraphError(
          139002,
          'Publishing Flow failed: the Flow JSON is missing or has errors',
          { title: 'Publishing failed' },
        );
      }
      flow.status = 'PUBLISHED';
    } else {
      flow.status = 'DEPRECATED';
    }
    return { status: 200, json: { success: true } };
  }
  throw unknownObject(id, method);
}
