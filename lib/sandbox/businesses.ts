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
