import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { WhatsAppWebhookService } from '../../lib/webhook/1-http/whatsapp-webhook.service.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { textMessages } from './support/bodies.js';

@Injectable()
class ContextHandlers {
  readonly seen: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: { id: string }): void {
    this.seen.push(message.id);
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: 'secret' })],
  providers: [ContextHandlers],
})
class ContextAppModule {}

describe('WhatsAppModule in an application context (no HTTP adapter)', () => {
  it('boots with the webhook on, and its service still runs handlers', async () => {
    const app = await NestFactory.createApplicationContext(ContextAppModule, { logger: false });
    try {
      const service = app.get(WhatsAppWebhookService, { strict: false });
      await expect(
        Promise.resolve(service.receive(JSON.parse(textMessages([['wamid.ctx-1', 'hi']])))),
      ).resolves.toBe('ok');
      expect(app.get(ContextHandlers).seen).toEqual(['wamid.ctx-1']);
    } finally {
      await app.close();
    }
  });
});
