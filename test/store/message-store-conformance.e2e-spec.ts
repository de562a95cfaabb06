// ONE conformance suite for every MessageStore: in memory, PGlite and a real PostgreSQL server
// (DATABASE_URL). Whatever one implementation answers, the others answer the same.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  statusRank,
  type IncomingRecord,
  type MessageStore,
  type StatusRecord,
  type WebhookRecordBatch,
} from '../../lib/types/ports/message-store.js';
import { conversationState } from '../../lib/store/conversation-state.js';
import { storeBackends, warnIfNoDatabase } from './support/store-backends.js';

warnIfNoDatabase('message-store-conformance');

const PN = '1000';
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

function incoming(wamid: string, at: number, extra: Partial<IncomingRecord> = {}): IncomingRecord {
  return {
    wamid,
    phoneNumberId: PN,
    user: '491700000001',
    type: 'text',
    at,
    adReferral: false,
    raw: { id: wamid, from: '491700000001', type: 'text', text: { body: `hi ${wamid}` } },
    ...extra,
  };
}

function status(
  wamid: string,
  name: string,
  at: number,
  extra: Partial<StatusRecord> = {},
): StatusRecord {
  return {
    wamid,
    status: name,
    rank: statusRank(name),
    at,
    raw: { id: wamid, status: name, timestamp: String(at / 1000), recipient_id: '491700000001' },
    ...extra,
  };
}

function batch(parts: Partial<WebhookRecordBatch>): WebhookRecordBatch {
  return { incoming: [], statuses: [], annotations: [], ...parts };
}

describe.each(storeBackends())('MessageStore conformance: $name', (backend) => {
  let store: MessageStore;

  beforeEach(async () => {
    store = await backend.create();
  });

  afterAll(() => backend.close());

  it('records incoming messages once (a redelivery changes nothing) with their raw JSON', async () => {
    await store.recordWebhook(batch({ incoming: [incoming('wamid.A', T0)] }));
    await store.recordWebhook(
      batch({ incoming: [incoming('wamid.A', T0 + 5, { type: 'image' })] }),
    );
    const message = await store.message('wamid.A');
    expect(message).toEqual({
      id: 'wamid.A',
      wamid: 'wamid.A',
      direction: 'in',
      phoneNumberId: PN,
      user: '491700000001',
      type: 'text',
      at: T0,
      status: 'received',
      payload: { id: 'wamid.A', from: '491700000001', type: 'text', text: { body: 'hi wamid.A' } },
      adReferral: false,
      statuses: [],
    });
    expect(await store.message('wamid.unknown')).toBeUndefined();
  });

  it('pages a conversation newest first, by cursor, and filters by number', async () => {
    const records = Array.from({ length: 7 }, (_, i) => incoming(`wamid.H${i}`, T0 + i * 1000));
    // Two messages at the same millisecond: the id breaks the tie, no message is skipped or repeated.
    records.push(incoming('wamid.H3b', T0 + 3000));
    records.push(incoming('wamid.other', T0, { user: '491700000002' }));
    records.push(incoming('wamid.pn2', T0 + 10_000, { phoneNumberId: '2000' }));
    await store.recordWebhook(batch({ incoming: records }));
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await store.history({
        user: '491700000001',
        phoneNumberId: PN,
        limit: 3,
        before,
      });
      seen.push(...result.messages.map((m) => m.id));
      if (result.next === undefined) break;
      before = result.next;
    }
    expect(seen).toEqual([
      'wamid.H6',
      'wamid.H5',
      'wamid.H4',
      'wamid.H3b',
      'wamid.H3',
      'wamid.H2',
      'wamid.H1',
      'wamid.H0',
    ]);
    const all = await store.history({ user: '491700000001' });
    expect(all.messages.map((m) => m.id)[0]).toBe('wamid.pn2');
    expect(all.messages).toHaveLength(9);
    expect(all.next).toBeUndefined();
  });

  it('records a send pending, then sent with its wamid; or failed with the Graph error', async () => {
    await store.recordSend({
      id: 'out:1',
      phoneNumberId: PN,
      user: '491700000001',
      type: 'text',
      at: T0,
      payload: { type: 'text', text: { body: 'hello' } },
    });
    expect((await store.history({ user: '491700000001' })).messages[0]).toMatchObject({
      id: 'out:1',
      direction: 'out',
      status: 'pending',
    });
    await store.completeSend('out:1', { wamid: 'wamid.OUT1', at: T0 + 50 });
    expect(await store.message('wamid.OUT1')).toMatchObject({
      id: 'out:1',
      wamid: 'wamid.OUT1',
      status: 'sent',
      statusAt: T0 + 50,
    });

    await store.recordSend({
      id: 'out:2',
      phoneNumberId: PN,
      user: 'u2',
      type: 'text',
      at: T0,
      payload: {},
    });
    const error = { status: 400, code: 131047, message: 'Re-engagement message' };
    await store.completeSend('out:2', { error, at: T0 + 10 });
    const [failed] = await store.messages({ status: 'failed' });
    expect(failed).toMatchObject({ id: 'out:2', status: 'failed', error });
    expect(failed.wamid).toBeUndefined();
  });

  it('moves statuses only forward: a late delivered never overwrites read; the trail keeps all', async () => {
    await store.recordSend({
      id: 'out:3',
      phoneNumberId: PN,
      user: 'u',
      type: 'text',
      at: T0,
      payload: {},
    });
    await store.completeSend('out:3', { wamid: 'wamid.S', at: T0 + 1 });
    const pricing = { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' };
    await store.recordWebhook(
      batch({ statuses: [status('wamid.S', 'sent', T0 + 1000, { pricing })] }),
    );
    await store.recordWebhook(batch({ statuses: [status('wamid.S', 'read', T0 + 3000)] }));
    await store.recordWebhook(batch({ statuses: [status('wamid.S', 'delivered', T0 + 2000)] }));
    // The same status again (a redelivery): nothing changes.
    await store.recordWebhook(batch({ statuses: [status('wamid.S', 'read', T0 + 9000)] }));
    // A redelivered status with other pricing changes nothing either (the first one counted).
    const other = {
      billable: false,
      pricing_model: 'PMP',
      category: 'service',
      type: 'free_customer_service',
    };
    await store.recordWebhook(
      batch({ statuses: [status('wamid.S', 'sent', T0 + 9500, { pricing: other })] }),
    );
    const message = await store.message('wamid.S');
    expect(message).toMatchObject({ status: 'read', statusAt: T0 + 3000, pricing });
    expect(message?.statuses.map((s) => [s.status, s.at])).toEqual([
      ['sent', T0 + 1000],
      ['delivered', T0 + 2000],
      ['read', T0 + 3000],
    ]);
  });

  it('keeps Meta’s error on failed, and applies statuses that arrived before the send response', async () => {
    const errors = [{ code: 131026, title: 'Message undeliverable' }];
    await store.recordSend({
      id: 'out:4',
      phoneNumberId: PN,
      user: 'u',
      type: 'text',
      at: T0,
      payload: {},
    });
    // delivered and failed in one batch, before the response that names the wamid.
    await store.recordWebhook(
      batch({
        statuses: [
          status('wamid.F', 'sent', T0 + 100),
          status('wamid.F', 'failed', T0 + 200, {
            errors,
            raw: { id: 'wamid.F', status: 'failed', errors },
          }),
        ],
      }),
    );
    await store.completeSend('out:4', { wamid: 'wamid.F', at: T0 + 300 });
    expect(await store.message('wamid.F')).toMatchObject({
      status: 'failed',
      statusAt: T0 + 200,
      error: errors,
    });
    await store.recordWebhook(batch({ statuses: [status('wamid.F', 'delivered', T0 + 400)] }));
    expect((await store.message('wamid.F'))?.status).toBe('failed');
  });

  it('finds messages by status and time ("failed in the last hour"), newest first', async () => {
    for (let i = 0; i < 4; i++) {
      await store.recordSend({
        id: `out:t${i}`,
        phoneNumberId: PN,
        user: 'u',
        type: 'text',
        at: T0 + i * HOUR,
        payload: {},
      });
      await store.completeSend(`out:t${i}`, { error: { code: 1 }, at: T0 + i * HOUR });
    }
    await store.recordWebhook(batch({ incoming: [incoming('wamid.in', T0 + 3 * HOUR)] }));
    const lastHour = await store.messages({ status: 'failed', since: T0 + 2 * HOUR + 1 });
    expect(lastHour.map((m) => m.id)).toEqual(['out:t3']);
    const window = await store.messages({
      status: ['failed', 'received'],
      since: new Date(T0 + HOUR),
      until: T0 + 3 * HOUR,
    });
    expect(window.map((m) => m.id)).toEqual(['out:t2', 'out:t1']);
    expect((await store.messages({ direction: 'in' })).map((m) => m.id)).toEqual(['wamid.in']);
    expect(await store.messages({ limit: 2 })).toHaveLength(2);
  });

  it('knows the window: 24 h after the last inbound message, 72 h after one from an ad', async () => {
    const user = '491700000009';
    expect(await store.inboundFacts({ phoneNumberId: PN, user })).toEqual({});
    await store.recordWebhook(
      batch({
        incoming: [
          incoming('wamid.ad', T0, { user, adReferral: true }),
          incoming('wamid.later', T0 + 10 * HOUR, { user }),
          incoming('wamid.elsewhere', T0 + 50 * HOUR, { user, phoneNumberId: '2000' }),
        ],
      }),
    );
    const facts = await store.inboundFacts({ phoneNumberId: PN, user });
    expect(facts).toEqual({ lastInboundAt: T0 + 10 * HOUR, lastAdInboundAt: T0 });
    const at40h = conversationState({ phoneNumberId: PN, user }, facts, T0 + 40 * HOUR);
    expect(at40h).toMatchObject({
      windowOpen: true,
      windowOpenUntil: T0 + 72 * HOUR,
      freeEntryPoint: true,
    });
    expect(conversationState({ phoneNumberId: PN, user }, facts, T0 + 72 * HOUR).windowOpen).toBe(
      false,
    );
  });

  it('applies reactions, edits and revokes to the message they target', async () => {
    await store.recordSend({
      id: 'out:r',
      phoneNumberId: PN,
      user: 'u',
      type: 'text',
      at: T0,
      payload: {},
    });
    await store.completeSend('out:r', { wamid: 'wamid.R', at: T0 });
    // The edited message is recorded in the same POST as its edit.
    await store.recordWebhook(
      batch({
        incoming: [
          incoming('wamid.E', T0 + 1),
          incoming('wamid.react', T0 + 2, { type: 'reaction' }),
        ],
        annotations: [
          { kind: 'reaction', target: 'wamid.R', at: T0 + 2, emoji: '👍' },
          {
            kind: 'edit',
            target: 'wamid.E',
            at: T0 + 3,
            content: { type: 'text', text: { body: 'fixed' } },
          },
        ],
      }),
    );
    expect(await store.message('wamid.R')).toMatchObject({ reaction: '👍' });
    expect(await store.message('wamid.E')).toMatchObject({
      editedAt: T0 + 3,
      edit: { type: 'text', text: { body: 'fixed' } },
    });
    await store.recordWebhook(
      batch({
        annotations: [
          { kind: 'reaction', target: 'wamid.R', at: T0 + 4, emoji: '' },
          { kind: 'revoke', target: 'wamid.E', at: T0 + 5 },
        ],
      }),
    );
    expect((await store.message('wamid.R'))?.reaction).toBeUndefined();
    expect(await store.message('wamid.E')).toMatchObject({ revokedAt: T0 + 5 });
  });

  it('claims a reply once: sending, then sent with Meta’s response; a release lets a re-run send it', async () => {
    const response = {
      messaging_product: 'whatsapp' as const,
      contacts: [{ input: '491700000001', wa_id: '491700000001' }],
      messages: [{ id: 'wamid.REPLY' }],
    };
    expect(await store.claimReply('m:wamid.A|Bot.onText|0', T0)).toEqual({ state: 'claimed' });
    expect(await store.claimReply('m:wamid.A|Bot.onText|0', T0 + 1)).toEqual({
      state: 'sending',
      since: T0,
    });
    await store.completeReply('m:wamid.A|Bot.onText|0', response, T0 + 2);
    expect(await store.claimReply('m:wamid.A|Bot.onText|0', T0 + 3)).toEqual({
      state: 'sent',
      response,
    });

    expect(await store.claimReply('m:wamid.A|Bot.onText|1', T0)).toEqual({ state: 'claimed' });
    await store.releaseReply('m:wamid.A|Bot.onText|1');
    expect(await store.claimReply('m:wamid.A|Bot.onText|1', T0)).toEqual({ state: 'claimed' });
    // A release never forgets a reply that was sent.
    await store.releaseReply('m:wamid.A|Bot.onText|0');
    expect((await store.claimReply('m:wamid.A|Bot.onText|0', T0)).state).toBe('sent');
  });

  it('purges by age: messages, status trails and replies older than the cutoff', async () => {
    await store.recordWebhook(
      batch({ incoming: [incoming('wamid.old', T0), incoming('wamid.new', T0 + 48 * HOUR)] }),
    );
    await store.recordSend({
      id: 'out:p',
      phoneNumberId: PN,
      user: 'u',
      type: 'text',
      at: T0,
      payload: {},
    });
    await store.completeSend('out:p', { wamid: 'wamid.P', at: T0 });
    await store.recordWebhook(batch({ statuses: [status('wamid.P', 'delivered', T0 + 1)] }));
    await store.claimReply('old-reply', T0);
    expect(await store.purge(new Date(T0 + 24 * HOUR))).toBe(2);
    expect(await store.message('wamid.old')).toBeUndefined();
    expect(await store.message('wamid.P')).toBeUndefined();
    expect(await store.message('wamid.new')).toBeDefined();
    expect(await store.claimReply('old-reply', T0 + 48 * HOUR)).toEqual({ state: 'claimed' });
    expect(await store.purge(T0)).toBe(0);
  });

  it('writes a 1000-update batch at once', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => incoming(`wamid.B${i}`, T0 + i));
    await store.recordWebhook(batch({ incoming: records }));
    const page = await store.history({ user: '491700000001', limit: 500 });
    expect(page.messages).toHaveLength(500);
    expect(page.messages[0].id).toBe('wamid.B999');
    expect(page.next).toBeDefined();
  });
});
