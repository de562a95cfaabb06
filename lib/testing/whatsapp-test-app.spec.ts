import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { OnWhatsAppMessage } from '../handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppContext } from '../handlers/whatsapp-context.js';
import type { TextMessage } from '../types/webhook/incoming-message.js';
import { WhatsAppModule } from '../whatsapp.module.js';
import { FAKE_IDS } from './fake-graph-api.js';
import { WhatsAppTestApp } from './whatsapp-test-app.js';

let seq = 0;
function textUpdate(body: string): object {
  seq += 1;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: FAKE_IDS.businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550001111',
                phone_number_id: FAKE_IDS.phoneNumberId,
              },
              contacts: [{ profile: { name: 'Ana' }, wa_id: '34600000001' }],
              messages: [
                {
                  from: '34600000001',
                  id: `wamid.spec-${seq}`,
                  timestamp: '1767611500',
                  type: 'text',
                  text: { body },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

@Injectable()
class Echo {
  readonly seen: string[] = [];

  @OnWhatsAppMessage('text')
  async echo(message: TextMessage, ctx: WhatsAppContext): Promise<void> {
    if (message.text.body === 'boom') throw new Error('handler failed on purpose');
    await ctx.reply(`echo: ${message.text.body}`);
    this.seen.push(message.text.body);
  }
}

/** Reads its options from the environment with getOrThrow, like the README's forRootAsync example. */
@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    WhatsAppModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accessToken: config.getOrThrow<string>('SPEC_UNSET_WHATSAPP_TOKEN'),
        appSecret: config.getOrThrow<string>('SPEC_UNSET_WHATSAPP_SECRET'),
      }),
    }),
  ],
  providers: [Echo],
})
class EnvConfiguredModule {}

const handlerErrors: unknown[] = [];

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: 'production-token',
      appSecret: 'production-secret',
      processing: 'background',
      onHandlerError: (error) => {
        handlerErrors.push(error);
      },
    }),
  ],
  providers: [Echo],
})
class BackgroundModule {}

describe('WhatsAppTestApp', () => {
  it('replaces the app options by default: a forRootAsync factory that needs env vars is not run', async () => {
    const wa = await WhatsAppTestApp.create({ imports: [EnvConfiguredModule] });
    try {
      const answer = await wa.receive(textUpdate('hello'));
      expect(answer.status).toBe(200);
      // The reply reached the fake with the test token (the fake refuses any other).
      const sent = wa.graph.expectSent({ to: '34600000001', text: { body: 'echo: hello' } });
      expect(sent.type).toBe('text');
      expect(wa.graph.requests[0]?.headers.authorization).toBe(
        `Bearer ${WhatsAppTestApp.secrets.accessToken}`,
      );
      expect(wa.graph.requests[0]?.path).toBe(`/v26.0/${FAKE_IDS.phoneNumberId}/messages`);
    } finally {
      await wa.close();
    }
  });

  it('answers like the real webhook: 401 without or with a wrong signature, 500 when a handler throws', async () => {
    const wa = await WhatsAppTestApp.create({ imports: [EnvConfiguredModule], logger: false });
    try {
      expect((await wa.receive(textUpdate('a'), { signature: false })).status).toBe(401);
      expect((await wa.receive(textUpdate('b'), { appSecret: 'not-the-secret' })).status).toBe(401);
      expect((await wa.receive(textUpdate('c'), { signature: 'sha256=00' })).status).toBe(401);
      expect(wa.get(Echo).seen).toEqual([]);
      expect((await wa.receive(textUpdate('boom'))).status).toBe(500);
      // Exact bytes are signed and sent as given.
      const raw = JSON.stringify(textUpdate('caf\u00e9')).replace('café', 'caf\\u00e9');
      expect((await wa.receive(raw)).status).toBe(200);
      expect(wa.get(Echo).seen).toEqual(['café']);
    } finally {
      await wa.close();
    }
  });

  it('runs the GET verification handshake with the test verify token', async () => {
    const wa = await WhatsAppTestApp.create({ imports: [EnvConfiguredModule] });
    try {
      const ok = await wa.verify({ challenge: '1158201444' });
      expect([ok.status, ok.body]).toEqual([200, '1158201444']);
      expect((await wa.verify({ token: 'wrong' })).status).toBe(403);
    } finally {
      await wa.close();
    }
  });

  it("merge mode keeps the app's own options (background processing, onHandlerError) with test secrets", async () => {
    const wa = await WhatsAppTestApp.create({
      imports: [BackgroundModule],
      appOptions: 'merge',
      logger: false,
    });
    try {
      // The reply is held 100 ms by the fake: the 200 comes first (background mode), and
      // receive() still resolves only once the handler finished.
      wa.graph.delayNext(100);
      expect((await wa.receive(textUpdate('slow'))).status).toBe(200);
      expect(wa.get(Echo).seen).toEqual(['slow']);
      wa.graph.expectSent({ text: { body: 'echo: slow' } });

      expect((await wa.receive(textUpdate('boom'))).status).toBe(200);
      expect(handlerErrors).toHaveLength(1);
    } finally {
      await wa.close();
    }
  });

  it('lays `options` over the test options', async () => {
    const wa = await WhatsAppTestApp.create({
      imports: [EnvConfiguredModule],
      options: { processing: 'background' },
    });
    try {
      wa.graph.delayNext(100);
      expect((await wa.receive(textUpdate('later'))).status).toBe(200);
      expect(wa.get(Echo).seen).toEqual(['later']);
    } finally {
      await wa.close();
    }
  });

  it('says clearly when the module under test has no WhatsAppModule', async () => {
    @Module({})
    class Empty {}
    await expect(WhatsAppTestApp.create({ imports: [Empty] })).rejects.toThrow(
      /no WhatsAppModule in the app/,
    );
  });

  it('can be closed twice', async () => {
    const wa = await WhatsAppTestApp.create({ imports: [EnvConfiguredModule] });
    await wa.close();
    await expect(wa.close()).resolves.toBeUndefined();
  });
});
