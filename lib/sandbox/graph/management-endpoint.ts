import { page } from '../../testing/fake-graph/fake-graph-routes.js';
import { routeManagementRequest } from '../../testing/fake-graph/fake-graph-management.js';
import type { FakeAnswer } from '../../testing/fake-graph/fake-graph-answer.js';
import type { RecordedRequest } from '../../testing/fake-graph/recorded-request.js';
import { businessesOfAccount, sandboxPhoneNumberIds } from '../businesses.js';
import { GraphError, invalidParameter } from '../graph-error.js';
import { parseJsonObject } from '../http-util.js';
import { newTraceId } from '../ids.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import { getSettings, postSettings } from './calls-endpoint.js';
import { verifyOverrideUrl } from '../webhook-overrides.js';

/** Edges of `/{phone-number-id}/…` answered here (the testing kit's logic, the sandbox's state). */
const PHONE_EDGES = new Set([
  'whatsapp_business_profile',
  'register',
  'deregister',
  'request_code',
  'verify_code',
  'settings',
  'conversational_automation',
  'whatsapp_commerce_settings',
  'message_qrdls',
  'block_users',
]);

/**
 * The management endpoints (profile, registration and verification, two-step PIN, display name,
 * settings, webhook override, conversational automation, commerce settings, QR codes, blocked users,
 * WABA and app subscriptions, the Resumable Upload API, Embedded Signup's `oauth/access_token` and
 * `debug_token`), or `undefined` for any other request. Answers come from the testing kit's
 * `routeManagementRequest` (Meta's bodies and errors) over this sandbox's `SandboxManagement`.
 * `authorize` is the router's token check for a number or a WABA; app-level paths check their own
 * tokens (the app token `app-id|app-secret`, `Authorization: OAuth` for upload sessions).
 */
export function routeManagement(
  ctx: SandboxContext,
  req: GraphRequest,
  authorize: () => void,
): GraphAnswer | Promise<GraphAnswer> | undefined {
  const [id = '', edge, sub] = req.segments;
  const { method, segments } = req;
  const app = ctx.management.app;
  // The code exchange proves the app by client_id + client_secret (Meta's code 1 otherwise).
  if (id === 'oauth' && edge === 'access_token' && segments.length === 2) {
    return answerFromKit(ctx, req);
  }
  const appLevel =
    (id === 'debug_token' && segments.length === 1) ||
    (id.startsWith('upload:') && segments.length === 1) ||
    (id === app.appId && (edge === 'uploads' || edge === 'subscriptions') && segments.length === 2);
  if (appLevel) {
    checkAppToken(ctx, req, id === app.appId && edge === 'subscriptions');
    return answerFromKit(ctx, req);
  }
  if (edge === 'subscribed_apps' && segments.length === 2) {
    if (businessesOfAccount(ctx, id).length === 0) return undefined;
    authorize();
    const b = method === 'POST' ? jsonBody(req) : undefined;
    if (b?.override_callback_uri !== undefined) {
      return verifiedThen(
        ctx,
        req,
        b.override_callback_uri,
        b.verify_token,
        'override_callback_uri',
      );
    }
    return answerFromKit(ctx, req);
  }
  if (!sandboxPhoneNumberIds(ctx).has(id)) return undefined;
  const numberPost = edge === undefined && method === 'POST';
  const qrCode = edge === 'message_qrdls' && sub !== undefined && segments.length === 3;
  if (!numberPost && !qrCode && !(edge !== undefined && PHONE_EDGES.has(edge) && !sub)) {
    return undefined;
  }
  authorize();
  if (numberPost) {
    const override = jsonBody(req)?.webhook_configuration;
    const uri = isRecord(override) ? override.override_callback_uri : undefined;
    // An empty URI removes the override: nothing to verify.
    if (isRecord(override) && uri !== '' && uri !== undefined) {
      const param = 'webhook_configuration[override_callback_uri]';
      return verifiedThen(ctx, req, uri, override.verify_token, param);
    }
  }
  if (edge === 'settings') return settings(ctx, req, id);
  if (edge === 'block_users' && method === 'POST') markUnblockable(ctx, req);
  if (edge === 'verify_code') ctx.management.armVerification(id);
  const answer = answerFromKit(ctx, req);
  if (answer === undefined || answer.status !== 200) return answer;
  if (edge === 'request_code') {
    const code = ctx.management.newVerificationCode(id);
    ctx.options.logger(
      `WhatsAppSandbox: verification code for number ${id} (${String(req.query.get('code_method'))}): ${code}`,
    );
  }
  if (edge === 'verify_code') ctx.management.codeUsed(id);
  return answer;
}

/**
 * A new webhook override is stored only once its URL answered Meta's verification GET
 * (webhook-overrides.ts); a refused one leaves the previous override in place.
 */
async function verifiedThen(
  ctx: SandboxContext,
  req: GraphRequest,
  uri: unknown,
  verifyToken: unknown,
  param: string,
): Promise<GraphAnswer> {
  await verifyOverrideUrl(ctx.options, uri, verifyToken, param);
  const answer = answerFromKit(ctx, req);
  if (answer === undefined) throw invalidParameter('Unsupported request.');
  return answer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request's JSON object body, if it has one. */
function jsonBody(req: GraphRequest): Record<string, unknown> | undefined {
  return toRecorded(req).json as Record<string, unknown> | undefined;
}

/** The testing kit's answer to the request, as a sandbox answer (with a fresh `fbtrace_id`). */
function answerFromKit(ctx: SandboxContext, req: GraphRequest): GraphAnswer | undefined {
  const m = ctx.management;
  const recorded = toRecorded(req);
  const answer: FakeAnswer | undefined = routeManagementRequest(
    recorded,
    m.state,
    sandboxPhoneNumberIds(ctx),
    (items, r) => page(items, r, ctx.mediaUrls.origin),
    m.app,
  );
  if (answer === undefined) return undefined;
  const json = answer.json as { error?: Record<string, unknown> } | undefined;
  if (json?.error) json.error.fbtrace_id = newTraceId();
  return { status: answer.status, json: answer.json ?? {} };
}

/** The sandbox's request in the shape the testing kit's routes read. */
function toRecorded(req: GraphRequest): RecordedRequest {
  const graphPath = `/${req.segments.join('/')}`;
  const query = Object.fromEntries(req.query);
  delete query.access_token;
  const json = String(req.headers['content-type'] ?? '').startsWith('application/json')
    ? parseJsonObject(req.body)
    : undefined;
  return {
    method: req.method,
    path: graphPath,
    graphPath,
    query,
    headers: req.headers,
    rawBody: req.body,
    json,
  };
}

/**
 * App-level calls: the app token (`app-id|app-secret`) always passes; `appTokenOnly` (app webhook
 * subscriptions, which Meta takes with the app token only) refuses the others; else any token the
 * sandbox knows (a business's, or one Embedded Signup issued) passes. A sandbox without tokens
 * answers everyone, as its Graph router does.
 */
function checkAppToken(ctx: SandboxContext, req: GraphRequest, appTokenOnly: boolean): void {
  const m = ctx.management;
  if (!m.tokensRequired) return;
  const header = req.headers.authorization ?? '';
  const given = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header)?.[1] ?? req.query.get('access_token');
  if (given === undefined || given === null) throw tokenError();
  const appToken = `${m.app.appId}|${m.app.appSecret}`;
  if (given === appToken) return;
  if (appTokenOnly) {
    // Graph's answer to a user token on an app-token edge.
    throw new GraphError(
      15,
      'POST /{app-id}/subscriptions takes the app access token (app-id|app-secret).',
      {
        messagingProduct: false,
        title: 'This method must be called with an app access_token.',
      },
    );
  }
  if (!m.knowsToken(given)) throw tokenError();
}

function tokenError(): GraphError {
  return new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
}

/**
 * `GET/POST /{phone-number-id}/settings`: `calling` stays with the Calling endpoint (its checks and
 * the chat page's call button read it); other settings (`storage_configuration`, …) are kept here.
 */
function settings(ctx: SandboxContext, req: GraphRequest, phone: string): GraphAnswer {
  const stored = ctx.management.state.settings;
  if (req.method === 'GET') {
    const calling = (getSettings(ctx) as { json: { calling: unknown } }).json.calling;
    return { status: 200, json: { ...(stored.get(phone) ?? {}), calling } };
  }
  if (req.method !== 'POST') throw invalidParameter(`Unsupported ${req.method} on settings.`);
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  const { calling, ...rest } = body;
  if (calling === undefined && Object.keys(rest).length === 0) {
    throw invalidParameter('Give calling and/or storage_configuration.');
  }
  if (calling !== undefined) postSettings(ctx, req);
  if (Object.keys(rest).length > 0) stored.set(phone, { ...(stored.get(phone) ?? {}), ...rest });
  return { status: 200, json: { success: true } };
}

/**
 * Meta blocks only users who messaged the business in the last 24 hours: the others come back in
 * `failed_users` (Block Users API, "Limitations"). The sandbox knows who wrote when.
 */
function markUnblockable(ctx: SandboxContext, req: GraphRequest): void {
  const body = parseJsonObject(req.body);
  const unblockable = ctx.management.state.unblockableUsers;
  unblockable.clear();
  const items = Array.isArray(body?.block_users) ? (body.block_users as unknown[]) : [];
  for (const item of items) {
    const input =
      typeof item === 'object' && item !== null
        ? ((item as Record<string, unknown>).user ?? (item as Record<string, unknown>).user_id)
        : undefined;
    if (typeof input !== 'string') continue;
    const user = ctx.store.users.get(input.replace(/\D/g, ''));
    // The window with the number asked to block (`/{phone-number-id}/block_users`).
    if (!user || !ctx.store.windowOpen(user, req.segments[0] ?? '')) unblockable.add(input);
  }
}

/**
 * Fields of `GET /{phone-number-id}` that follow the management state: a deregistered number is
 * `status: 'PENDING'` off `CLOUD_API` until it registers again; a requested display name is
 * `new_name_status: 'PENDING_REVIEW'` with `new_display_name`; the conversational automation as
 * last set.
 */
export function managementFields(ctx: SandboxContext, phone: string): Record<string, unknown> {
  const { state } = ctx.management;
  const newName = state.displayNames.get(phone);
  const fields: Record<string, unknown> = {
    new_name_status: newName === undefined ? 'NONE' : 'PENDING_REVIEW',
  };
  if (newName !== undefined) fields.new_display_name = newName;
  const automation = state.automation.get(phone);
  if (automation) fields.conversational_automation = automation;
  if (!state.registered.has(phone)) {
    // Unconfirmed: Meta documents both values, not what a deregistered number reports (docs/sandbox.md).
    fields.status = 'PENDING';
    fields.platform_type = 'NOT_APPLICABLE';
  }
  return fields;
}
