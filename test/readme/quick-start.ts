import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  type TextMessage,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';

@Injectable()
class EchoBot {
  @OnWhatsAppMessage('text')
  echo(message: TextMessage, ctx: WhatsAppContext): string {
    return `${ctx.contact?.name ?? 'You'} said: ${message.text.body}`; // sent back as a reply
  }
}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: process.env.WHATSAPP_ACCESS_TOKEN!,
      phoneNumberId: process.env.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: process.env.WHATSAPP_APP_SECRET,
      verifyToken: process.env.WHATSAPP_VERIFY_TOKEN,
    }),
  ],
  providers: [EchoBot],
})
class AppModule {}

const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true }); // rawBody: the signature covers the raw bytes
app.useBodyParser('json', { limit: '3mb' }); // Meta sends up to 1000 updates / 3 MB in one POST
await app.listen(3000); // webhook at POST /whatsapp/webhook
