import { Module } from '@nestjs/common';
import { WhatsAppModule } from 'nestjs-whatsapp-cloud';
import { TenantBot } from './tenant-bot.js';
import { TenantNotifier } from './tenant-notifier.service.js';
import { TenantOnboarding } from './tenant-onboarding.service.js';
import { TenantStore, TenantStoreModule } from './tenant-store.js';

@Module({
  imports: [
    TenantStoreModule,
    WhatsAppModule.forRootAsync({
      imports: [TenantStoreModule],
      inject: [TenantStore],
      useFactory: (tenants: TenantStore) => ({
        accessToken: process.env.WHATSAPP_TOKEN!, // the module's own (management, your default number)
        appSecret: process.env.META_APP_SECRET!, // one app: one secret for every tenant's webhooks
        verifyToken: process.env.WHATSAPP_VERIFY_TOKEN!,
        // The WABA of the update (its number is `phoneNumberId`): one business token per WABA.
        resolveCredentials: async ({ businessAccountId }) => ({
          accessToken: (await tenants.byWaba(businessAccountId!)).accessToken,
        }),
        credentialsTtlMs: 5 * 60_000, // default
      }),
    }),
  ],
  providers: [TenantBot, TenantNotifier, TenantOnboarding],
})
export class TenantsAppModule {}
