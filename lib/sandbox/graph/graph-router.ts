import { timingSafeEqual } from 'node:crypto';
import { GraphError, unknownObject } from '../graph-error.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import { postMessages } from './messages-endpoint.js';
import { deleteMedia, getMedia, uploadMedia } from './media-endpoint.js';
import {
  createTemplate,
  deleteTemplates,
  editTemplate,
  listTemplates,
  templateJson,
} from './templates-endpoint.js';
import { listPhoneNumbers, phoneNumberJson } from './phone-numbers-endpoint.js';
import { listBusinessAccounts } from './business-endpoint.js';
import { routeFlowsGraph } from '../flows/flows-graph.js';
import { createGroup, findGroup, listGroups, routeGroup } from './groups-endpoint.js';
import { getCallPermissions, getSettings, postCalls, postSettings } from './calls-endpoint.js';
import { routeAnalytics } from './analytics-endpoint.js';
import { routeManagement } from './management-endpoint.js';

/** Meta's answer when the bearer token is missing or wrong. */
export function authError(): GraphError {
  return new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
}

/** Whether the request carries the configured token (always true when the sandbox has none). */
export function authorized(
  ctx: SandboxContext,
  req: Pick<GraphRequest, 'headers' | 'query'>,
): boolean {
  const expected = ctx.options.accessToken;
  if (expected === undefined) return true;
  const header = req.headers.authorization;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? req.query.get('access_token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Routes `/{version}/…` Graph requests to the endpoint handlers; throws GraphError for refused ones. */
export function routeGraph(
  ctx: SandboxContext,
  req: GraphRequest,
): GraphAnswer | Promise<GraphAnswer> {
  // Management endpoints; app-level ones (uploads, app subscriptions, Embedded Signup) check their own tokens.
  const management = routeManagement(ctx, req, () => {
    if (!authorized(ctx, req)) throw authError();
  });
  if (management) return management;
  if (!authorized(ctx, req)) throw authError();
  const { method, segments } = req;
  const [id, edge, ...rest] = segments;
  const o = ctx.options;
  if (id === undefined || rest.length > 0) throw unknownObject(segments.join('/'), method);
  const flowAnswer = routeFlowsGraph(ctx, ctx.flows, req);
  if (flowAnswer !== undefined) return flowAnswer;
  const group = findGroup(ctx, id);
  if (group) return routeGroup(ctx, req, group, edge);
  const analytics = routeAnalytics(ctx, req);
  if (analytics) return analytics;

  if (edge !== undefined) {
    if (id === o.phoneNumberId) {
      const answer = routePhoneNumberEdge(ctx, req, edge);
      if (answer) return answer;
    }
    if (id === o.phoneNumberId && edge === 'messages' && method === 'POST')
      return postMessages(ctx, req);
    if (id === o.phoneNumberId && edge === 'media' && method === 'POST')
      return uploadMedia(ctx, req);
    if (id === o.businessAccountId && edge === 'phone_numbers' && method === 'GET') {
      return listPhoneNumbers(ctx, req);
    }
    if (id === o.businessId && method === 'GET') {
      if (edge === 'owned_whatsapp_business_accounts')
        return listBusinessAccounts(ctx, req, 'owned');
      if (edge === 'client_whatsapp_business_accounts')
        return listBusinessAccounts(ctx, req, 'client');
    }
    if (id === o.businessAccountId && edge === 'message_templates') {
      if (method === 'GET') return listTemplates(ctx, req);
      if (method === 'POST') return createTemplate(ctx, req);
      if (method === 'DELETE') return deleteTemplates(ctx, req);
    }
    throw unknownObject(id, method);
  }

  const fields = req.query.get('fields');
  const template = ctx.store.templates.get(id);
  if (method === 'GET') {
    if (id === o.phoneNumberId) return { status: 200, json: phoneNumberJson(ctx, fields) };
    if (template) return { status: 200, json: templateJson(template, fields) };
    if (id === o.businessAccountId) {
      return { status: 200, json: { id, name: o.verifiedName, currency: 'USD', timezone_id: '1' } };
    }
    const media = getMedia(ctx, id);
    if (media) return media;
  }
  if (method === 'POST' && template) return editTemplate(ctx, req, template);
  if (method === 'DELETE') {
    const deleted = deleteMedia(ctx, id);
    if (deleted) return deleted;
  }
  throw unknownObject(id, method);
}

/** The Groups and Calling edges of the phone number. */
function routePhoneNumberEdge(
  ctx: SandboxContext,
  req: GraphRequest,
  edge: string,
): GraphAnswer | undefined {
  const { method } = req;
  if (edge === 'groups' && method === 'POST') return createGroup(ctx, req);
  if (edge === 'groups' && method === 'GET') return listGroups(ctx, req);
  if (edge === 'calls' && method === 'POST') return postCalls(ctx, req);
  if (edge === 'call_permissions' && method === 'GET') return getCallPermissions(ctx, req);
  if (edge === 'settings' && method === 'GET') return getSettings(ctx);
  if (edge === 'settings' && method === 'POST') return postSettings(ctx, req);
  return undefined;
}
