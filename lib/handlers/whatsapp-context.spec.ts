import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from '../types/webhook/incoming-message.js';
import type { WebhookContact } from '../types/webhook/webhook-contact.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { WhatsAppContext, type WhatsAppContextMessagesApi } from './whatsapp-context.js';

const origin = { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'P1' };
const sent: unknown[] = [];
const messages: WhatsAppContextMessagesApi = {
  send: (input) => {
    sent.push(input);
    return Promise.resolve({ messaging_product: 'whatsapp', contacts: [], messages: [] });
  },
  markAsRead: () => Promise.resolve(undefined),
  sendReaction: () =>
    Promise.resolve({ messaging_product: 'whatsapp', contacts: [], messages: [] }),
};

function update(message: Record<string, unknown>, contact?: unknown): WebhookUpdate {
  return {
    kind: 'message',
    key: 'm:wamid.1',
    origin,
    message: {
      id: 'wamid.1',
      timestamp: '1',
      type: 'text',
      ...message,
    } as unknown as IncomingMessage,
    ...(contact === undefined ? {} : { contact: contact as WebhookContact }),
  };
}

describe('WhatsAppContext with a hostile signed body', () => {
  it('takes only strings from the body: contact and reply target fields of other types are absent', async () => {
    const context = new WhatsAppContext(
      update(
        { from: 42, from_user_id: { a: 1 } },
        { wa_id: 7, user_id: null, profile: { name: ['x'], username: 3 } },
      ),
      messages,
    );
    expect(context.contact).toEqual({
      waId: undefined,
      userId: undefined,
      name: undefined,
      username: undefined,
    });
    // No recipient: a clear, isolated error of the helper (a rejected promise), not a send to 42.
    await expect(context.reply('hi')).rejects.toThrow(/neither "from" nor "from_user_id"/);
    expect(sent).toEqual([]);
  });

  it('a contact whose profile is null or a string is read as having no profile', () => {
    for (const profile of [null, 'x', 3]) {
      const context = new WhatsAppContext(
        update({ from: '111' }, { wa_id: '111', profile }),
        messages,
      );
      expect(context.contact).toEqual({
        waId: '111',
        userId: undefined,
        name: undefined,
        username: undefined,
      });
    }
  });

  it('well-formed messages keep their contact as before', () => {
    const context = new WhatsAppContext(
      update(
        { from: '111', from_user_id: 'U1' },
        { wa_id: '111', user_id: 'U1', profile: { name: 'Ann', username: 'ann' } },
      ),
      messages,
    );
    expect(context.contact).toEqual({ waId: '111', userId: 'U1', name: 'Ann', username: 'ann' });
  });
});

describe('WhatsAppContext.reply with an array', () => {
  it('sends each reply in order, after the previous one resolved, and stops at the first failure', async () => {
    const order: string[] = [];
    let inFlight = 0;
    const failing: WhatsAppContextMessagesApi = {
      ...messages,
      send: async (input) => {
        inFlight++;
        expect(inFlight).toBe(1); // each awaited: never two sends at once
        const body = (input as { text?: { body?: string } }).text?.body ?? input.type;
        order.push(body);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (body === 'two') throw new Error('refused');
        return { messaging_product: 'whatsapp', contacts: [], messages: [{ id: body }] };
      },
    };
    const context = new WhatsAppContext(update({ from: '111' }), failing);
    await expect(
      context.reply(['one', { type: 'text', text: { body: 'two' } }, 'three']),
    ).rejects.toThrow('refused');
    expect(order).toEqual(['one', 'two']);
    order.length = 0;
    const responses = await context.reply(['a', '', 'b']);
    expect(order).toEqual(['a', 'b']);
    expect(responses.map((r) => r.messages[0]?.id)).toEqual(['a', 'b']);
  });
});
