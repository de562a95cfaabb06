import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import type { HandlerErrorInfo } from '../../lib/types/ports/handler-error-info.js';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppModuleOptions } from '../../lib/options/whatsapp-options.interface.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import type { DedupeStore } from '../../lib/types/ports/dedupe-store.js';
import { DedupeStoreUnavailableError } from '../../lib/webhook/5-dedupe/dedupe-store-unavailable.error.js';
import { WhatsAppWebhookService } from '../../lib/webhook/1-http/whatsapp-webhook.service.js';
import { textBatch, textMessages } from './support/bodies.js';
import {
  APP_SECRET,
  PLATFORMS,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';

/** Shared switches and logs of the handlers below. */
@Injectable()
class Control {
  readonly calls: string[] = [];
  /** Message bodies that make `Flaky.onText` throw while listed. */
  readonly failOn = new Set<string>();
  /** When set, `Slow.onText` waits for it. */
  gate: Promise<void> | undefined;
}

@Injectable()
class Steady {
  constructor(@Inject(Control) private readonly control: Control) {}

  @OnWhatsAppMessage('text')
  onText(message: TextMessage): void {
    this.control.calls.push(`steady:${message.text.body}`);
  }
}

@Injectable()
class Flaky {
  constructor(@Inject(Control) private readonly control: Control) {}

  @OnWhatsAppMessage('text')
  async onText(message: TextMessage): Promise<void> {
    await this.control.gate;
    this.control.calls.push(`flaky:${message.text.body}`);
    if (this.control.failOn.has(message.text.body)) throw new Error(`boom on ${message.text.body}`);
  }
}

describe.each(PLATFORMS)('webhook processing on %s', (platform: Platform) => {
  let app: INestApplication | undefined;
  let errors: Array<{ error: unknown; info: HandlerErrorInfo }>;

  async function start(
    options: Partial<WhatsAppModuleOptions>,
    handlers: Array<typeof Steady | typeof Flaky>,
  ) {
    errors = [];
    app = await createWebhookApp(platform, {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 't',
          appSecret: APP_SECRET,
          onHandlerError: (error, info) => {
            errors.push({ error, info });
          },
          ...options,
        }),
      ],
      providers: [Control, ...handlers],
    });
    return { app, control: app.get(Control), webhook: app.get(WhatsAppWebhookService) };
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs 1000 updates across entries and changes, in order', async () => {
    const { app, control } = await start({}, [Steady]);
    const { body, ids } = textBatch({ entries: 4, changesPerEntry: 5, messagesPerChange: 50 });
    expect(ids).toHaveLength(1000);
    const res = await postSigned(app, body);
    expect(res.status).toBe(200);
    expect(control.calls).toEqual(ids.map((_id, n) => `steady:n${n}`));
  });

  it('handles the same delivery once, and a known message inside a new delivery once', async () => {
    const { app, control } = await start({}, [Steady]);
    const first = textMessages([['wamid.A', 'a']]);
    expect((await postSigned(app, first)).status).toBe(200);
    expect((await postSigned(app, first)).status).toBe(200);
    expect(
      (
        await postSigned(
          app,
          textMessages([
            ['wamid.A', 'a'],
            ['wamid.B', 'b'],
          ]),
        )
      ).status,
    ).toBe(200);
    expect(control.calls).toEqual(['steady:a', 'steady:b']);
  });

  it('runs a delivery again when de-duplication is off', async () => {
    const { app, control } = await start({ dedupe: false }, [Steady]);
    const body = textMessages([['wamid.A', 'a']]);
    await postSigned(app, body);
    await postSigned(app, body);
    expect(control.calls).toEqual(['steady:a', 'steady:a']);
  });

  it('isolates a failing handler: others and later updates run, 500, and the retry runs only what failed', async () => {
    const { app, control } = await start({}, [Steady, Flaky]);
    control.failOn.add('b');
    const body = textMessages([
      ['wamid.A', 'a'],
      ['wamid.B', 'b'],
      ['wamid.C', 'c'],
    ]);
    const res = await postSigned(app, body);
    expect(res.status).toBe(500);
    expect(control.calls).toEqual([
      'steady:a',
      'flaky:a',
      'steady:b',
      'flaky:b',
      'steady:c',
      'flaky:c',
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0].info).toEqual({
      handler: 'Flaky.onText',
      field: 'messages',
      kind: 'message',
      updateId: 'm:wamid.B',
      phoneNumberId: 'PNID',
    });
    expect((errors[0].error as Error).message).toBe('boom on b');

    control.calls.length = 0;
    control.failOn.clear();
    const retry = await postSigned(app, body);
    expect(retry.status).toBe(200);
    expect(control.calls).toEqual(['flaky:b']);
  });

  it('answers 200 despite a failure with acknowledgeFailures (poison updates)', async () => {
    const { app, control } = await start({ acknowledgeFailures: true }, [Flaky]);
    control.failOn.add('a');
    expect((await postSigned(app, textMessages([['wamid.A', 'a']]))).status).toBe(200);
    expect(errors).toHaveLength(1);
  });

  it('answers at once in background mode; drain() waits for the handlers', async () => {
    const { app, control, webhook } = await start({ processing: 'background' }, [Flaky]);
    let open!: () => void;
    control.gate = new Promise<void>((resolve) => (open = resolve));
    control.failOn.add('a');
    const res = await postSigned(app, textMessages([['wamid.A', 'a']]));
    expect(res.status).toBe(200);
    expect(control.calls).toEqual([]);
    open();
    await webhook.drain();
    expect(control.calls).toEqual(['flaky:a']);
    expect(errors).toHaveLength(1);
  });

  it('answers 200 after ackTimeoutMs and keeps working in the background', async () => {
    const { app, control, webhook } = await start({ ackTimeoutMs: 1 }, [Flaky]);
    let open!: () => void;
    control.gate = new Promise<void>((resolve) => (open = resolve));
    const res = await postSigned(app, textMessages([['wamid.A', 'a']]));
    expect(res.status).toBe(200);
    expect(control.calls).toEqual([]);
    open();
    await webhook.drain();
    expect(control.calls).toEqual(['flaky:a']);
  });

  it('keeps going when onHandlerError itself throws', async () => {
    const { app, control } = await start(
      {
        onHandlerError: () => {
          throw new Error('hook broke');
        },
      },
      [Steady, Flaky],
    );
    control.failOn.add('a');
    const res = await postSigned(
      app,
      textMessages([
        ['wamid.A', 'a'],
        ['wamid.B', 'b'],
      ]),
    );
    expect(res.status).toBe(500);
    expect(control.calls).toEqual(['steady:a', 'flaky:a', 'steady:b', 'flaky:b']);
  });

  it('answers 503 without running handlers when a shared store is unavailable, 500 when it throws otherwise', async () => {
    let failure: Error = new DedupeStoreUnavailableError('redis down');
    const claimed: string[] = [];
    const store: DedupeStore = {
      claim: async (key) => {
        if (claimed.length > 0) throw failure;
        claimed.push(key);
        return true;
      },
      release: async () => undefined,
    };
    const { app, control } = await start({ dedupe: { store } }, [Steady]);
    const res = await postSigned(
      app,
      textMessages([
        ['wamid.A', 'a'],
        ['wamid.B', 'b'],
        ['wamid.C', 'c'],
      ]),
    );
    expect(res.status).toBe(503);
    // The first update ran (and is claimed); the batch stopped at the first unavailable claim.
    expect(claimed).toEqual(['m:wamid.A|Steady.onText']);
    expect(control.calls).toEqual(['steady:a']);
    expect(errors).toEqual([]);

    failure = new Error('unexpected');
    control.calls.length = 0;
    const other = await postSigned(app, textMessages([['wamid.D', 'd']]));
    expect(other.status).toBe(500);
    expect(control.calls).toEqual([]);
    expect(errors.map((e) => e.info.updateId)).toEqual(['m:wamid.D']);
  });

  it('keeps going when the store cannot release a failed claim', async () => {
    const store: DedupeStore = {
      claim: async () => true,
      release: () => {
        throw new Error('release broke');
      },
    };
    const { app, control } = await start({ dedupe: { store } }, [Flaky, Steady]);
    control.failOn.add('a');
    const res = await postSigned(
      app,
      textMessages([
        ['wamid.A', 'a'],
        ['wamid.B', 'b'],
      ]),
    );
    expect(res.status).toBe(500);
    expect(control.calls).toEqual(['flaky:a', 'steady:a', 'flaky:b', 'steady:b']);
    expect(errors.map((e) => e.info.updateId)).toEqual(['m:wamid.A']);
  });
});
