import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  Inject,
  Injectable,
  Module,
  Scope,
  UseFilters,
  UseGuards,
  UseInterceptors,
  VersioningType,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { map, type Observable } from 'rxjs';
import { WhatsAppHandlerRegistrationError } from '../../lib/handlers/handler-explorer.js';
import { OnWhatsAppEvent } from '../../lib/handlers/on-whatsapp-event.decorator.js';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { OnWhatsAppStatus } from '../../lib/handlers/on-whatsapp-status.decorator.js';
import { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { WaContext, WaPayload } from '../../lib/handlers/whatsapp-params.decorators.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { textMessages } from './support/bodies.js';
import { Recorder } from './support/recorder.js';
import {
  APP_SECRET,
  PLATFORMS,
  WEBHOOK,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';

const options = { accessToken: 't', appSecret: APP_SECRET };

@Injectable({ scope: Scope.REQUEST })
class RequestScopedHandler {
  static instances = 0;
  constructor(
    @Inject(Recorder) private readonly recorder: Recorder,
    @Inject(REQUEST) private readonly request: unknown,
  ) {
    RequestScopedHandler.instances++;
  }

  @OnWhatsAppMessage('text')
  onText(message: TextMessage, context: WhatsAppContext): void {
    // The per-update "request" is the update's context.
    this.recorder.record(`scoped:${String(this.request === context)}`, message, context);
  }
}

@Controller('bot')
class BotController {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @OnWhatsAppMessage('text')
  onText(message: TextMessage, context: WhatsAppContext): void {
    this.recorder.record('controller', message, context);
  }
}

class FactoryMadeHandler {
  constructor(private readonly recorder: Recorder) {}

  @OnWhatsAppMessage(['text', 'image'])
  @OnWhatsAppStatus('delivered')
  onMany(payload: unknown, context: WhatsAppContext): void {
    this.recorder.record(`factory:${context.kind}`, payload, context);
  }
}

class ValueHandler {
  readonly seen: string[] = [];

  @OnWhatsAppEvent('message_template_status_update')
  onTemplate(value: { message_template_name: string }): void {
    this.seen.push(value.message_template_name);
  }
}

/** Stacked decorators on one method: a text runs it once even though two registrations match. */
@Injectable()
class StackedHandler {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @OnWhatsAppMessage()
  @OnWhatsAppMessage('text', { matches: /hello/i })
  @OnWhatsAppStatus(['sent', 'read'])
  onAnything(payload: unknown, context: WhatsAppContext): void {
    this.recorder.record(`stacked:${context.kind}`, payload, context);
  }
}

/** Param decorators in an order unlike `(payload, context)`. */
@Injectable()
class ParamHandler {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @OnWhatsAppMessage('text')
  onText(@WaContext() context: WhatsAppContext, @WaPayload() message: TextMessage): void {
    this.recorder.record(
      `params:${context instanceof WhatsAppContext}:${message.text.body}`,
      message,
      context,
    );
  }
}

@Injectable()
class BlockSender implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'whatsapp') return true;
    const [message] = context.getArgs<[TextMessage]>();
    return message.text.body !== 'blocked';
  }
}

@Injectable()
class Shout implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        map((value) => (context.getType<string>() === 'whatsapp' ? `${String(value)}!` : value)),
      );
  }
}

class Handled extends Error {}

@Catch(Handled)
class HandledFilter implements ExceptionFilter {
  static caught = 0;
  catch(_error: Handled, host: ArgumentsHost): string | undefined {
    if (host.getType<string>() !== 'whatsapp') return undefined;
    HandledFilter.caught++;
    // Any value but undefined marks the error handled; a string is sent to the sender.
    return 'sorry';
  }
}

@Injectable()
class EnhancedHandler {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @OnWhatsAppMessage('text')
  @UseGuards(BlockSender)
  @UseInterceptors(Shout)
  @UseFilters(HandledFilter)
  onText(message: TextMessage, context: WhatsAppContext): string {
    this.recorder.record(`enhanced:${message.text.body}`, message, context);
    if (message.text.body === 'handled') throw new Handled();
    return 'echo';
  }
}

@Module({
  controllers: [BotController],
  providers: [
    Recorder,
    RequestScopedHandler,
    StackedHandler,
    ParamHandler,
    EnhancedHandler,
    {
      provide: 'FACTORY_HANDLER',
      useFactory: (r: Recorder) => new FactoryMadeHandler(r),
      inject: [Recorder],
    },
    { provide: 'VALUE_HANDLER', useValue: new ValueHandler() },
    { provide: 'ALIAS', useExisting: StackedHandler },
  ],
  exports: [Recorder],
})
class FeatureModule {}

describe.each(PLATFORMS)('handler discovery on %s', (platform: Platform) => {
  let app: INestApplication | undefined;
  let graph: FakeGraphApi | undefined;

  afterEach(async () => {
    await app?.close();
    await graph?.close();
    app = undefined;
    graph = undefined;
  });

  it('finds handlers on request-scoped, controller, factory, value and stacked providers of another module', async () => {
    graph = await FakeGraphApi.start();
    app = await createWebhookApp(platform, {
      imports: [
        WhatsAppModule.forRoot({ ...options, baseUrl: graph.baseUrl, retry: false }),
        FeatureModule,
      ],
    });
    const recorder = app.get(Recorder);
    RequestScopedHandler.instances = 0;
    HandledFilter.caught = 0;

    expect((await postSigned(app, textMessages([['wamid.1', 'hello']]))).status).toBe(200);
    expect(recorder.names().sort()).toEqual(
      [
        'controller',
        'enhanced:hello',
        'factory:message',
        'params:true:hello',
        'scoped:true',
        'stacked:message',
      ].sort(),
    );
    // Returned by the handler, transformed by the interceptor, sent as a reply.
    expect(graph.sentMessages()).toEqual([
      expect.objectContaining({ type: 'text', text: { body: 'echo!' } }),
    ]);

    expect((await postSigned(app, textMessages([['wamid.2', 'second']]))).status).toBe(200);
    expect(RequestScopedHandler.instances).toBe(2);

    recorder.clear();
    expect((await postSigned(app, webhookFixtureBytes('status-delivered'))).status).toBe(200);
    expect(recorder.names()).toEqual(['factory:status']);
    expect((await postSigned(app, webhookFixtureBytes('status-read'))).status).toBe(200);
    expect(recorder.names()).toEqual(['factory:status', 'stacked:status']);

    const valueHandler = app.get<ValueHandler>('VALUE_HANDLER');
    valueHandler.seen.length = 0; // the useValue object outlives one app
    expect((await postSigned(app, webhookFixtureBytes('template-status-update'))).status).toBe(200);
    expect(valueHandler.seen).toEqual(['order_shipped']);
  });

  it("applies the handler's guards, interceptors and exception filters", async () => {
    graph = await FakeGraphApi.start();
    const failures: string[] = [];
    app = await createWebhookApp(platform, {
      imports: [
        WhatsAppModule.forRoot({
          ...options,
          baseUrl: graph.baseUrl,
          retry: false,
          onHandlerError: (error, info) => {
            failures.push(`${info.handler}: ${(error as Error).message}`);
          },
        }),
        FeatureModule,
      ],
    });
    const recorder = app.get(Recorder);
    HandledFilter.caught = 0;

    // The guard refuses: the handler does not run, and that is not a failure of the delivery.
    const blocked = await postSigned(app, textMessages([['wamid.b', 'blocked']]));
    expect(recorder.names()).not.toContain('enhanced:blocked');
    expect(recorder.names()).toContain('stacked:message');
    expect(blocked.status).toBe(200);
    expect(graph.sentMessages()).toEqual([]);

    // The filter handles the error and its value becomes the reply: no failure.
    const handled = await postSigned(app, textMessages([['wamid.h', 'handled']]));
    expect(recorder.names()).toContain('enhanced:handled');
    expect(HandledFilter.caught).toBe(1);
    expect(handled.status).toBe(200);
    expect(graph.sentMessages()).toEqual([
      expect.objectContaining({ type: 'text', text: { body: 'sorry' } }),
    ]);
    expect(failures).toEqual([]);
  });

  it('rejects a class provided by two modules at startup', async () => {
    @Injectable()
    class Twice {
      @OnWhatsAppMessage()
      on(): void {}
    }
    @Module({ providers: [Twice] })
    class A {}
    @Module({ providers: [Twice] })
    class B {}
    const ref = await Test.createTestingModule({
      imports: [WhatsAppModule.forRoot(options), A, B],
    }).compile();
    const nest = ref.createNestApplication({ rawBody: true, logger: false });
    await expect(nest.init()).rejects.toThrow(WhatsAppHandlerRegistrationError);
    await expect(nest.close()).resolves.toBeUndefined();
  });

  it('rejects the same decorator stacked twice on a method at startup', async () => {
    @Injectable()
    class Doubled {
      @OnWhatsAppMessage('text', { matches: /x/ })
      @OnWhatsAppMessage('text', { matches: /x/ })
      on(): void {}
    }
    const ref = await Test.createTestingModule({
      imports: [WhatsAppModule.forRoot(options)],
      providers: [Doubled],
    }).compile();
    const nest = ref.createNestApplication({ rawBody: true, logger: false });
    await expect(nest.init()).rejects.toThrow(/Doubled\.on carries the same decorator twice/);
    await expect(nest.close()).resolves.toBeUndefined();
  });

  it("runs the app's handlers for each module instance, at its own path with its own secret", async () => {
    @Module({
      imports: [
        WhatsAppModule.forRoot({ accessToken: 't', appSecret: 'one', webhookPath: 'meta/one' }),
      ],
    })
    class One {}
    @Module({
      imports: [
        WhatsAppModule.forRoot({ accessToken: 't', appSecret: 'two', webhookPath: 'meta/two' }),
      ],
    })
    class Two {}
    app = await createWebhookApp(platform, {
      imports: [One, Two],
      providers: [Recorder, StackedHandler],
    });
    const body = textMessages([['wamid.same', 'hello']]);
    expect((await postSigned(app, body, { path: '/meta/one', secret: 'two' })).status).toBe(401);
    expect((await postSigned(app, body, { path: '/meta/one', secret: 'one' })).status).toBe(200);
    expect((await postSigned(app, body, { path: '/meta/two', secret: 'two' })).status).toBe(200);
    // Each instance has its own de-duplication store: the same wamid at the other path runs again.
    expect(app.get(Recorder).names()).toEqual(['stacked:message', 'stacked:message']);
  });

  it('runs two apps in one process, each with its own handlers, secrets and store', async () => {
    const makeApp = (secret: string) =>
      createWebhookApp(platform, {
        imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: secret })],
        providers: [Recorder, StackedHandler],
      });
    const first = await makeApp('secret-one');
    const second = await makeApp('secret-two');
    try {
      const body = textMessages([['wamid.same', 'hello']]);
      expect((await postSigned(first, body, { secret: 'secret-one' })).status).toBe(200);
      expect((await postSigned(second, body, { secret: 'secret-one' })).status).toBe(401);
      expect((await postSigned(second, body, { secret: 'secret-two' })).status).toBe(200);
      expect(first.get(Recorder).names()).toEqual(['stacked:message']);
      expect(second.get(Recorder).names()).toEqual(['stacked:message']);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe.each(PLATFORMS)('module set-up matrix on %s', (platform: Platform) => {
  const forRoot = (webhookPath?: string | false) =>
    WhatsAppModule.forRoot({ ...options, webhookPath });
  const forRootAsync = (webhookPath?: string | false) =>
    WhatsAppModule.forRootAsync({ useFactory: async () => options, webhookPath });

  describe.each([
    ['forRoot', forRoot],
    ['forRootAsync', forRootAsync],
  ])('%s', (_name, make) => {
    it.each([
      ['the default path', undefined, WEBHOOK],
      ['a custom path', '/hooks/meta/', '/hooks/meta'],
    ])('mounts the webhook at %s', async (_label, webhookPath, mountedAt) => {
      const app = await createWebhookApp(platform, {
        imports: [make(webhookPath)],
        providers: [Recorder, StackedHandler],
      });
      try {
        expect(
          (await postSigned(app, textMessages([['wamid.m', 'hello']]), { path: mountedAt })).status,
        ).toBe(200);
        expect(app.get(Recorder).names()).toEqual(['stacked:message']);
        if (mountedAt !== WEBHOOK) {
          expect((await postSigned(app, textMessages([['wamid.n', 'x']]))).status).toBe(404);
        }
      } finally {
        await app.close();
      }
    });

    it('mounts nothing with webhookPath: false', async () => {
      const app = await createWebhookApp(platform, {
        imports: [make(false)],
        providers: [Recorder, StackedHandler],
      });
      try {
        expect((await postSigned(app, textMessages([['wamid.m', 'hello']]))).status).toBe(404);
        expect((await request(app.getHttpServer()).get(WEBHOOK)).status).toBe(404);
        expect(app.get(Recorder).names()).toEqual([]);
      } finally {
        await app.close();
      }
    });
  });

  it('stays at its path when the app enables URI versioning (version-neutral)', async () => {
    const ref = await Test.createTestingModule({
      imports: [WhatsAppModule.forRoot(options)],
      providers: [Recorder, StackedHandler],
    }).compile();
    const app = ref.createNestApplication({ rawBody: true, logger: false });
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    await app.init();
    try {
      expect((await postSigned(app, textMessages([['wamid.v', 'hello']]))).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
