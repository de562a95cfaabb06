import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';

/** The emulated WABA as `GET /{business-id}/owned_whatsapp_business_accounts` lists it. */
function accountJson(ctx: SandboxContext, fields?: string | null): Record<string, unknown> {
  const o = ctx.options;
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
 * `GET /{business-id}/owned_whatsapp_business_accounts` lists the sandbox's one WABA;
 * `client_whatsapp_business_accounts` is empty (the sandbox shares no WABA with a client business).
 */
export function listBusinessAccounts(
  ctx: SandboxContext,
  req: GraphRequest,
  relation: 'owned' | 'client',
): GraphAnswer {
  const cursor = Buffer.from('0').toString('base64');
  const data = relation === 'owned' ? [accountJson(ctx, req.query.get('fields'))] : [];
  return {
    status: 200,
    json: { data, paging: { cursors: { before: cursor, after: cursor } } },
  };
}
