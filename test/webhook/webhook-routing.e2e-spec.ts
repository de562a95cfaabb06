import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import {
  webhookFixture,
  webhookFixtureBytes,
  webhookFixtureNames,
} from '../fixtures/webhook-fixtures.js';
import {
  EVENT_FIELDS,
  MESSAGE_TYPES,
  Recorder,
  RoutingHandlers,
  STATUSES,
} from './support/recorder.js';
import {
  APP_SECRET,
  PLATFORMS,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';

type Obj = Record<string, unknown>;

interface Expected {
  handler: string;
  payload: unknown;
  context: Obj;
}

const known = (list: readonly string[], name: unknown): boolean =>
  typeof name === 'string' && list.includes(name);

/**
 * What the handlers must receive for a body, worked out from the JSON directly (not through the
 * library's parser): every message, status and event, with the catch-all and the specific handler.
 */
function expectedCalls(body: unknown): Expected[] {
  const calls: Expected[] = [];
  for (const entry of (body as { entry: Obj[] }).entry) {
    for (const change of entry.changes as Obj[]) {
      const value = change.value as Obj;
      const field = change.field as string;
      const metadata = value.metadata as Obj | undefined;
      const origin = {
        businessAccountId: entry.id,
        field,
        phoneNumberId: metadata?.phone_number_id,
        displayPhoneNumber: metadata?.display_phone_number,
      };
      const messages = value.messages as Obj[] | undefined;
      const statuses = value.statuses as Obj[] | undefined;
      if (field === 'messages' && (messages !== undefined || statuses !== undefined)) {
        for (const message of messages ?? []) {
          const contact = ((value.contacts as Obj[] | undefined) ?? []).find(
            (c) =>
              (c.wa_id !== undefined && c.wa_id === message.from) ||
              (c.user_id !== undefined && c.user_id === message.from_user_id),
          );
          const profile = contact?.profile as Obj | undefined;
          const context = {
            ...origin,
            kind: 'message',
            contact: {
              waId: contact?.wa_id ?? message.from,
              userId: contact?.user_id ?? message.from_user_id,
              name: profile?.name,
              username: profile?.username,
            },
          };
          calls.push({ handler: 'message_any', payload: message, context });
          if (known(MESSAGE_TYPES, message.type)) {
            calls.push({ handler: `message_${String(message.type)}`, payload: message, context });
          }
        }
        for (const status of statuses ?? []) {
          const context = { ...origin, kind: 'status', contact: undefined };
          calls.push({ handler: 'status_any', payload: status, context });
          if (known(STATUSES, status.status)) {
            calls.push({ handler: `status_${String(status.status)}`, payload: status, context });
          }
        }
      } else {
        const context = { ...origin, kind: 'event', contact: undefined };
        calls.push({ handler: 'event_any', payload: value, context });
        if (known(EVENT_FIELDS, field))
          calls.push({ handler: `event_${field}`, payload: value, context });
      }
    }
  }
  return calls;
}

const sortKey = (c: { handler: string; payload: unknown }): string =>
  `${c.handler} ${JSON.stringify(c.payload)}`;

describe.each(PLATFORMS)('handler routing on %s', (platform: Platform) => {
  let app: INestApplication;
  let recorder: Recorder;

  beforeAll(async () => {
    app = await createWebhookApp(platform, {
      // De-duplication off: several fixtures share message ids.
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET, dedupe: false })],
      providers: [Recorder, RoutingHandlers],
    });
    recorder = app.get(Recorder);
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => recorder.clear());

  it.each(webhookFixtureNames())(
    '%s reaches exactly the right handlers with the right payload and context',
    async (name) => {
      const res = await postSigned(app, webhookFixtureBytes(name));
      expect(res.status).toBe(200);
      const expected = expectedCalls(webhookFixture(name));
      expect(expected.length).toBeGreaterThan(0);
      const actual = recorder.calls.map((call) => ({
        handler: call.handler,
        payload: call.payload,
        context: {
          businessAccountId: call.context.businessAccountId,
          field: call.context.field,
          phoneNumberId: call.context.phoneNumberId,
          displayPhoneNumber: call.context.displayPhoneNumber,
          kind: call.context.kind,
          contact: call.context.contact,
        },
      }));
      expect([...actual].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
        [...expected].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
      );
      for (const call of recorder.calls) expect(call.context.payload).toBe(call.payload);
    },
  );

  it('sends types Meta adds later to catch-all message handlers only', async () => {
    await postSigned(app, webhookFixtureBytes('future-type'));
    expect(recorder.names()).toEqual(['message_any']);
  });

  it('sends unknown webhook fields to catch-all event handlers only', async () => {
    await postSigned(app, webhookFixtureBytes('unknown-field'));
    expect(recorder.names()).toEqual(['event_any']);
  });

  it('sends a change that only carries errors to event handlers (field "messages")', async () => {
    await postSigned(app, webhookFixtureBytes('errors-system'));
    expect(recorder.names().sort()).toEqual(['event_any', 'event_messages']);
    expect(recorder.calls[0].payload).toMatchObject({ errors: [{ code: 130429 }] });
  });
});
