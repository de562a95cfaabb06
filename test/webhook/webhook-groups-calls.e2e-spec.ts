import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { OnWhatsAppCall } from '../../lib/handlers/on-whatsapp-call.decorator.js';
import { OnWhatsAppEvent } from '../../lib/handlers/on-whatsapp-event.decorator.js';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppCallContext } from '../../lib/handlers/whatsapp-call-context.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import { createWebhookBuilder } from '../../lib/testing/webhook-builders/index.js';
import type { CallUpdatePayload } from '../../lib/types/webhook/call-events.js';
import type { GroupParticipantsUpdateValue } from '../../lib/types/webhook/group-events.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { MemoryMessageStore } from '../../lib/store/memory-message-store.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { APP_SECRET, createWebhookApp, postSigned } from './support/webhook-app.js';

const GROUP = 'Y2FwaV9ncm91cDoxNTU1Nzc3MTIzNDoxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const OTHER_GROUP = 'b3RoZXJfZ3JvdXA';
const ANSWER =
  'v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const webhook = createWebhookBuilder({
  phoneNumberId: 'PN1',
  contact: { waId: '12025550147', name: 'Maya' },
});

let graph: FakeGraphApi;

@Injectable()
class GroupAndCallHandlers {
  readonly seen: string[] = [];
  readonly slowOutcome: string[] = [];

  @OnWhatsAppMessage('text', { inGroup: true, matches: /^(hi|private)$/ })
  async inAnyGroup(message: TextMessage, ctx: WhatsAppContext): Promise<string | undefined> {
    this.seen.push(`group:${ctx.groupId ?? '-'}`);
    if (message.text.body === 'private') {
      await ctx.replyPrivately('just for you');
      return undefined;
    }
    return 'hello group';
  }

  @OnWhatsAppMessage('text', { inGroup: OTHER_GROUP })
  inOtherGroup(_m: TextMessage, ctx: WhatsAppContext): void {
    this.seen.push(`other:${ctx.groupId ?? '-'}`);
  }

  @OnWhatsAppMessage('text', { inGroup: false, matches: 'hi' })
  oneToOne(_m: TextMessage, ctx: WhatsAppContext): void {
    this.seen.push(`direct:${ctx.groupId ?? '-'}`);
  }

  /** Blocks until the call in the same batch was accepted at the Graph API, or 8 s. */
  @OnWhatsAppMessage('text', { matches: 'slow' })
  async slow(): Promise<void> {
    for (let i = 0; i < 160; i++) {
      if (
        graph.requests.some((r) => (r.json as { action?: string } | undefined)?.action === 'accept')
      ) {
        this.slowOutcome.push('accept-first');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.slowOutcome.push('timeout');
  }

  @OnWhatsAppCall('connect')
  async connect(call: CallUpdatePayload, ctx: WhatsAppCallContext): Promise<void> {
    this.seen.push(
      `connect:${ctx.direction ?? '-'}:${ctx.sdpOffer?.startsWith('v=0') === true}:${ctx.contact?.name ?? '-'}`,
    );
    if (ctx.contact?.waId === '19995550000') {
      await ctx.reject();
      return;
    }
    await ctx.preAccept(ANSWER);
    await ctx.accept(ANSWER);
    expect(ctx.callId).toBe(call.id);
  }

  @OnWhatsAppCall(['terminate', 'status'])
  ended(call: CallUpdatePayload, ctx: WhatsAppCallContext): void {
    this.seen.push(`${ctx.callType}:${ctx.callStatus ?? '-'}:${String(call.duration ?? '-')}`);
  }

  @OnWhatsAppEvent('calls')
  callsChange(): void {
    this.seen.push('event:calls');
  }

  @OnWhatsAppEvent('group_participants_update')
  participants(value: GroupParticipantsUpdateValue): void {
    for (const item of value.groups) {
      this.seen.push(
        `participants:${item.type}:${item.added_participants?.map((p) => p.wa_id).join(',') ?? '-'}`,
      );
    }
  }
}

describe('groups and calls reach their handlers', () => {
  let app: INestApplication;
  let handlers: GroupAndCallHandlers;

  beforeAll(async () => {
    graph = await FakeGraphApi.start();
    app = await createWebhookApp('express', {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'test-access-token',
          appSecret: APP_SECRET,
          baseUrl: graph.baseUrl,
          retry: false,
          dedupe: false,
        }),
      ],
      providers: [GroupAndCallHandlers],
    });
    handlers = app.get(GroupAndCallHandlers);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });
  beforeEach(() => {
    graph.reset();
    handlers.seen.length = 0;
    handlers.slowOutcome.length = 0;
  });

  const sent = () => graph.requests.map((r) => r.json);

  it('a group message: ctx.groupId set, the return value answers in the group (recipient_type group)', async () => {
    const res = await postSigned(app, JSON.stringify(webhook.text({ body: 'hi', groupId: GROUP })));
    expect(res.status).toBe(200);
    expect(handlers.seen).toEqual([expect.stringMatching(/^group:Y2FwaV9ncm91c/)]);
    expect(sent()).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'group',
        to: GROUP,
        type: 'text',
        text: { body: 'hello group' },
      },
    ]);
  });

  it('ctx.replyPrivately() answers the participant one-to-one', async () => {
    await postSigned(app, JSON.stringify(webhook.text({ body: 'private', groupId: GROUP })));
    expect(sent()).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '12025550147',
        type: 'text',
        text: { body: 'just for you' },
      },
    ]);
  });

  it('inGroup filters: false for one-to-one messages, a group id for that group only', async () => {
    await postSigned(app, JSON.stringify(webhook.text({ body: 'hi' })));
    await postSigned(app, JSON.stringify(webhook.text({ body: 'anything', groupId: OTHER_GROUP })));
    expect(handlers.seen).toEqual(['direct:-', `other:${OTHER_GROUP}`]);
  });

  it("Meta's group message fixture carries the group id to the context and the reply", async () => {
    const fixtureGroup = 'Y2FwaV9ncm91cDoxNTU1Nzc3MTIzNDoxMjAzNjMzOTk5OTk5OTk5OTk=';
    await postSigned(
      app,
      webhookFixtureBytes('text-group').toString().replace('Is the store open on Sunday?', 'hi'),
    );
    expect(handlers.seen).toEqual([`group:${fixtureGroup}`]);
    expect(sent()[0]).toMatchObject({ recipient_type: 'group', to: fixtureGroup });
  });

  it('a user call (Meta fixture): @OnWhatsAppCall("connect") pre-accepts and accepts with the SDP answer; the change still reaches @OnWhatsAppEvent("calls")', async () => {
    const res = await postSigned(app, webhookFixtureBytes('calls-connect'));
    expect(res.status).toBe(200);
    expect(handlers.seen).toEqual(['connect:USER_INITIATED:true:Maya Ortiz', 'event:calls']);
    const callId = 'wacid.HBgLMTIwMjU1NTAxNDcVAgARGBI3QjU1NTZEMjA0RTk3RjQ0QzIA';
    expect(graph.requests.map((r) => [r.graphPath, r.json])).toEqual([
      [
        '/109283746501928/calls',
        {
          messaging_product: 'whatsapp',
          call_id: callId,
          action: 'pre_accept',
          session: { sdp_type: 'answer', sdp: ANSWER },
        },
      ],
      [
        '/109283746501928/calls',
        {
          messaging_product: 'whatsapp',
          call_id: callId,
          action: 'accept',
          session: { sdp_type: 'answer', sdp: ANSWER },
        },
      ],
    ]);
  });

  it('reject(), terminate and status updates reach their handlers', async () => {
    await postSigned(app, JSON.stringify(webhook.callConnect({ user: { waId: '19995550000' } })));
    expect(sent()).toEqual([
      {
        messaging_product: 'whatsapp',
        call_id: expect.stringMatching(/^wacid\./),
        action: 'reject',
      },
    ]);
    handlers.seen.length = 0;
    await postSigned(app, webhookFixtureBytes('calls-terminate'));
    await postSigned(
      app,
      JSON.stringify(webhook.callStatus('RINGING', { direction: 'BUSINESS_INITIATED' })),
    );
    expect(handlers.seen).toEqual([
      'terminate:COMPLETED:118',
      'event:calls',
      'status:RINGING:-',
      'event:calls',
    ]);
  });

  it('group webhooks reach @OnWhatsAppEvent typed by field', async () => {
    await postSigned(app, webhookFixtureBytes('group-participants-add'));
    await postSigned(
      app,
      JSON.stringify(
        webhook.groupParticipantsAdded(GROUP, [{ waId: '15550001111' }, { waId: '15550002222' }]),
      ),
    );
    expect(handlers.seen).toEqual([
      'participants:group_participants_add:12025550147',
      'participants:group_participants_add:15550001111,15550002222',
    ]);
  });

  it("a call never waits behind the batch's other handlers: accepted while a slow message handler of the same POST still runs", async () => {
    // The message comes first in the batch; its handler only returns once the call was accepted
    // (or after 8 s). Run in batch order, the call would wait for it and the handler would time out.
    const body = JSON.stringify(
      webhook.batch(webhook.text({ body: 'slow' }), webhook.callConnect()),
    );
    const started = performance.now();
    const post = postSigned(app, body).then((r) => r);
    await graph.waitForRequests(2);
    const acceptMs = performance.now() - started;
    const res = await post;
    expect(res.status).toBe(200);
    expect(handlers.slowOutcome).toEqual(['accept-first']);
    expect(graph.requests.map((r) => (r.json as { action: string }).action)).toEqual([
      'pre_accept',
      'accept',
    ]);
    // Measured, not asserted (no timing assertions): printed for docs/calling.md.
    process.stdout.write(`webhook receipt -> accept request: ${acceptMs.toFixed(1)} ms\n`);
  });
});

// With a message store the dispatcher builds each handler's context from the store's parts (replies
// recorded once, ctx.conversation()): a call update must still get a context that answers the call.
describe('groups and calls with a message store', () => {
  let app: INestApplication;
  let handlers: GroupAndCallHandlers;

  beforeAll(async () => {
    graph = await FakeGraphApi.start();
    app = await createWebhookApp('express', {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'test-access-token',
          appSecret: APP_SECRET,
          baseUrl: graph.baseUrl,
          retry: false,
          dedupe: false,
          store: new MemoryMessageStore(),
        }),
      ],
      providers: [GroupAndCallHandlers],
    });
    handlers = app.get(GroupAndCallHandlers);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('@OnWhatsAppCall("connect") gets the call context: it pre-accepts and accepts', async () => {
    const res = await postSigned(app, webhookFixtureBytes('calls-connect'));
    expect(res.status).toBe(200);
    expect(handlers.seen).toEqual(['connect:USER_INITIATED:true:Maya Ortiz', 'event:calls']);
    expect(graph.requests.map((r) => (r.json as { action?: string }).action)).toEqual([
      'pre_accept',
      'accept',
    ]);
  });

  it('a group message is still answered in the group', async () => {
    graph.reset();
    handlers.seen.length = 0;
    await postSigned(
      app,
      webhookFixtureBytes('text-group').toString().replace('Is the store open on Sunday?', 'hi'),
    );
    expect(handlers.seen).toEqual([expect.stringMatching(/^group:Y2FwaV9ncm91c/)]);
    expect(graph.requests.map((r) => r.json)).toContainEqual(
      expect.objectContaining({ recipient_type: 'group' }),
    );
  });
});
