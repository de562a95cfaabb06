import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { webhookFixture, webhookFixtureNames } from '../../../test/fixtures/webhook-fixtures.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { extractUpdates } from './extract-updates.js';

function updatesOf(body: unknown): WebhookUpdate[] {
  const result = extractUpdates(body);
  if (!result.ok) throw new Error(`not ok: ${result.reason}`);
  expect(result.skipped).toEqual([]);
  return result.updates;
}

/** A compact picture of an update: kind, then message type / status / event field. */
function shape(update: WebhookUpdate): string {
  switch (update.kind) {
    case 'message':
      return `message:${String(update.message.type)}`;
    case 'status':
      return `status:${update.status.status}`;
    case 'event':
      return `event:${update.origin.field}`;
    case 'call':
      return `call:${update.callType}`;
  }
}

// What every fixture must produce, in order.
const EXPECTED: Record<string, string[]> = {
  'calls-connect': ['call:connect', 'event:calls'],
  'calls-status-ringing': ['call:status', 'event:calls'],
  'calls-terminate': ['call:terminate', 'event:calls'],
  'group-join-request-created': ['event:group_participants_update'],
  'group-lifecycle-create': ['event:group_lifecycle_update'],
  'group-lifecycle-create-failed': ['event:group_lifecycle_update'],
  'group-participants-add': ['event:group_participants_update'],
  'group-participants-remove': ['event:group_participants_update'],
  'group-settings-update': ['event:group_settings_update'],
  'group-status-suspend': ['event:group_status_update'],
  'interactive-call-permission-reply': ['message:interactive'],
  'status-group-read': ['status:delivered', 'status:read'],
  'account-review-update': ['event:account_review_update'],
  'account-update-disabled': ['event:account_update'],
  'account-update-violation': ['event:account_update'],
  'audio-voice': ['message:audio'],
  'batch-multi': [
    'message:text',
    'message:text',
    'status:sent',
    'status:delivered',
    'event:message_template_status_update',
    'message:reaction',
  ],
  'business-capability-update': ['event:business_capability_update'],
  button: ['message:button'],
  contacts: ['message:contacts'],
  document: ['message:document'],
  edit: ['message:edit'],
  'errors-system': ['event:messages'],
  'future-type': ['message:hologram'],
  'history-declined': ['event:history'],
  history: ['event:history'],
  'image-no-url': ['message:image'],
  image: ['message:image'],
  'interactive-button-reply': ['message:interactive'],
  'interactive-list-reply': ['message:interactive'],
  'interactive-nfm-reply': ['message:interactive'],
  location: ['message:location'],
  order: ['message:order'],
  'phone-number-name-update': ['event:phone_number_name_update'],
  'phone-number-quality-update': ['event:phone_number_quality_update'],
  'reaction-removed': ['message:reaction'],
  reaction: ['message:reaction'],
  referral: ['message:text'],
  'request-welcome': ['message:request_welcome'],
  revoke: ['message:revoke'],
  security: ['event:security'],
  'smb-app-state-sync': ['event:smb_app_state_sync'],
  'smb-message-echoes': ['event:smb_message_echoes'],
  'status-bsuid': ['status:delivered'],
  'status-delivered': ['status:delivered'],
  'status-failed-131026': ['status:failed'],
  'status-failed': ['status:failed'],
  'status-played': ['status:played'],
  'status-read': ['status:read'],
  'status-sent-biz-opaque-callback-data': ['status:sent'],
  'status-sent-v24': ['status:sent'],
  'status-sent': ['status:sent'],
  sticker: ['message:sticker'],
  'system-identity-changed': ['message:system'],
  'system-user-changed-number': ['message:system'],
  'template-category-update-impending': ['event:template_category_update'],
  'template-category-update': ['event:template_category_update'],
  'template-quality-update': ['event:message_template_quality_update'],
  'template-status-update-disabled': ['event:message_template_status_update'],
  'template-status-update-rejected': ['event:message_template_status_update'],
  'template-status-update': ['event:message_template_status_update'],
  'text-bsuid': ['message:text'],
  'text-escapes': ['message:text'],
  'text-forwarded': ['message:text'],
  'text-frequently-forwarded': ['message:text'],
  'text-group': ['message:text'],
  'text-identity-key-hash': ['message:text'],
  'text-identity': ['message:text'],
  'text-referred-product': ['message:text'],
  'text-reply': ['message:text'],
  'text-username-only': ['message:text'],
  text: ['message:text'],
  'unknown-field': ['event:future_field'],
  unknown: ['message:unknown'],
  unsupported: ['message:unsupported'],
  'user-id-update': ['event:user_id_update'],
  video: ['message:video'],
};

describe('extractUpdates on fixtures', () => {
  it('has an expectation for every fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(webhookFixtureNames());
  });

  it.each(webhookFixtureNames())('%s gives the expected updates in order', (name) => {
    expect(updatesOf(webhookFixture(name)).map(shape)).toEqual(EXPECTED[name]);
  });

  it('keys messages by wamid, statuses by wamid and status, and hands Meta objects through uncopied', () => {
    const body = webhookFixture('batch-multi') as {
      entry: Array<{ changes: Array<{ value: { messages?: unknown[]; statuses?: unknown[] } }> }>;
    };
    const updates = updatesOf(body);
    const [first, second, sent, delivered, event, reaction] = updates;
    expect(first).toMatchObject({
      kind: 'message',
      key: 'm:wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQQkFUQ0gwMDAwMDAwMDAwMDAwMQAA=',
      origin: {
        businessAccountId: '184736291047562',
        field: 'messages',
        phoneNumberId: '109283746501928',
        displayPhoneNumber: '15557771234',
      },
      contact: { wa_id: '12025550147', profile: { name: 'Maya Ortiz' } },
    });
    expect(first.kind === 'message' && first.message).toBe(
      body.entry[0].changes[0].value.messages?.[0],
    );
    // The second message of the change is matched to its own sender among two contacts.
    expect(second).toMatchObject({ kind: 'message', contact: { wa_id: '447700900461' } });
    expect(sent.key).toBe('s:wamid.HBgLMTIwMjU1NTAxNDcVAgARGBJCQVRDSDAwMDAwMDAwMDAwMwA=:sent');
    expect(delivered.key).toBe(
      's:wamid.HBgLMTIwMjU1NTAxNDcVAgARGBJCQVRDSDAwMDAwMDAwMDAwMwA=:delivered',
    );
    expect(sent.kind === 'status' && sent.status).toBe(
      body.entry[0].changes[1].value.statuses?.[0],
    );
    expect(event).toMatchObject({
      kind: 'event',
      origin: { businessAccountId: '298374650192837', field: 'message_template_status_update' },
    });
    expect(event.origin.phoneNumberId).toBeUndefined();
    expect(event.key).toMatch(/^e:message_template_status_update:[0-9a-f]{40}$/);
    expect(reaction).toMatchObject({
      origin: { businessAccountId: '298374650192837', phoneNumberId: '109283746509999' },
      contact: { wa_id: '12025550175' },
    });
  });

  it('matches a username-only sender by user_id', () => {
    const [update] = updatesOf(webhookFixture('text-username-only'));
    expect(update).toMatchObject({
      kind: 'message',
      message: { from_user_id: 'US.80213377419926514430' },
      contact: { user_id: 'US.80213377419926514430', profile: { username: '@rin.codes' } },
    });
    expect(update.kind === 'message' && update.message.from).toBeUndefined();
  });

  it('gives a messages change that only carries errors as an event with the whole value', () => {
    const [update] = updatesOf(webhookFixture('errors-system'));
    expect(update).toMatchObject({
      kind: 'event',
      origin: { field: 'messages', phoneNumberId: '109283746501928' },
      value: { errors: [{ code: 130429 }] },
    });
  });

  it('gives a message without a contact when contacts are absent', () => {
    const [update] = updatesOf(webhookFixture('system-user-changed-number'));
    expect(update.kind === 'message' && 'contact' in update).toBe(false);
  });
});

const envelope = (changes: unknown[], entryExtra: Record<string, unknown> = {}): unknown => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', ...entryExtra, changes }],
});

describe('extractUpdates edge cases', () => {
  it.each([
    [null, 'body is not a JSON object'],
    [[], 'body is not a JSON object'],
    ['whatsapp_business_account', 'body is not a JSON object'],
    [42, 'body is not a JSON object'],
    [{}, 'object is not "whatsapp_business_account"'],
    [{ object: 'page', entry: [] }, 'object is not "whatsapp_business_account"'],
    [{ object: 'whatsapp_business_account' }, 'entry is not an array'],
    [{ object: 'whatsapp_business_account', entry: { secret: 'x' } }, 'entry is not an array'],
  ])('refuses %j: %s', (body, reason) => {
    expect(extractUpdates(body)).toEqual({ ok: false, reason });
  });

  it('accepts an empty batch', () => {
    expect(extractUpdates({ object: 'whatsapp_business_account', entry: [] })).toEqual({
      ok: true,
      updates: [],
      skipped: [],
    });
  });

  it('skips malformed messages, statuses, changes and entries, listing where and why', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        'not an entry',
        { id: '1', changes: 'nope' },
        {
          id: '2',
          changes: [
            null,
            { value: {} },
            {
              field: 'messages',
              value: {
                messages: [
                  7,
                  { type: 'text' },
                  { id: '', type: 'text' },
                  { id: 'a' },
                  { id: 'ok', type: 'text' },
                ],
                statuses: [{ id: 's', status: 'sent' }, { id: 's2' }, [], { status: 'read' }],
              },
            },
          ],
        },
      ],
    };
    const result = extractUpdates(body);
    expect(result.ok && result.updates.map((u) => u.key)).toEqual(['m:ok', 's:s:sent']);
    expect(result.ok && result.skipped).toEqual([
      { path: 'entry[0]', reason: 'not an object' },
      { path: 'entry[1].changes', reason: 'not an array' },
      { path: 'entry[2].changes[0]', reason: 'not an object' },
      { path: 'entry[2].changes[1].field', reason: 'not a string' },
      { path: 'entry[2].changes[2].messages[0]', reason: 'not an object' },
      { path: 'entry[2].changes[2].messages[1]', reason: 'missing id' },
      { path: 'entry[2].changes[2].messages[2]', reason: 'missing id' },
      { path: 'entry[2].changes[2].messages[3]', reason: 'missing type' },
      { path: 'entry[2].changes[2].statuses[1]', reason: 'missing status' },
      { path: 'entry[2].changes[2].statuses[2]', reason: 'not an object' },
      { path: 'entry[2].changes[2].statuses[3]', reason: 'missing id' },
    ]);
  });

  it('emits change-level errors next to messages as an event after them', () => {
    const value = { messages: [{ id: 'm1', type: 'text' }], errors: [{ code: 1 }] };
    const result = extractUpdates(envelope([{ field: 'messages', value }]));
    expect(result.ok && result.updates.map((u) => u.kind)).toEqual(['message', 'event']);
  });

  it('treats a messages change whose value is not an object as an event', () => {
    const result = extractUpdates(envelope([{ field: 'messages', value: 'odd' }]));
    expect(result.ok && result.updates).toMatchObject([{ kind: 'event', value: 'odd' }]);
  });

  it('passes an event with no value through', () => {
    const result = extractUpdates(envelope([{ field: 'security' }]));
    expect(result.ok && result.updates).toMatchObject([{ kind: 'event', value: undefined }]);
  });

  it('falls back to the only contact, and to none among several that do not match', () => {
    const one = extractUpdates(
      envelope([
        {
          field: 'messages',
          value: { contacts: [{ wa_id: 'x' }], messages: [{ id: 'a', type: 'text' }] },
        },
      ]),
    );
    expect(one.ok && one.updates[0]).toMatchObject({ contact: { wa_id: 'x' } });
    const many = extractUpdates(
      envelope([
        {
          field: 'messages',
          value: {
            contacts: [{ wa_id: 'x' }, { wa_id: 'y' }],
            messages: [{ id: 'a', from: 'z', type: 'text' }],
          },
        },
      ]),
    );
    expect(
      many.ok && many.updates[0].kind === 'message' && many.updates[0].contact,
    ).toBeUndefined();
  });

  it('keys events by content: key order does not matter, account, time and value do', () => {
    const key = (body: unknown): string => {
      const result = extractUpdates(body);
      return result.ok ? result.updates[0].key : 'not ok';
    };
    const a = key(
      envelope([{ field: 'security', value: { event: 'PIN_CHANGED', n: 1 } }], { time: 5 }),
    );
    const b = key(
      envelope([{ value: { n: 1, event: 'PIN_CHANGED' }, field: 'security' }], { time: 5 }),
    );
    const c = key(
      envelope([{ field: 'security', value: { event: 'PIN_CHANGED', n: 1 } }], { time: 6 }),
    );
    const d = key(
      envelope([{ field: 'security', value: { event: 'PIN_CHANGED', n: 2 } }], { time: 5 }),
    );
    expect(a).toMatch(/^e:security:[0-9a-f]{40}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
  });

  it('keys a redelivery of the same bytes alike', () => {
    const first = extractUpdates(webhookFixture('template-status-update'));
    const again = extractUpdates(webhookFixture('template-status-update'));
    expect(first.ok && first.updates[0].key).toBe(again.ok && again.updates[0].key);
  });

  it('does not pollute prototypes through __proto__ keys', () => {
    const body: unknown = JSON.parse(
      '{"object":"whatsapp_business_account","__proto__":{"polluted":1},"entry":[{"id":"1","__proto__":{"polluted":2},' +
        '"changes":[{"field":"messages","value":{"__proto__":{"polluted":3},"contacts":[{"__proto__":{"polluted":4}}],' +
        '"messages":[{"id":"x","type":"text","__proto__":{"polluted":5}}]}},{"field":"__proto__","value":{"__proto__":{"polluted":6}}}]}]}',
    );
    const result = extractUpdates(body);
    expect(result.ok && result.updates.map((u) => u.key.slice(0, 12))).toEqual([
      'm:x',
      'e:__proto__:',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('hashes a deeply nested event value without overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const result = extractUpdates(envelope([{ field: 'future_field', value: deep }]));
    expect(result.ok && result.updates[0].key).toMatch(/^e:future_field:[0-9a-f]{40}$/);
  });
});

/** Checks the invariants of a result, whatever the input. */
function checkResult(body: unknown): void {
  const result = extractUpdates(body);
  if (!result.ok) {
    expect(typeof result.reason).toBe('string');
    return;
  }
  for (const update of result.updates) {
    expect(typeof update.key).toBe('string');
    expect(typeof update.origin.businessAccountId).toBe('string');
    expect(typeof update.origin.field).toBe('string');
    if (update.kind === 'message') {
      expect(update.key).toBe(`m:${update.message.id}`);
      expect(typeof update.message.type).toBe('string');
    } else if (update.kind === 'status') {
      expect(update.key).toBe(`s:${update.status.id}:${update.status.status}`);
    } else if (update.kind === 'call') {
      // A call comes from a `calls` change, with a string id and event (or status).
      expect(update.origin.field).toBe('calls');
      const state = update.callType === 'status' ? update.call.status : update.call.event;
      expect(typeof update.call.id).toBe('string');
      expect(typeof state).toBe('string');
      if (update.call.id.length + String(state).length < 120) {
        expect(update.key).toBe(`c:${update.call.id}:${String(state)}`);
      }
    } else {
      expect(update.key.startsWith(`e:${update.origin.field}:`)).toBe(true);
    }
  }
}

/** Replaces the node at a random path of `root` with `replacement` (or deletes it), in a deep copy. */
function mutate(root: unknown, choices: number[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (let depth = 0; depth < choices.length; depth++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[choices[depth] % keys.length];
    const child = (node as Record<string, unknown>)[key];
    const last = depth === choices.length - 1 || child === null || typeof child !== 'object';
    if (last) {
      if (remove && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
      else (node as Record<string, unknown>)[key] = replacement;
      break;
    }
    node = child;
  }
  return copy;
}

describe('extractUpdates never throws', () => {
  const fixtures = webhookFixtureNames().map((name) => webhookFixture(name));

  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        checkResult(value);
      }),
      { numRuns: 2000, seed: 20260325 },
    );
  });

  it('on arbitrary JSON inside a WhatsApp envelope', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.string(), (entryValue, changeValue, field) => {
        checkResult({ object: 'whatsapp_business_account', entry: [entryValue] });
        checkResult(envelope([{ field, value: changeValue }]));
        checkResult(
          envelope([
            { field: 'messages', value: { messages: [changeValue], statuses: [entryValue] } },
          ]),
        );
      }),
      { numRuns: 2000, seed: 777 },
    );
  });

  it('on mutated fixtures', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: fixtures.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.boolean(),
        (index, choices, replacement, remove) => {
          checkResult(mutate(fixtures[index], choices, replacement, remove));
        },
      ),
      { numRuns: 2000, seed: 4242 },
    );
  });

  describe('sender contacts: indexed once per change, same answer as a scan', () => {
    /** What extractUpdates did before the index: the first matching contact, else the only one. */
    function scan(contacts: unknown[], message: Record<string, unknown>): unknown {
      const from = typeof message.from === 'string' ? message.from : undefined;
      const userId = typeof message.from_user_id === 'string' ? message.from_user_id : undefined;
      const isObj = (v: unknown): v is Record<string, unknown> =>
        typeof v === 'object' && v !== null && !Array.isArray(v);
      for (const contact of contacts) {
        if (!isObj(contact)) continue;
        if (
          (from !== undefined && contact.wa_id === from) ||
          (userId !== undefined && contact.user_id === userId)
        ) {
          return contact;
        }
      }
      return contacts.length === 1 && isObj(contacts[0]) ? contacts[0] : undefined;
    }

    const body = (contacts: unknown[], messages: unknown[]) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { contacts, messages } }] }],
    });

    it('picks the same contact object as a scan, for short and long contact lists (property)', () => {
      const ids = fc.constantFrom('1', '2', '3', '4', 'U1', 'U2', '__proto__', 'constructor');
      const contact = fc.oneof(
        fc.record({ wa_id: fc.oneof(ids, fc.integer()), user_id: ids }, { requiredKeys: [] }),
        fc.constantFrom(null, 1, 'x', [] as unknown[]),
      );
      const message = fc.record(
        { from: fc.oneof(ids, fc.integer()), from_user_id: ids },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(
          fc.array(contact, { maxLength: 40 }),
          fc.array(message, { minLength: 1, maxLength: 6 }),
          (contacts, messages) => {
            const withIds = messages.map((m, i) => ({ ...m, id: `w${i}`, type: 'text' }));
            const result = extractUpdates(body(contacts, withIds));
            if (!result.ok) throw new Error('not ok');
            result.updates.forEach((update, i) => {
              const expected = scan(contacts, withIds[i]);
              expect(update.kind === 'message' ? update.contact : 'not a message').toBe(expected);
            });
          },
        ),
        { numRuns: 1000, seed: 1010 },
      );
    });

    it('20 000 messages × 50 000 contacts: each message gets its own sender (the first of equal wa_ids)', () => {
      const contacts = Array.from({ length: 50_000 }, (_, i) => ({ wa_id: String(i % 49_000) }));
      const messages = Array.from({ length: 20_000 }, (_, i) => ({
        id: `w${i}`,
        type: 'text',
        from: String(48_999 - i),
      }));
      const result = extractUpdates(body(contacts, messages));
      if (!result.ok) throw new Error('not ok');
      expect(result.updates).toHaveLength(20_000);
      result.updates.forEach((update, i) => {
        expect(update.kind === 'message' && update.contact).toBe(contacts[48_999 - i]);
      });
    });
  });

  describe('de-duplication keys take bounded bytes', () => {
    const wrap = (value: unknown, field = 'messages') => ({
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field, value }] }],
    });

    it('keeps the keys of real ids exactly as they were (m:<wamid>, s:<wamid>:<status>)', () => {
      const wamid = 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQzQUI4RjNGMjQ0QTk1RkM4QzJFMQA=';
      const [message, status] = updatesOf(
        wrap({
          messages: [{ id: wamid, type: 'text' }],
          statuses: [{ id: wamid, status: 'delivered' }],
        }),
      );
      expect(message.key).toBe(`m:${wamid}`);
      expect(status.key).toBe(`s:${wamid}:delivered`);
      const at = 'x'.repeat(128);
      expect(updatesOf(wrap({ messages: [{ id: at, type: 'text' }] }))[0].key).toBe(`m:${at}`);
    });

    it('hashes an id part longer than 128 characters: a 1 MB message id gives a 52-character key', () => {
      const huge = 'w'.repeat(1024 * 1024);
      const [a, b, c, status] = updatesOf(
        wrap({
          messages: [
            { id: huge, type: 'text' },
            { id: huge, type: 'image' },
            { id: `${huge}x`, type: 'text' },
          ],
          statuses: [{ id: 'wamid.1', status: 's'.repeat(200) }],
        }),
      );
      expect(a.key).toMatch(/^m:sha256:[A-Za-z0-9_-]{43}$/);
      expect(b.key).toBe(a.key);
      expect(c.key).not.toBe(a.key);
      expect(status.key).toMatch(/^s:sha256:[A-Za-z0-9_-]{43}$/);
      const [event] = updatesOf(wrap({ x: 1 }, 'f'.repeat(300)));
      expect(event.key).toMatch(/^e:sha256:[A-Za-z0-9_-]{43}$/);
      expect(event.origin.field).toBe('f'.repeat(300));
    });
  });
});
