import { randomBytes, randomInt } from 'node:crypto';
import {
  FakeManagementState,
  type ManagementApp,
} from '../testing/fake-graph/fake-graph-management.js';
import type { ResolvedSandboxOptions, SandboxBusiness } from './sandbox-options.js';

/**
 * The management world of one sandbox (profile, registration, PINs, QR codes, blocks, subscriptions,
 * uploads, Embedded Signup codes): the testing kit's `FakeManagementState`, whose endpoint logic the
 * sandbox reuses (graph/management-endpoint.ts), plus what only the sandbox has: a verification code
 * per number, and the numbers start registered (a sandbox number sends at once).
 */
export class SandboxManagement {
  readonly state = new FakeManagementState();
  /** The app of uploads, app subscriptions and Embedded Signup. */
  readonly app: ManagementApp;
  /** The last code `request_code` sent, per number (single use). */
  private readonly codes = new Map<string, string>();

  constructor(private readonly options: ResolvedSandboxOptions) {
    this.app = { appId: options.appId, appSecret: options.appSecret, name: 'WhatsApp Sandbox' };
    for (const business of options.businesses) {
      this.state.registered.add(business.phoneNumberId);
      // `debug_token` describes the businesses' own tokens like the ones Embedded Signup issues.
      if (business.accessToken !== undefined) {
        this.state.issuedTokens.set(business.accessToken, {
          businessAccountId: business.businessAccountId,
        });
      }
    }
  }

  isRegistered(phoneNumberId: string): boolean {
    return this.state.registered.has(phoneNumberId);
  }

  /** Whether the number `phoneNumberId` blocked the user `waId`. */
  isBlocked(phoneNumberId: string, waId: string): boolean {
    return this.state.blocked.get(phoneNumberId)?.includes(waId) ?? false;
  }

  blockedUsers(phoneNumberId: string): string[] {
    return [...(this.state.blocked.get(phoneNumberId) ?? [])];
  }

  /** A new 6-digit code for `phoneNumberId`, as the SMS or voice call of `request_code` brings it. */
  newVerificationCode(phoneNumberId: string): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.codes.set(phoneNumberId, code);
    return code;
  }

  verificationCode(phoneNumberId: string): string | undefined {
    return this.codes.get(phoneNumberId);
  }

  /** Makes the pending code of `phoneNumberId` the one `verify_code` accepts (none: nothing matches). */
  armVerification(phoneNumberId: string): void {
    this.state.verificationCode =
      this.codes.get(phoneNumberId) ?? `none:${randomBytes(8).toString('hex')}`;
  }

  /** The code was accepted: it cannot be used twice. */
  codeUsed(phoneNumberId: string): void {
    this.codes.delete(phoneNumberId);
  }

  /**
   * An Embedded Signup `code` for `business`: exchanging it (`GET /oauth/access_token`) yields the
   * business's own token, so the onboarded tenant's calls pass the sandbox's token check; a business
   * without a token gets a fresh one (its number answers to any token).
   */
  createSignupCode(business: SandboxBusiness): string {
    const code = `AQ${randomBytes(16).toString('hex')}`;
    this.state.signupCodes.set(code, {
      accessToken: business.accessToken ?? `EAAB${randomBytes(16).toString('hex')}`,
      businessAccountId: business.businessAccountId,
      phoneNumberId: business.phoneNumberId,
    });
    return code;
  }

  /** Whether `token` is a token the sandbox issued or was configured with, or the app token. */
  knowsToken(token: string): boolean {
    return (
      this.state.issuedTokens.has(token) ||
      token === `${this.app.appId}|${this.app.appSecret}` ||
      this.options.businesses.some((b) => b.accessToken === token)
    );
  }

  /** Whether any business has a token (else the sandbox answers every caller, as without tokens). */
  get tokensRequired(): boolean {
    return this.options.businesses.some((b) => b.accessToken !== undefined);
  }
}
