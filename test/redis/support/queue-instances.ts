import 'reflect-metadata';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  type IncomingMessage,
  type WhatsAppModuleOptions,
} from '../../../lib/index.js';
import { BullMqUpdateQueue, type BullMqUpdateQueueOptions } from '../../../lib/redis/index.js';
import { signWebhookBody } from '../../../lib/testing/index.js';

export const APP_SECRET = 'redis-suite-secret';
export const PHONE_NUMBER_ID = '106540352242922';

/** What the handlers of every instance did, in order (instances share this process). */
export interface JournalEntry {
  handler: 'first' | 'second';
  instance: string;
  id: string;
  from: string;
  body: string;
  outcome: 'started' | 'ok' | 'failed';
}
export const journal: JournalEntry[] = [];

/** Per message body: how many more calls of the `first` handler fail. */
export const failuresLeft = new Map<string, number>();

export const INSTANCE = Symbol('INSTANCE');

function textOf(message: IncomingMessage): string {
  return message.type === 'text' ? message.text.body : '';
}

@Injectable()
export class JournalHandlers {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @OnWhatsAppMessage('text')
  async first(message: IncomingMessage): Promise<void> {
    const entry = {
      instance: this.instance,
      id: message.id,
      from: message.from ?? '',
      body: textOf(message),
    };
    journal.push({ ...entry, handler: 'first', outcome: 'started' });
    // `hang` bodies never settle (a handler stuck on a call without a timeout).
    if (entry.body.includes('hang')) await new Promise(() => undefined);
    // Some work; `work-<ms>` bodies take that long, so a later update could overtake an earlier one.
    const work = /work-(\d+)/.exec(entry.body);
    await new Promise((resolve) => setTimeout(resolve, work ? Number(work[1]) : 0));
    const left = failuresLeft.get(entry.body) ?? 0;
    if (left > 0) {
      failuresLeft.set(entry.body, left - 1);
      journal.push({ ...entry, handler: 'first', outcome: 'failed' });
      throw new Error(`planned failure of ${entry.body}`);
    }
    journal.push({ ...entry, handler: 'first', outcome: 'ok' });
  }

  @OnWhatsAppMessage('text')
  second(message: IncomingMessage): void {
    journal.push({
      handler: 'second',
      instance: this.instance,
      id: message.id,
      from: message.from ?? '',
      body: textOf(message),
      outcome: 'ok',
    });
  }
}

/** A Meta-shaped POST body with one text message. */
export function textDelivery(id: string, from: string, body: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Test' }, wa_id: from }],
              messages: [{ from, id, timestamp: '1750000000', type: 'text', text: { body } }],
            },
          },
        ],
      },
    ],
  });
}

export interface Instance {
  name: string;
  app: INestApplication;
  /** Set in `processing: 'queue'`. */
  queue: BullMqUpdateQueue;
  post(body: string): Promise<number>;
}

/**
 * One Nest app on the shared Redis ("an instance" behind the load balancer): `processing: 'queue'`
 * with a `BullMqUpdateQueue` built from `queueOptions`, or the module options as given when null.
 */
export async function startInstance(
  name: string,
  queueOptions: BullMqUpdateQueueOptions | null,
  options: Partial<WhatsAppModuleOptions> = {},
): Promise<Instance> {
  const queue = queueOptions === null ? undefined : new BullMqUpdateQueue(queueOptions);
  const mode: Partial<WhatsAppModuleOptions> = queue ? { processing: 'queue', queue } : {};
  @Module({
    imports: [
      WhatsAppModule.forRoot({
        accessToken: 'token',
        appSecret: APP_SECRET,
        phoneNumberId: PHONE_NUMBER_ID,
        baseUrl: 'http://127.0.0.1:9',
        ...mode,
        ...options,
      }),
    ],
    providers: [JournalHandlers, { provide: INSTANCE, useValue: name }],
  })
  class InstanceModule {}
  const ref = await Test.createTestingModule({ imports: [InstanceModule] }).compile();
  const app = ref.createNestApplication<NestExpressApplication>({
    rawBody: true,
    logger: false,
  });
  app.useBodyParser('json', { limit: '3mb' });
  await app.init();
  return {
    name,
    app,
    queue: queue as BullMqUpdateQueue,
    post: async (body) => {
      const response = await request(app.getHttpServer())
        .post('/whatsapp/webhook')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signWebhookBody(body, APP_SECRET))
        .send(body);
      return response.status;
    },
  };
}

/** Entries of the journal for one message body. */
export function entriesFor(
  body: string,
  handler: JournalEntry['handler'] = 'first',
): JournalEntry[] {
  return journal.filter((entry) => entry.body === body && entry.handler === handler);
}

/** How many times a handler finished the message without an error (exactly-once checks). */
export function okRuns(body: string, handler: JournalEntry['handler'] = 'first'): number {
  return entriesFor(body, handler).filter((entry) => entry.outcome === 'ok').length;
}
