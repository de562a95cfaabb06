import { businessesOfAccount } from '../businesses.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import { managementFields } from './management-endpoint.js';
import type { SandboxBusiness } from '../sandbox-options.js';

/** A business number (`ctx.business`'s unless given) as Meta describes it. */
export function phoneNumberJson(
  ctx: SandboxContext,
  fields?: string | null,
  business: SandboxBusiness = ctx.business,
): Record<string, unknown> {
  const o = business;
  const all: Record<string, unknown> = {
    verified_name: o.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: formatDisplay(o.displayPhoneNumber),
    quality_rating: 'GREEN',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    messaging_limit_tier: 'TIER_1K',
    status: 'CONNECTED',
    name_status: 'APPROVED',
    id: o.phoneNumberId,
    ...managementFields(ctx, o.phoneNumberId),
  };
  if (!fields) {
    const {
      messaging_limit_tier: _tier,
      status: _status,
      name_status: _name,
      new_name_status: _newName,
      new_display_name: _newDisplayName,
      conversational_automation: _automation,
      ...defaults
    } = all;
    return defaults;
  }
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  wanted.add('id');
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
}

/** `GET /{waba-id}/phone_numbers`: every number of the WABA. */
export function listPhoneNumbers(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const cursor = Buffer.from('0').toString('base64');
  const numbers = businessesOfAccount(ctx, ctx.business.businessAccountId);
  return {
    status: 200,
    json: {
      data: numbers.map((b) => phoneNumberJson(ctx, req.query.get('fields'), b)),
      paging: { cursors: { before: cursor, after: cursor } },
    },
  };
}

/** `+1 555-777-1234` for North American numbers, `+<digits>` otherwise. */
function formatDisplay(digits: string): string {
  const na = /^1(\d{3})(\d{3})(\d{4})$/.exec(digits);
  return na ? `+1 ${na[1]}-${na[2]}-${na[3]}` : `+${digits}`;
}
