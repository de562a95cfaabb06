import { Injectable } from '@nestjs/common';
import {
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  type TemplateStatusUpdateValue,
  type TextMessage,
  type WhatsAppContext,
} from 'nestjs-whatsapp-cloud';
import { TenantStore } from './tenant-store.js';

export const BAKERY_WABA = '102290129340398';
export const BAKERY_NUMBERS = ['106540352242922', '106540352242923'];

@Injectable()
export class TenantBot {
  readonly reviews: string[] = [];

  constructor(private readonly tenants: TenantStore) {}

  // Every tenant: the shared handler looks the tenant up by the WABA that received the message.
  @OnWhatsAppMessage('text', { matches: /^(hi|hello)\b/i })
  async greet(_message: TextMessage, ctx: WhatsAppContext): Promise<void> {
    const tenant = await this.tenants.byWaba(ctx.businessAccountId);
    await ctx.reply({ type: 'text', text: { body: tenant.greeting } }); // the tenant's token
  }

  // One tenant: by its WABA (every number it has, also ones added later)...
  @OnWhatsAppMessage('text', { businessAccountId: BAKERY_WABA, matches: 'hours' })
  bakeryHours(): string {
    return 'The bakery is open 7-19';
  }

  // ...or by some of its numbers.
  @OnWhatsAppMessage('location', { phoneNumberId: BAKERY_NUMBERS })
  bakeryDelivery(): string {
    return 'We deliver within 5 km';
  }

  // Account events carry no phone number: route them by WABA.
  @OnWhatsAppEvent('message_template_status_update', { businessAccountId: BAKERY_WABA })
  bakeryTemplateReviewed(value: TemplateStatusUpdateValue): void {
    this.reviews.push(`${value.message_template_name}: ${value.event}`);
  }
}
