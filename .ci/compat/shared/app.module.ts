// The app every cell of the matrix builds: a decorated handler that replies, configured from the
// environment like a real deployment. No relative imports, so CommonJS and ESM cells share it as is.
import { Injectable, Module } from '@nestjs/common';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  type TextMessage,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';

@Injectable()
export class EchoBot {
  @OnWhatsAppMessage('text')
  echo(message: TextMessage, ctx: WhatsAppContext): string {
    return `echo to ${ctx.contact?.waId ?? 'unknown'}: ${message.text.body}`;
  }
}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: process.env.WHATSAPP_ACCESS_TOKEN ?? 'unset',
      phoneNumberId: process.env.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: process.env.WHATSAPP_APP_SECRET ?? 'unset',
      verifyToken: process.env.WHATSAPP_VERIFY_TOKEN,
      baseUrl: process.env.WHATSAPP_BASE_URL,
    }),
  ],
  providers: [EchoBot],
})
export class AppModule {}
