import { unknownObject } from '../graph-error.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { SandboxBusiness } from '../sandbox-options.js';
import { businessByPhone, businessesOfAccount, forBusiness } from '../businesses.js';
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
import { authError, checkReach, reachableBusinesses } from './authorization.js';

export { authError, authorized } from './authorization.js';

/** Routes `/{version}/…` Graph requests to the endpoint handlers; throws GraphError for refused ones. */
export function routeGraph(
  root: SandboxContext,
  req: GraphRequest,
): GraphAnswer | Promise<GraphAnswer> {
  // Management endpoints; app-level ones (uploads, app subscriptions, Embedded Signup) check their own tokens.
  const management = routeManagement(root, req, () => void scopedContext(root, req));
  if (management) return management;
  const ctx = scopedContext(root, req);
  const { method, segments } = req;
  const [id, edge, ...rest] = segments;
  if (id === undefined || rest.length > 0) throw unknownObject(segments.join('/'), method);
  const o = ctx.business;
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
        return listBusinessAccounts(ctx, req, 'owned', reachableBusinesses(ctx, req));
      if (edge === 'client_whatsapp_business_accounts')
        return listBusinessAccounts(ctx, req, 'client', reachableBusinesses(ctx, req));
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

/**
 * Checks the token (190 when it is nobody's) and its reach on the addressed id (100/33 on another
 * business's object); answers the context acting for the business the id belongs to (number, WABA,
 * portfolio, group, template), or the top-level one for other ids.
 */
function scopedContext(root: SandboxContext, req: GraphRequest): SandboxContext {
  const reachable = reachableBusinesses(root, req);
  if (reachable.size === 0) throw authError();
  const id = req.segments[0];
  if (id === undefined) return root;
  const owners = ownersOf(root, id);
  if (owners.length > 0) checkReach(reachable, owners, id, req.method);
  return forBusiness(root, owners.find((b) => reachable.has(b)) ?? root.business);
}

/** The businesses owning `id` (its number, WABA, portfolio, group, template, media or flow); empty for other ids. */
function ownersOf(ctx: SandboxContext, id: string): SandboxBusiness[] {
  const number = businessByPhone(ctx, id);
  if (number) return [number];
  const waba = businessesOfAccount(ctx, id);
  if (waba.length > 0) return waba;
  const portfolio = ctx.options.businesses.filter((b) => b.businessId === id);
  if (portfolio.length > 0) return portfolio;
  const groupNumber = findGroup(ctx, id)?.phoneNumberId;
  const groupOwner = groupNumber === undefined ? undefined : businessByPhone(ctx, groupNumber);
  if (groupOwner) return [groupOwner];
  const template = ctx.store.templates.get(id);
  if (template) return businessesOfAccount(ctx, template.businessAccountId);
  const mediaNumber = ctx.store.media.get(id)?.phoneNumberId;
  const mediaOwner = mediaNumber === undefined ? undefined : businessByPhone(ctx, mediaNumber);
  if (mediaOwner) return [mediaOwner];
  const flowWaba = ctx.flows.flows.get(id)?.businessAccountId;
  return flowWaba === undefined ? [] : businessesOfAccount(ctx, flowWaba);
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
