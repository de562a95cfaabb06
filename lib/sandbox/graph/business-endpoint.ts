import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { SandboxBusiness } from '../sandbox-options.js';

/** A WABA (named after its first number) as `GET /{business-id}/owned_whatsapp_business_accounts` lists it. */
function accountJson(o: SandboxBusiness, fields?: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: o.businessAccountId,
    name: o.verifiedName,
    currency: 'USD',
    timezone_id: '1',
    message_template_namespace: `sandbox_${o.businessAccountId}`,
    account_review_status: 'APPROVED',
  };
  if (!fields) return { id: all.id, name: all.name };
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  wanted.add('id');
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
}

/**
 * `GET /{business-id}/owned_whatsapp_business_accounts` lists every WABA of the portfolio the token
 * reaches (all of them for a token shared by every business, or when none has a token);
 * `client_whatsapp_business_accounts` is empty (the sandbox shares no WABA with a client business).
 */
export function listBusinessAccounts(
  ctx: SandboxContext,
  req: GraphRequest,
  relation: 'owned' | 'client',
  reachable: ReadonlySet<SandboxBusiness>,
): GraphAnswer {
  const cursor = Buffer.from('0').toString('base64');
  const accounts = new Map<string, SandboxBusiness>();
  for (const b of ctx.options.businesses) {
    if (b.businessId !== ctx.business.businessId || !reachable.has(b)) continue;
    if (!accounts.has(b.businessAccountId)) accounts.set(b.businessAccountId, b);
  }
  const fields = req.query.get('fields');
  const data =
    relation === 'owned' ? [...accounts.values()].map((b) => accountJson(b, fields)) : [];
  return {
    status: 200,
    json: { data, paging: { cursors: { before: cursor, after: cursor } } },
  };
}
