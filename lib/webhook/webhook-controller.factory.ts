import { Controller, Get, type Type } from '@nestjs/common';

/** STUB: builds the webhook controller class for one module instance. */
export function createWebhookController(path: string): Type<unknown> {
  @Controller(path)
  class WhatsAppWebhookController {
    @Get()
    verify(): string {
      return 'stub';
    }
  }
  return WhatsAppWebhookController;
}
