import { Injectable, Module } from '@nestjs/common';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  type TextMessage,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';
import { PostgresMessageStore } from 'nestjs-whatsapp-cloud/postgres';
import pg from 'pg'; // or PGlite: new PGlite('./data') from '@electric-sql/pglite', no server

const store = new PostgresMessageStore({
  client: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
});

@Injectable()
class SupportBot {
  @OnWhatsAppMessage('text')
  async onText(message: TextMessage, ctx: WhatsAppContext): Promise<string> {
    const state = await ctx.conversation(); // { user, windowOpen, windowOpenUntil, ... }
    const { messages } = await store.history({ user: state!.user, limit: 10 }); // newest first
    return `"${message.text.body}": ${messages.length} messages so far, window open: ${state!.windowOpen}`;
  }
}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: process.env.WHATSAPP_ACCESS_TOKEN!,
      appSecret: process.env.WHATSAPP_APP_SECRET,
      store, // records sends, statuses and incoming messages; replies never sent twice
    }),
  ],
  providers: [SupportBot],
})
export class AppModule {}
