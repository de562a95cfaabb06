import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Injectable,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { textMessages } from './support/bodies.js';
import {
  APP_SECRET,
  PLATFORMS,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';

const seen: string[] = [];

/** Global: refuses the handler call for a text saying "blocked"; lets every HTTP request through. */
@Injectable()
class GlobalBlockGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'whatsapp') return true;
    const [message] = context.getArgs<[{ text?: { body?: string } }]>();
    return message.text?.body !== 'blocked';
  }
}

/** Global: records every handler call it wraps. */
@Injectable()
class GlobalCountInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() === 'whatsapp') seen.push('intercepted');
    return next.handle();
  }
}

/** No enhancer of its own: only the app's global ones apply to it. */
@Injectable()
class PlainHandler {
  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }): void {
    seen.push(`handled:${message.text.body}`);
  }
}

describe.each(PLATFORMS)('global enhancers on %s', (platform: Platform) => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    seen.length = 0;
  });

  it('apply to a handler that has no enhancer of its own (APP_GUARD, APP_INTERCEPTOR)', async () => {
    app = await createWebhookApp(platform, {
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET })],
      providers: [
        PlainHandler,
        { provide: APP_GUARD, useClass: GlobalBlockGuard },
        { provide: APP_INTERCEPTOR, useClass: GlobalCountInterceptor },
      ],
    });
    const ok = await postSigned(app, textMessages([['wamid.g1', 'hello']]));
    const blocked = await postSigned(app, textMessages([['wamid.g2', 'blocked']]));
    expect(ok.status).toBe(200);
    expect(blocked.status).toBe(200);
    expect(seen).toEqual(['intercepted', 'handled:hello']);
  });

  it('without any, the handler is still called with its payload', async () => {
    app = await createWebhookApp(platform, {
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET })],
      providers: [PlainHandler],
    });
    const res = await postSigned(app, textMessages([['wamid.g3', 'blocked']]));
    expect(res.status).toBe(200);
    expect(seen).toEqual(['handled:blocked']);
  });
});
