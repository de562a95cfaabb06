import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  WhatsAppModule,
  type StatusUpdate,
  type TextMessage,
} from 'nestjs-whatsapp-cloud';

@Injectable()
export class OrderBot {
  readonly undelivered: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: TextMessage): string {
    const order = /^status (\d+)$/i.exec(message.text.body.trim())?.[1];
    // The returned text is sent back to the sender.
    return order ? `Order ${order} is on its way.` : 'Send "status <order number>".';
  }

  @OnWhatsAppStatus('failed')
  onFailed(status: StatusUpdate): void {
    this.undelivered.push(status.id);
  }
}

@Module({
  imports: [
    ConfigModule.forRoot(),
    WhatsAppModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accessToken: config.getOrThrow('WHATSAPP_ACCESS_TOKEN'),
        phoneNumberId: config.getOrThrow('WHATSAPP_PHONE_NUMBER_ID'),
        appSecret: config.getOrThrow('WHATSAPP_APP_SECRET'),
      }),
    }),
  ],
  providers: [OrderBot],
})
export class BotModule {}
