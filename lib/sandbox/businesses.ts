import type { SandboxContext } from './sandbox-context.js';
import type { SandboxBusiness } from './sandbox-options.js';

/** The business whose number is `phoneNumberId`, if the sandbox emulates it. */
export function businessByPhone(
  ctx: SandboxContext,
  phoneNumberId: string,
): SandboxBusiness | undefined {
  return ctx.options.businesses.find((b) => b.phoneNumberId === phoneNumberId);
}

/** The businesses (numbers) of a WABA; empty when the sandbox has no such WABA. */
export function businessesOfAccount(
  ctx: SandboxContext,
  businessAccountId: string,
): SandboxBusiness[] {
  return ctx.options.businesses.filter((b) => b.businessAccountId === businessAccountId);
}

/** Every number the sandbox emulates. */
export function sandboxPhoneNumberIds(ctx: SandboxContext): Set<string> {
  return new Set(ctx.options.businesses.map((b) => b.phoneNumberId));
}

/** The top-level business (the options' own number), the default of every action. */
export function primaryBusiness(ctx: SandboxContext): SandboxBusiness {
  return ctx.options.businesses[0] as SandboxBusiness;
}

/** The same context acting for another business (same store, delivery and timers). */
export function forBusiness(ctx: SandboxContext, business: SandboxBusiness): SandboxContext {
  return business === ctx.business ? ctx : { ...ctx, business };
}

/** The context acting for the business of number `phoneNumberId` (the top-level one when undefined or unknown). */
export function forPhoneNumber(
  ctx: SandboxContext,
  phoneNumberId: string | undefined,
): SandboxContext {
  const business = phoneNumberId === undefined ? undefined : businessByPhone(ctx, phoneNumberId);
  return forBusiness(ctx, business ?? primaryBusiness(ctx));
}

/** What the chat page and `sandbox.businesses` show of a business: never its token. */
export interface SandboxBusinessInfo {
  phoneNumberId: string;
  businessAccountId: string;
  displayPhoneNumber: string;
  businessId: string;
  verifiedName: string;
}

export function publicBusinessInfo(b: SandboxBusiness): SandboxBusinessInfo {
  return {
    phoneNumberId: b.phoneNumberId,
    businessAccountId: b.businessAccountId,
    displayPhoneNumber: b.displayPhoneNumber,
    businessId: b.businessId,
    verifiedName: b.verifiedName,
  };
}
