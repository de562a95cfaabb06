// A handler that throws is logged once, by the dispatcher (handler, update id, stack), whether or
// not it has guards or interceptors: Nest's ExceptionsHandler must not log it a second time.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Injectable,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { textMessages } from './support/bodies.js';
import { CapturingLogger, type CapturedLine } from './support/capturing-logger.js';
import { APP_SECRET, PLATFORMS, createWebhookApp, postSigned } from './support/webhook-app.js';

const seen = { guard: 0, interceptor: 0 };

@Injectable()
class AllowGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() === 'whatsapp') seen.guard++;
    return true;
  }
}

@Injectable()
class PassInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() === 'whatsapp') seen.interceptor++;
    return next.handle();
  }
}

interface Text {
  text: { body: string };
}

/** No enhancer: called directly. */
@Injectable()
class PlainHandler {
  @OnWhatsAppMessage('text')
  onText(message: Text): void {
    if (message.text.body === 'plain') throw new Error('planned failure of plain');
  }
}

/** A guard and an interceptor: called through Nest's ExternalContextCreator. */
@Injectable()
class EnhancedHandler {
  @OnWhatsAppMessage('text')
  @UseGuards(AllowGuard)
  @UseInterceptors(PassInterceptor)
  onText(message: Text): void {
    if (message.text.body === 'enhanced') throw new Error('planned failure of enhanced');
  }
}

describe.each(PLATFORMS)('a failing handler is logged once on %s', (platform) => {
  let app: INestApplication;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    app = await createWebhookApp(
      platform,
      {
        imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET })],
        providers: [PlainHandler, EnhancedHandler, AllowGuard, PassInterceptor],
      },
      { logger },
    );
  });
  afterAll(async () => {
    await app.close();
  });

  /** Every line that mentions `marker` anywhere (message, stack, context). */
  const mentioning = (marker: string): CapturedLine[] =>
    logger.lines.filter((line) => line.text.includes(marker));

  it('one error line per failure, with the same content as a handler without enhancers', async () => {
    const before = { ...seen };
    await postSigned(app, textMessages([['wamid.plain', 'plain']])).expect(500);
    await postSigned(app, textMessages([['wamid.enhanced', 'enhanced']])).expect(500);
    // The enhancers did run for both updates (the plain handler has none).
    expect(seen.guard - before.guard).toBe(2);
    expect(seen.interceptor - before.interceptor).toBe(2);

    const plain = mentioning('planned failure of plain');
    const enhanced = mentioning('planned failure of enhanced');
    expect(plain).toHaveLength(1);
    // Before the fix: 2 (Nest's "ExceptionsHandler" line, then the dispatcher's).
    expect(enhanced).toHaveLength(1);
    const [plainLine] = plain;
    const [enhancedLine] = enhanced;
    expect(plainLine?.level).toBe('error');
    expect(plainLine?.message).toBe(
      'WhatsApp handler PlainHandler.onText failed on m:wamid.plain (field messages)',
    );
    // The same line, names aside: message, level, context, and the stack's first line.
    const same = (line: CapturedLine | undefined) => ({
      level: line?.level,
      context: line?.context,
      message: line?.message.replace(/Enhanced|Plain/g, 'X').replace(/enhanced|plain/g, 'x'),
      first: line?.text
        .split('\n', 1)[0]
        ?.replace(/Enhanced|Plain/g, 'X')
        .replace(/enhanced|plain/g, 'x'),
    });
    expect(same(enhancedLine)).toEqual(same(plainLine));
    expect(logger.lines.filter((line) => line.context === 'ExceptionsHandler')).toEqual([]);
  });
});
