// A real Nest app (Express, listening on loopback) with handlers that check the shape of what they
// receive, driven over keep-alive HTTP: the webhook pipeline as Meta reaches it, for the fuzz and fault suites.
import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { OnWhatsAppCall } from '../../../lib/handlers/on-whatsapp-call.decorator.js';
import { OnWhatsAppEvent } from '../../../lib/handlers/on-whatsapp-event.decorator.js';
import { OnWhatsAppMessage } from '../../../lib/handlers/on-whatsapp-message.decorator.js';
import { OnWhatsAppStatus } from '../../../lib/handlers/on-whatsapp-status.decorator.js';
import type { WhatsAppCallContext } from '../../../lib/handlers/whatsapp-call-context.js';
import type { WhatsAppContext } from '../../../lib/handlers/whatsapp-context.js';
import type { WhatsAppModuleOptions } from '../../../lib/options/whatsapp-options.interface.js';
import { signWebhookBody } from '../../../lib/testing/sign-webhook-body.js';
import { WhatsAppModule } from '../../../lib/whatsapp.module.js';
import {
  APP_SECRET,
  WEBHOOK,
  createWebhookApp,
  type Platform,
} from '../../webhook/support/webhook-app.js';
import { CapturingLogger } from '../../webhook/support/capturing-logger.js';

/** What the handlers saw: ids handled, and every payload that broke the documented shape. */
@Injectable()
export class ShapeLog {
  readonly messageIds: string[] = [];
  readonly statusKeys: string[] = [];
  events = 0;
  /** Calls of the @OnWhatsAppCall handler and of the `inGroup` message handler. */
  calls = 0;
  groupMessages = 0;
  /** Calls of the handlers filtered by WABA (`businessAccountId`), every kind. */
  byWaba = 0;
  /** Calls of the handlers registered with filters (matches, from, isReply, ...). */
  filtered = 0;
  readonly violations: string[] = [];

  check(ok: boolean, what: () => string): void {
    if (!ok) this.violations.push(what());
  }
}

/** The WABA id (`entry[].id`) of the webhook fixtures, and a second tenant's. */
export const FIXTURE_WABA = '184736291047562';
export const OTHER_WABA = '184736291047999';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** Handlers as a user writes them, asserting the documented payload and context shapes. */
@Injectable()
export class ShapeCheckingHandlers {
  constructor(@Inject(ShapeLog) private readonly log: ShapeLog) {}

  @OnWhatsAppMessage()
  message(payload: unknown, context: WhatsAppContext): void {
    const ok =
      isObject(payload) &&
      nonEmptyString(payload.id) &&
      typeof payload.type === 'string' &&
      context.kind === 'message' &&
      context.field === 'messages' &&
      optionalString(context.phoneNumberId) &&
      typeof context.businessAccountId === 'string' &&
      (context.contact === undefined || isObject(context.contact));
    this.log.check(ok, () => `message: ${describe(payload)}`);
    if (ok) this.log.messageIds.push(payload.id as string);
  }

  @OnWhatsAppMessage('text')
  text(payload: unknown): void {
    this.log.check(
      isObject(payload) && payload.type === 'text',
      () => `text: ${describe(payload)}`,
    );
  }

  @OnWhatsAppStatus()
  status(payload: unknown, context: WhatsAppContext): void {
    const ok =
      isObject(payload) &&
      nonEmptyString(payload.id) &&
      typeof payload.status === 'string' &&
      context.kind === 'status' &&
      context.field === 'messages';
    this.log.check(ok, () => `status: ${describe(payload)}`);
    if (ok) this.log.statusKeys.push(`${payload.id as string}:${payload.status as string}`);
  }

  @OnWhatsAppStatus('failed')
  failed(payload: unknown): void {
    this.log.check(
      isObject(payload) && payload.status === 'failed',
      () => `failed: ${describe(payload)}`,
    );
  }

  // Every filter kind is registered (ISSUE10 §1): filters read the signed body, and one that
  // threw on a malformed message (`interactive` without `interactive`) once crashed the process.
  @OnWhatsAppMessage(undefined, { matches: 'hello' })
  matchesString(payload: unknown): void {
    this.filtered('matches string', payload);
  }

  @OnWhatsAppMessage(['text', 'button', 'interactive'], { matches: /^(yes|no|\d+)$/i })
  matchesRegExp(payload: unknown): void {
    this.filtered('matches RegExp', payload);
  }

  @OnWhatsAppMessage(undefined, { from: ['12025550147', '447700900461'] })
  fromSender(payload: unknown): void {
    this.filtered('from', payload);
  }

  @OnWhatsAppMessage(undefined, { isReply: true })
  replies(payload: unknown): void {
    this.filtered('isReply', payload);
  }

  @OnWhatsAppMessage('text', { isReply: false, isForwarded: true })
  forwarded(payload: unknown): void {
    this.filtered('isForwarded', payload);
  }

  // The fixtures' button_reply / list_reply ids, a template button payload and a Flow token.
  @OnWhatsAppMessage(['interactive', 'button'], { replyId: /./ })
  replyIdPattern(payload: unknown): void {
    this.filtered('replyId RegExp', payload);
  }

  @OnWhatsAppMessage(undefined, { replyId: ['plan_basic', 'STOP', 'flow-token'] })
  replyIdList(payload: unknown): void {
    this.filtered('replyId list', payload);
  }

  @OnWhatsAppMessage(undefined, { phoneNumberId: ['109283746501928', 'PNID'] })
  onNumber(payload: unknown): void {
    this.filtered('phoneNumberId', payload);
  }

  @OnWhatsAppStatus(['read', 'delivered'], { phoneNumberId: '109283746501928' })
  someStatuses(payload: unknown): void {
    this.log.check(
      isObject(payload) && (payload.status === 'read' || payload.status === 'delivered'),
      () => `status filter: ${describe(payload)}`,
    );
  }

  @OnWhatsAppEvent('message_template_status_update', { phoneNumberId: ['109283746501928'] })
  templateEvents(_value: unknown, context: WhatsAppContext): void {
    this.log.check(
      context.field === 'message_template_status_update',
      () => `event filter: ${context.field}`,
    );
  }

  // The WABA filter (one tenant's updates) on every kind: it reads `entry[].id`, which a signed
  // body may leave out or set to any JSON value. The fixtures' WABA and a second tenant's.
  @OnWhatsAppMessage(undefined, { businessAccountId: [FIXTURE_WABA, OTHER_WABA] })
  @OnWhatsAppStatus(undefined, { businessAccountId: FIXTURE_WABA })
  @OnWhatsAppEvent(undefined, { businessAccountId: [FIXTURE_WABA] })
  @OnWhatsAppCall(undefined, { businessAccountId: FIXTURE_WABA, phoneNumberId: '109283746501928' })
  tenant(_payload: unknown, context: WhatsAppContext | WhatsAppCallContext): void {
    this.log.check(
      context.businessAccountId === FIXTURE_WABA || context.businessAccountId === OTHER_WABA,
      () => `businessAccountId filter: ${context.businessAccountId}`,
    );
    this.log.byWaba += 1;
  }

  private filtered(filter: string, payload: unknown): void {
    this.log.filtered += 1;
    this.log.check(
      isObject(payload) && nonEmptyString(payload.id) && typeof payload.type === 'string',
      () => `${filter}: ${describe(payload)}`,
    );
  }

  @OnWhatsAppCall()
  call(payload: unknown, context: WhatsAppCallContext): void {
    this.log.check(
      context.kind === 'call' &&
        context.field === 'calls' &&
        isObject(payload) &&
        nonEmptyString(payload.id) &&
        context.callId === payload.id &&
        typeof context.callType === 'string' &&
        optionalString(context.direction) &&
        optionalString(context.callStatus) &&
        optionalString(context.sdpOffer) &&
        (context.contact === undefined || isObject(context.contact)),
      () => `call: ${describe(payload)}`,
    );
    this.log.calls += 1;
  }

  @OnWhatsAppMessage(undefined, { inGroup: true })
  groupMessage(payload: unknown, context: WhatsAppContext): void {
    this.log.check(
      nonEmptyString(context.groupId) && isObject(payload) && payload.group_id === context.groupId,
      () => `inGroup: ${describe(payload)}`,
    );
    this.log.groupMessages += 1;
  }

  @OnWhatsAppEvent()
  event(_value: unknown, context: WhatsAppContext): void {
    this.log.check(
      context.kind === 'event' && typeof context.field === 'string',
      () => `event: ${context.field}`,
    );
    this.log.events += 1;
  }
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (error) {
    text = `(not serialisable: ${String(error)})`;
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

export interface PipelineApp {
  app: INestApplication;
  log: ShapeLog;
  logger: CapturingLogger;
  /** POSTs the exact bytes, signed with the test secret unless `signature` is given (`null`: none). */
  post(
    body: string | Buffer,
    options?: { signature?: string | string[] | null; contentType?: string },
  ): Promise<number>;
  close(): Promise<void>;
}

/** Starts the app (Express by default) on 127.0.0.1 and a keep-alive pool of `connections` to it. */
export async function startPipelineApp(
  options: Partial<WhatsAppModuleOptions> = {},
  connections = 8,
  platform: Platform = 'express',
): Promise<PipelineApp> {
  const logger = new CapturingLogger();
  const app = await createWebhookApp(
    platform,
    {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'fuzz-access-token',
          appSecret: APP_SECRET,
          baseUrl: 'http://127.0.0.1:9',
          ...options,
        }),
      ],
      providers: [ShapeLog, ShapeCheckingHandlers],
    },
    { logger },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, keepAliveTimeout: 30_000 });
  return {
    app,
    log: app.get(ShapeLog),
    logger,
    async post(body, postOptions = {}) {
      const headers: Record<string, string | string[]> = {
        'content-type': postOptions.contentType ?? 'application/json',
      };
      const signature =
        postOptions.signature === undefined
          ? signWebhookBody(body, APP_SECRET)
          : postOptions.signature;
      if (signature !== null) headers['x-hub-signature-256'] = signature;
      const response = await pool.request({ method: 'POST', path: WEBHOOK, headers, body });
      await response.body.dump();
      return response.statusCode;
    },
    async close() {
      await pool.close();
      await app.close();
    },
  };
}
