import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { WhatsAppService } from 'nestjs-whatsapp-cloud';
import { TenantStore } from './tenant-store.js';

/** What your Embedded Signup page posts to your server once the business finished the flow. */
export interface SignupResult {
  tenantId: string;
  code: string; // valid 30 seconds
  wabaId?: string; // from the session-logging message (else: the token's only WABA)
  phoneNumberId?: string; // idem (else: the WABA's first number)
}

@Injectable()
export class TenantOnboarding {
  constructor(
    private readonly whatsapp: WhatsAppService,
    private readonly tenants: TenantStore,
  ) {}

  async onboard(signup: SignupResult): Promise<void> {
    const tenant = await this.whatsapp.embeddedSignup.onboard({
      appId: process.env.META_APP_ID!,
      appSecret: process.env.META_APP_SECRET!,
      code: signup.code,
      businessAccountId: signup.wabaId,
      phoneNumberId: signup.phoneNumberId,
      // The number's two-step verification PIN: store it like a password.
      pin: String(randomInt(1_000_000)).padStart(6, '0'),
    });
    await this.tenants.save({
      id: signup.tenantId,
      wabaId: tenant.businessAccountId,
      phoneNumberIds: [tenant.phoneNumberId],
      accessToken: tenant.accessToken, // encrypt at rest in a real store
      greeting: 'Welcome!',
    });
    // tenant.token.expires_at: 0 = never (business integration system-user token).
  }
}
