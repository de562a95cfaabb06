import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { WhatsAppModule, type MessageStore } from 'nestjs-whatsapp-cloud';
import { API_ACCESS, type ApiAccess } from './api-access/api-access.js';
import { BotHandlers } from './bot/bot.handlers.js';
import {
  ConversationsController,
  SAMPLE_MESSAGE_STORE,
} from './conversations/conversations.controller.js';
import { DeliveryLog } from './bot/delivery-log.js';
import { StatusHandlers } from './bot/status.handlers.js';
import { GroupCallHandlers } from './bot/group-call.handlers.js';
import { OpeningHours } from './bot/opening-hours.js';
import { NotifyController } from './notify/notify.controller.js';
import { TemplatesController } from './templates/templates.controller.js';
import { BookingFlow } from './flows/booking.flow.js';
import { AdminActions } from './admin/admin-actions.js';
import { AdminApiController } from './admin/admin-api.controller.js';
import { AdminLoginController } from './admin/admin-login.controller.js';
import { AdminPageController } from './admin/admin-page.controller.js';

/**
 * The sample bot, wired the way the README teaches: options from `ConfigService` (environment
 * variables), the webhook at POST /whatsapp/webhook, handlers on plain providers. Import it with
 * `AppModule.forRoot(access, store?)`: who may call the REST and /admin routes (see ApiAccess), and the message
 * store that records every message and status (the launcher opens PGlite in sandbox mode).
 */
@Module({})
export class AppModule {
  static forRoot(access: ApiAccess, store?: MessageStore): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true }),
        WhatsAppModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            accessToken: config.getOrThrow<string>('WHATSAPP_ACCESS_TOKEN'),
            phoneNumberId: config.getOrThrow<string>('WHATSAPP_PHONE_NUMBER_ID'),
            appSecret: config.getOrThrow<string>('WHATSAPP_APP_SECRET'),
            verifyToken: config.get<string>('WHATSAPP_VERIFY_TOKEN'),
            businessAccountId: config.get<string>('WHATSAPP_BUSINESS_ACCOUNT_ID'),
            // Unset in production (Meta's graph.facebook.com); the launcher points it at the sandbox.
            baseUrl: config.get<string>('WHATSAPP_BASE_URL'),
            // History, delivery trail and the 24-hour window (docs/storage.md); none: nothing recorded.
            store,
            // The Flows data endpoint (docs/flows.md), when a key is configured.
            flows: config.get<string>('WHATSAPP_FLOWS_PRIVATE_KEY')
              ? {
                  privateKey: config.getOrThrow<string>('WHATSAPP_FLOWS_PRIVATE_KEY'),
                  passphrase: config.get<string>('WHATSAPP_FLOWS_PASSPHRASE'),
                }
              : undefined,
          }),
          webhookPath: 'whatsapp/webhook',
          flowsPath: 'whatsapp/flows',
        }),
      ],
      controllers: [
        NotifyController,
        TemplatesController,
        ConversationsController,
        // Account management (profile, QR codes, blocks): SAMPLE_ADMIN_TOKEN, see AdminTokenGuard.
        AdminLoginController,
        AdminApiController,
        AdminPageController,
      ],
      providers: [
        AdminActions,
        BotHandlers,
        StatusHandlers,
        DeliveryLog,
        GroupCallHandlers,
        OpeningHours,
        BookingFlow,
        { provide: API_ACCESS, useValue: access },
        ...(store ? [{ provide: SAMPLE_MESSAGE_STORE, useValue: store }] : []),
      ],
    };
  }
}
