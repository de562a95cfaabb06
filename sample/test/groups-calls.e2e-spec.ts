import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createWebhookBuilder,
  FAKE_IDS,
  fakeGroupsOf,
  WhatsAppTestApp,
} from 'nestjs-whatsapp-cloud/testing';
import { MemoryMessageStore } from 'nestjs-whatsapp-cloud';
import { AppModule } from '../app.module.js';
import { OpeningHours } from '../bot/opening-hours.js';
import { REPLIES } from '../bot/replies.js';

// The sample's group command, welcome and call handler, through the public testing kit.
const USER = { waId: '12025550147', name: 'Maya Ortiz' };
const webhook = createWebhookBuilder({ contact: USER });
const MONDAY_NOON = new Date('2026-12-07T12:00:00Z');
const SUNDAY_NOON = new Date('2026-12-06T12:00:00Z');
const SUBJECT = "Maya Ortiz's group";

describe('sample bot: groups and calls', () => {
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    wa = await WhatsAppTestApp.create({
      imports: [AppModule.forRoot({ token: 'bot-test-api-token-0123456789', sandbox: false })],
    });
  });
  afterAll(() => wa.close());
  afterEach(() => wa.graph.reset());

  const callActions = () =>
    wa.graph
      .requestsTo('POST', `/${FAKE_IDS.phoneNumberId}/calls`)
      .map((r) => r.json as Record<string, unknown>);

  it('"group" creates a group, and sends its invite link once Meta confirms it', async () => {
    await wa.receive(webhook.text({ body: 'group' }));
    const [create] = wa.graph.requestsTo('POST', `/${FAKE_IDS.phoneNumberId}/groups`);
    expect(create?.json).toEqual({
      messaging_product: 'whatsapp',
      subject: SUBJECT,
      description: 'Created by the sample bot',
    });
    wa.graph.expectSent({ to: USER.waId, text: { body: REPLIES.groupCreating(SUBJECT) } });
    // Only one answer: the echo handler leaves the command alone.
    expect(wa.graph.sentMessages()).toHaveLength(1);

    const [group] = fakeGroupsOf(wa.graph.store);
    await wa.receive(
      webhook.groupCreated(
        group.id,
        { subject: SUBJECT, invite_link: group.invite_link },
        { request_id: group.requestId },
      ),
    );
    wa.graph.expectSent({
      to: USER.waId,
      text: { body: REPLIES.groupReady(SUBJECT, group.invite_link) },
    });
  });

  it('welcomes new members in the group, and answers a member in the group', async () => {
    await wa.receive(webhook.groupParticipantsAdded('G1', [{ waId: '15550001111' }]));
    wa.graph.expectSent({
      recipient_type: 'group',
      to: 'G1',
      text: { body: REPLIES.groupWelcome(1) },
    });
    await wa.receive(
      webhook.text({
        body: 'When do we meet?',
        groupId: 'G1',
        sender: { waId: '15550001111', name: 'Ben' },
      }),
    );
    wa.graph.expectSent({
      recipient_type: 'group',
      to: 'G1',
      text: { body: REPLIES.groupEcho('Ben', 'When do we meet?') },
    });
  });

  it('accepts a call during opening hours (pre-accept, then accept with an SDP answer)', async () => {
    wa.get(OpeningHours).now = () => MONDAY_NOON;
    await wa.receive(webhook.callConnect());
    const actions = callActions();
    expect(actions.map((a) => a.action)).toEqual(['pre_accept', 'accept']);
    expect(actions[1]).toMatchObject({
      session: { sdp_type: 'answer', sdp: expect.stringMatching(/^v=0\r\n[\s\S]*a=setup:active/) },
    });
  });

  it('rejects a call outside opening hours, with a message', async () => {
    wa.get(OpeningHours).now = () => SUNDAY_NOON;
    await wa.receive(webhook.callConnect());
    expect(callActions().map((a) => a.action)).toEqual(['reject']);
    wa.graph.expectSent({ to: USER.waId, text: { body: REPLIES.callClosed } });
  });
});

// `npm start` records into a message store: a caller who never wrote has no open window, so the
// closing-hours message is refused before any request; the call must still be rejected, once.
describe('sample bot: calls with a message store', () => {
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    wa = await WhatsAppTestApp.create({
      imports: [AppModule.forRoot({ token: 'bot-test-api-token-0123456789', sandbox: false })],
      options: { store: new MemoryMessageStore() },
    });
  });
  afterAll(() => wa.close());

  it('rejects a call outside opening hours from someone who never wrote: 200, rejected once', async () => {
    wa.get(OpeningHours).now = () => SUNDAY_NOON;
    expect((await wa.receive(webhook.callConnect())).status).toBe(200);
    expect(
      wa.graph
        .requestsTo('POST', `/${FAKE_IDS.phoneNumberId}/calls`)
        .map((r) => (r.json as Record<string, unknown>).action),
    ).toEqual(['reject']);
    expect(wa.graph.sentMessages()).toEqual([]);
  });
});
