import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  WHATSAPP_OPTIONS,
  WhatsAppConfigError,
  WhatsAppModule,
  WhatsAppService,
  type ResolvedWhatsAppOptions,
  type WhatsAppModuleOptions,
} from '../../lib/index.js';

async function boot(
  imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>,
): Promise<INestApplication> {
  const ref = await Test.createTestingModule({ imports }).compile();
  const app = ref.createNestApplication({ rawBody: true, logger: false });
  await app.init();
  return app;
}

describe('WhatsAppModule', () => {
  it('forRoot provides WhatsAppService and the resolved options', async () => {
    const app = await boot([
      WhatsAppModule.forRoot({ accessToken: 't', appSecret: 's', phoneNumberId: '123' }),
    ]);
    expect(app.get(WhatsAppService)).toBeInstanceOf(WhatsAppService);
    expect(app.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS)).toMatchObject({
      phoneNumberId: '123',
      webhookPath: 'whatsapp/webhook',
    });
    await app.close();
  });

  it('forRootAsync reads ConfigService', async () => {
    const app = await boot([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        load: [
          () => ({
            WHATSAPP_ACCESS_TOKEN: 'from-config',
            WHATSAPP_APP_SECRET: 'secret',
            WHATSAPP_PHONE_NUMBER_ID: '42',
          }),
        ],
      }),
      WhatsAppModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService): WhatsAppModuleOptions => ({
          accessToken: config.getOrThrow<string>('WHATSAPP_ACCESS_TOKEN'),
          appSecret: config.getOrThrow<string>('WHATSAPP_APP_SECRET'),
          phoneNumberId: config.get<string>('WHATSAPP_PHONE_NUMBER_ID'),
        }),
        webhookPath: 'hooks/wa',
      }),
    ]);
    expect(app.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS)).toMatchObject({
      accessToken: 'from-config',
      phoneNumberId: '42',
      webhookPath: 'hooks/wa',
    });
    await app.close();
  });

  it('forRootAsync accepts useClass', async () => {
    @Injectable()
    class WhatsAppConfig {
      create(): WhatsAppModuleOptions {
        return { accessToken: 'class-token', webhookPath: false };
      }
    }
    const app = await boot([
      WhatsAppModule.forRootAsync({ useClass: WhatsAppConfig, webhookPath: false }),
    ]);
    expect(app.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS).accessToken).toBe('class-token');
    await app.close();
  });

  it('fails at startup with a message naming a missing accessToken', async () => {
    await expect(
      boot([WhatsAppModule.forRoot({ appSecret: 's' } as WhatsAppModuleOptions)]),
    ).rejects.toThrow(/invalid option "accessToken"/);
  });

  it('fails at startup when the webhook is on without an app secret', async () => {
    const failure = boot([
      WhatsAppModule.forRootAsync({ useFactory: () => ({ accessToken: 't' }) }),
    ]);
    await expect(failure).rejects.toBeInstanceOf(WhatsAppConfigError);
    await expect(failure).rejects.toThrow(/"appSecret"/);
  });

  it('rejects a webhookPath with route syntax when the module is defined', () => {
    expect(() =>
      WhatsAppModule.forRoot({ accessToken: 't', appSecret: 's', webhookPath: 'hooks/*' }),
    ).toThrow(/"webhookPath"/);
  });

  it('isGlobal makes WhatsAppService injectable in modules that do not import it', async () => {
    @Injectable()
    class Notifier {
      constructor(readonly whatsapp: WhatsAppService) {}
    }
    @Module({ providers: [Notifier] })
    class FeatureModule {}
    const app = await boot([
      WhatsAppModule.forRoot({ accessToken: 't', webhookPath: false, isGlobal: true }),
      FeatureModule,
    ]);
    expect(app.get(Notifier).whatsapp).toBe(app.get(WhatsAppService));
    await app.close();
  });

  it('two apps in one process share no state', async () => {
    const a = await boot([
      WhatsAppModule.forRoot({ accessToken: 'token-a', appSecret: 's', phoneNumberId: '1' }),
    ]);
    const b = await boot([
      WhatsAppModule.forRoot({ accessToken: 'token-b', appSecret: 's', phoneNumberId: '2' }),
    ]);
    expect(a.get(WhatsAppService)).not.toBe(b.get(WhatsAppService));
    expect(a.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS).accessToken).toBe('token-a');
    expect(b.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS).accessToken).toBe('token-b');
    await a.close();
    // Closing one app leaves the other working.
    expect(b.get<ResolvedWhatsAppOptions>(WHATSAPP_OPTIONS).phoneNumberId).toBe('2');
    await b.close();
  });
});
