// Subject "nest-manual": the same work hand-written in a Nest controller, as a user would write it
// without the module. In TypeScript it reads:
//   @Controller('whatsapp/webhook') class ManualWebhookController {
//     @Post() @HttpCode(200) receive(@Req() req) { check signature of req.rawBody; loop over req.body }
//   }
import { Controller, HttpCode, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import { klass, method, param } from '../lib/decorate.mjs';
import { APP_SECRET, WEBHOOK_PATH } from '../lib/webhook-payloads.mjs';
import { forEachUpdate, signatureMatches } from './hand-written-webhook.mjs';
import { noopHandler } from './handled-counter.mjs';
import { startNestApp } from './nest-app.mjs';

class ManualWebhookController {
  receive(req) {
    if (!signatureMatches(req.rawBody, req.headers['x-hub-signature-256'], APP_SECRET)) {
      throw new UnauthorizedException('Invalid signature');
    }
    forEachUpdate(req.body, noopHandler);
  }
}
klass(ManualWebhookController, [Controller(WEBHOOK_PATH.slice(1))]);
method(ManualWebhookController, 'receive', [Post(), HttpCode(200)]);
param(ManualWebhookController, 'receive', 0, Req());

class ManualAppModule {}
klass(ManualAppModule, [Module({ controllers: [ManualWebhookController] })]);

export function start({ platform }) {
  return startNestApp(ManualAppModule, platform);
}
