import { Injectable } from '@nestjs/common';
import { OnWhatsAppMessage } from '../../../lib/handlers/on-whatsapp-message.decorator.js';

/** Counts text messages; the HTTP tests only need to know whether a handler ran. */
@Injectable()
export class TextCounter {
  readonly bodies: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }): void {
    this.bodies.push(message.text.body);
  }
}
