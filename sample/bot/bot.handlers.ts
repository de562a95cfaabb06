import { Injectable, Logger } from '@nestjs/common';
import {
  OnWhatsAppMessage,
  WhatsAppService,
  type ImageMessage,
  type InteractiveMessage,
  type LocationMessage,
  type OutgoingMessage,
  type TextMessage,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';
import { mainMenu, MENU, PLANS, plansList, SHOP_LOCATION } from './menus.js';
import { REPLIES } from './replies.js';
import { BookingFlow } from '../flows/booking.flow.js';

const GREETINGS = new Set(['hi', 'hello', 'hey', 'start']);

/**
 * What the bot answers. A handler's return value is sent back to the sender: a string as a text,
 * an object as the message it describes.
 */
@Injectable()
export class BotHandlers {
  private readonly logger = new Logger(BotHandlers.name);

  constructor(
    private readonly whatsapp: WhatsAppService,
    private readonly booking: BookingFlow,
  ) {}

  // One-to-one texts; group messages and the `group` command: group-call.handlers.ts.
  @OnWhatsAppMessage('text', { inGroup: false })
  async onText(
    message: TextMessage,
    ctx: WhatsAppContext,
  ): Promise<string | OutgoingMessage | undefined> {
    // Blue ticks on the user's message, and "typing…" until the reply arrives.
    await ctx.markAsRead({ typingIndicator: true });
    const command = message.text.body.trim().toLowerCase();
    if (GREETINGS.has(command)) return REPLIES.greeting(ctx.contact?.name);
    if (command === 'help') return REPLIES.help;
    if (command === 'menu') return mainMenu();
    if (command === 'plans') return plansList();
    if (command === 'group') return undefined; // GroupCallHandlers.createGroup answers it
    if (command === 'book') return this.booking.message();
    return REPLIES.echo(message.text.body);
  }

  /** Taps on the menu's buttons and picks in the plans list. */
  @OnWhatsAppMessage('interactive')
  async onInteractive(
    message: InteractiveMessage,
    ctx: WhatsAppContext,
  ): Promise<string | OutgoingMessage | undefined> {
    await ctx.markAsRead();
    const reply = message.interactive;
    if (reply.type === 'button_reply') {
      switch (reply.button_reply.id) {
        case MENU.hours:
          return REPLIES.hours;
        case MENU.address:
          return { type: 'location', location: SHOP_LOCATION };
        case MENU.plans:
          return plansList();
      }
    }
    if (reply.type === 'list_reply') {
      const plan = PLANS.find((p) => p.id === reply.list_reply.id);
      if (plan) return REPLIES.planChosen(plan.title);
    }
    // A flow's completion (nfm_reply) is BookingFlow's.
    if (reply.type === 'nfm_reply') return undefined;
    this.logger.warn(`Unexpected interactive reply of type ${reply.type}`);
    return undefined;
  }

  /** Downloads the photo (with the bearer token, as Meta requires) and answers with what it got. */
  @OnWhatsAppMessage('image')
  async onImage(message: ImageMessage, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead();
    const media = await this.whatsapp.media.download(message.image.id);
    const bytes = await media.toBuffer();
    return REPLIES.image(bytes.length, media.mimeType ?? message.image.mime_type);
  }

  @OnWhatsAppMessage('location')
  async onLocation(message: LocationMessage, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead();
    const { latitude, longitude, name } = message.location;
    return REPLIES.location(latitude, longitude, name);
  }

  @OnWhatsAppMessage(['audio', 'video', 'document', 'sticker', 'contacts'])
  async onOther(_message: unknown, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead();
    return REPLIES.unsupported;
  }
}
