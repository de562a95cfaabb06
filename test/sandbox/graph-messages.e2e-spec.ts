import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call, userSays, type GraphErrorBody } from './sandbox-http.js';

const V = '/v26.0';
const PNID = '109283746501928';
const MAYA = '12025550147';
const LEO = '447700900123';

describe('WhatsAppSandbox: POST /{phone-number-id}/messages', () => {
  let sandbox: WhatsAppSandbox;
  const send = (json: unknown, token?: string | null) =>
    call<Record<string, unknown>>(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, {
      json,
      token,
    });
  const sendError = (json: unknown, token?: string | null) =>
    call<GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/${PNID}/messages`, { json, token });
  const text = (to: string, body: string) => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body },
  });

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: 'app-secret',
      accessToken: 'test-token',
      phoneNumberId: PNID,
    });
    await userSays(sandbox.baseUrl, MAYA, 'hello');
  });
  afterAll(() => sandbox.close());

  it('accepts a text inside the customer service window and answers like Meta, with a wamid', async () => {
    const res = await send(text(`+${MAYA}`, 'Hi *Maya*'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${MAYA}`, wa_id: MAYA }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+=*$/) }],
    });
    const id = (res.json.messages as Array<{ id: string }>)[0]?.id as string;
    expect(Buffer.from(id.slice(6), 'base64').toString('latin1')).toContain(MAYA);
    expect(sandbox.store.messages.get(id)).toMatchObject({ from: 'bot', waId: MAYA, type: 'text' });
  });

  it('refuses a free-form message outside the 24-hour window with 131047', async () => {
    const res = await sendError(text(LEO, 'Are you there?'));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      code: 131047,
      error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('24 hours') },
      fbtrace_id: expect.any(String),
    });
  });

  it('sends an approved template outside the window, with message_status accepted', async () => {
    const res = await send({
      messaging_product: 'whatsapp',
      to: '5511987654321',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([{ id: expect.any(String), message_status: 'accepted' }]);
    // A template to a new number opens a new chat on the page.
    expect(sandbox.store.users.get('5511987654321')).toBeDefined();
  });

  it('answers 132001 (HTTP 404) for an unknown template or language', async () => {
    for (const template of [
      { name: 'no_such_template', language: { code: 'en_US' } },
      { name: 'hello_world', language: { code: 'pt_BR' } },
    ]) {
      const res = await sendError({
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'template',
        template,
      });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe(132001);
      expect(res.json.error.error_data?.details).toContain(template.name);
    }
  });

  it('answers 132000 when the number of template parameters does not match', async () => {
    const res = await sendError({
      messaging_product: 'whatsapp',
      to: MAYA,
      type: 'template',
      template: {
        name: 'hello_world',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'extra' }] }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(132000);
    expect(res.json.error.error_data?.details).toMatch(
      /body: number of localizable_params \(1\).*\(0\)/,
    );
  });

  it.each([
    [
      'no messaging_product',
      100,
      { to: MAYA, type: 'text', text: { body: 'x' } },
      /messaging_product/,
    ],
    [
      'no recipient',
      100,
      { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } },
      /to is required/,
    ],
    // An unknown type is accepted (open validation): test/sandbox/new-shapes.e2e-spec.ts.
    ['a type that is not a name', 100, { ...text(MAYA, 'x'), type: 'Text Message' }, /type/],
    ['no text body', 131008, { ...text(MAYA, 'x'), text: {} }, /text\['body'\] is required/],
    ['a text over 4096 characters', 131009, text(MAYA, 'a'.repeat(4097)), /at most 4096/],
    [
      'an image with neither id nor link',
      131009,
      { messaging_product: 'whatsapp', to: MAYA, type: 'image', image: {} },
      /exactly one of/,
    ],
    [
      'an unknown media id',
      131009,
      { messaging_product: 'whatsapp', to: MAYA, type: 'image', image: { id: '123' } },
      /not a valid media id/,
    ],
    [
      'a caption on audio',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'audio',
        audio: { link: 'https://x.test/a.ogg', caption: 'c' },
      },
      /caption/,
    ],
    [
      'a latitude out of range',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'location',
        location: { latitude: 91, longitude: 0 },
      },
      /latitude/,
    ],
    [
      'a reaction to an unknown message',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'reaction',
        reaction: { message_id: 'wamid.nope', emoji: '👍' },
      },
      /reaction\['message_id'\]/,
    ],
    [
      'four reply buttons',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: {
            buttons: [1, 2, 3, 4].map((n) => ({
              type: 'reply',
              reply: { id: `b${n}`, title: `B${n}` },
            })),
          },
        },
      },
      /at most 3/,
    ],
    [
      'a button title over 20 characters',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
        },
      },
      /title'\] must be at most 20/,
    ],
    [
      'eleven list rows',
      131009,
      {
        messaging_product: 'whatsapp',
        to: MAYA,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Pick' },
          action: {
            button: 'Open',
            sections: [
              {
                title: 'S',
                rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })),
              },
            ],
          },
        },
      },
      /at most 10 rows/,
    ],
    [
      'biz_opaque_callback_data over 512 characters',
      131009,
      { ...text(MAYA, 'x'), biz_opaque_callback_data: 'x'.repeat(513) },
      /at most 512/,
    ],
  ])('refuses %s with Meta error %d', async (_name, code, body, details) => {
    const res = await sendError(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.message).toMatch(new RegExp(`^\\(#${code}\\) `));
    expect(res.json.error.error_data?.details).toMatch(details);
  });

  it('accepts an interactive list and a reaction to the user message', async () => {
    const list = await send({
      messaging_product: 'whatsapp',
      to: MAYA,
      type: 'interactive',
      interactive: {
        type: 'list',
        header: { type: 'text', text: 'Shipping' },
        body: { text: 'Choose a shipping option' },
        footer: { text: 'Prices include tax' },
        action: {
          button: 'Options',
          sections: [
            {
              title: 'Speed',
              rows: [{ id: 'express', title: 'Express', description: 'Next day' }],
            },
          ],
        },
      },
    });
    expect(list.status).toBe(200);
    const userMessage = [...sandbox.store.messages.values()].find((m) => m.from === 'user');
    const reaction = await send({
      messaging_product: 'whatsapp',
      to: MAYA,
      type: 'reaction',
      reaction: { message_id: userMessage?.id, emoji: '👍' },
    });
    expect(reaction.status).toBe(200);
    expect(userMessage?.reactions.bot).toBe('👍');
  });

  it('answers 190 (HTTP 401) without the right bearer token', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await sendError(text(MAYA, 'x'), token);
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ code: 190, type: 'OAuthException' });
      expect(JSON.stringify(res.json)).not.toContain('test-token');
    }
  });

  it('answers code 100 subcode 33 for another phone number id', async () => {
    const res = await call<GraphErrorBody>(sandbox.baseUrl, 'POST', `${V}/999/messages`, {
      json: text(MAYA, 'x'),
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('marks a user message read (with typing indicator) and refuses unknown ids', async () => {
    const { id } = await userSays(sandbox.baseUrl, MAYA, 'are you typing?');
    const ok = await send({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: id,
      typing_indicator: { type: 'text' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ success: true });
    expect(sandbox.store.messages.get(id)?.status).toBe('read');
    const bad = await sendError({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.unknown',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe(100);
  });

  it('records Graph traffic for the debug panel without the token', async () => {
    const traffic = JSON.stringify(sandbox.store.traffic);
    expect(
      sandbox.store.traffic.some((t) => t.direction === 'graph' && t.path.endsWith('/messages')),
    ).toBe(true);
    expect(traffic).not.toContain('test-token');
    expect(traffic).not.toContain('app-secret');
  });
});
