import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request } from 'undici';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call, userSays } from './sandbox-http.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'page-secret';
const TOKEN = 'page-token';
const PNID = '109283746501928';
const MAYA = '12025550147';

/** The data-testid values docs/sandbox.md promises to the browser test. */
const PAGE_TEST_IDS = [
  'chat-page',
  'user-list',
  'add-user-button',
  'message-list',
  'message-input',
  'send-button',
  'attach-button',
  'file-input',
  'location-button',
  'location-send',
  'typing-indicator',
  'debug-toggle',
  'debug-panel',
  'traffic-list',
  'list-sheet',
  'reaction-picker',
];
const RENDERED_TEST_IDS = [
  'user-tab',
  'message-bubble',
  'message-text',
  'message-ticks',
  'quoted-message',
  'interactive-button',
  'list-open-button',
  'list-row',
  'template-button',
  'react-button',
  'reaction-option',
  'reaction-badge',
  'reply-button',
  'traffic-entry',
];

describe('WhatsAppSandbox: chat page', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: SECRET,
      accessToken: TOKEN,
      phoneNumberId: PNID,
      readAfterMs: false,
    }));
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('serves the page at chatUrl and at /, with its scripts and styles, from local files only', async () => {
    expect(sandbox.chatUrl).toBe(`${sandbox.baseUrl}/sandbox`);
    for (const path of ['/sandbox', '/']) {
      const page = await call(sandbox.baseUrl, 'GET', path, { token: null });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      const html = page.bytes.toString('utf8');
      for (const id of PAGE_TEST_IDS) expect(html).toContain(`data-testid="${id}"`);
      expect(html).not.toMatch(/(src|href)="https?:/);
    }
    const app = await call(sandbox.baseUrl, 'GET', '/sandbox/app.js', { token: null });
    expect(app.headers['content-type']).toContain('text/javascript');
    expect(app.bytes.toString()).toContain('new EventSource');
    let rendered = app.bytes.toString();
    for (const file of ['render.js', 'render-shapes.js', 'render-template.js']) {
      const script = await call(sandbox.baseUrl, 'GET', `/sandbox/${file}`, { token: null });
      expect([file, script.status]).toEqual([file, 200]);
      rendered += script.bytes.toString();
    }
    for (const id of RENDERED_TEST_IDS) expect(rendered).toContain(`'data-testid': '${id}'`);
    const css = await call(sandbox.baseUrl, 'GET', '/sandbox/app.css', { token: null });
    expect(css.headers['content-type']).toContain('text/css');
    const missing = await call(sandbox.baseUrl, 'GET', '/sandbox/../sandbox-options.ts', {
      token: null,
    });
    expect(missing.status).not.toBe(200);
  });

  it('gives the page its state without the access token or the app secret', async () => {
    await userSays(sandbox.baseUrl, MAYA, 'state check');
    const state = await call<{ users: unknown[]; messages: unknown[] }>(
      sandbox.baseUrl,
      'GET',
      '/sandbox/api/state',
      {
        token: null,
      },
    );
    expect(state.status).toBe(200);
    expect(state.json.users).toHaveLength(2);
    expect(state.json.messages.length).toBeGreaterThan(0);
    expect(state.bytes.toString()).not.toContain(SECRET);
    expect(state.bytes.toString()).not.toContain(TOKEN);
    expect(String(sandbox)).not.toContain(SECRET);
  });

  it('streams changes to the page over Server-Sent Events', async () => {
    const res = await request(`${sandbox.baseUrl}/sandbox/api/events`);
    expect(res.headers['content-type']).toContain('text/event-stream');
    let text = '';
    const seen = new Promise<void>((resolve) => {
      res.body.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('event: message') && text.includes('streamed hello')) resolve();
      });
    });
    await userSays(sandbox.baseUrl, MAYA, 'streamed hello');
    await seen;
    res.body.destroy();
    const data = /event: message\ndata: (.*)\n/.exec(text)?.[1] as string;
    expect(JSON.parse(data)).toMatchObject({
      kind: 'message',
      message: { from: 'user', waId: MAYA },
    });
  });

  it('turns a tap on a bot button into an interactive button_reply webhook quoting the bot message', async () => {
    await userSays(sandbox.baseUrl, MAYA, 'menu please');
    const sent = await call<{ messages: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'POST',
      `/v26.0/${PNID}/messages`,
      {
        token: TOKEN,
        json: {
          messaging_product: 'whatsapp',
          to: MAYA,
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick one' },
            action: {
              buttons: [{ type: 'reply', reply: { id: 'confirm-4821', title: 'Confirm' } }],
            },
          },
        },
      },
    );
    const botId = sent.json.messages[0]?.id as string;
    const tap = await call(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/messages`, {
      token: null,
      json: { type: 'button_reply', message_id: botId, id: 'confirm-4821', title: 'Confirm' },
    });
    expect(tap.status).toBe(200);
    await receiver.waitFor(() => receiver.messages().some((m) => m.type === 'interactive'));
    expect(receiver.messages().find((m) => m.type === 'interactive')).toMatchObject({
      context: { from: '15557771234', id: botId },
      from: MAYA,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'confirm-4821', title: 'Confirm' } },
    });
  });

  it('sends list replies, locations and reactions as Meta shapes them', async () => {
    await userSays(sandbox.baseUrl, MAYA, 'hi again');
    const sent = await call<{ messages: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'POST',
      `/v26.0/${PNID}/messages`,
      {
        token: TOKEN,
        json: {
          messaging_product: 'whatsapp',
          to: MAYA,
          type: 'text',
          text: { body: 'react to me' },
        },
      },
    );
    const botId = sent.json.messages[0]?.id as string;
    const act = (json: unknown) =>
      call(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/messages`, { token: null, json });
    expect(
      (
        await act({
          type: 'list_reply',
          message_id: botId,
          id: 'express',
          title: 'Express',
          description: 'Next day',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await act({
          type: 'location',
          latitude: 38.8976763,
          longitude: -77.0365298,
          name: 'The White House',
        })
      ).status,
    ).toBe(200);
    expect((await act({ type: 'reaction', message_id: botId, emoji: '👍' })).status).toBe(200);
    await receiver.waitFor(() => receiver.messages().some((m) => m.type === 'reaction'));
    const byType = (type: string) => receiver.messages().find((m) => m.type === type);
    expect(byType('interactive')).toBeDefined();
    expect(
      receiver
        .messages()
        .some((m) => (m.interactive as { type?: string } | undefined)?.type === 'list_reply'),
    ).toBe(true);
    expect(byType('location')).toMatchObject({
      location: { latitude: 38.8976763, longitude: -77.0365298, name: 'The White House' },
    });
    expect(byType('reaction')).toMatchObject({ reaction: { message_id: botId, emoji: '👍' } });
    expect(byType('reaction')?.context).toBeUndefined();
    expect(sandbox.store.messages.get(botId)?.reactions.user).toBe('👍');
  });

  it('refuses impossible user actions with 400 and a reason', async () => {
    const cases: Array<[string, unknown]> = [
      [`/sandbox/api/users/000000/messages`, { type: 'text', body: 'who am I' }],
      [`/sandbox/api/users/${MAYA}/messages`, { type: 'text', body: '   ' }],
      [
        `/sandbox/api/users/${MAYA}/messages`,
        { type: 'button_reply', message_id: 'wamid.none', id: 'x', title: 'x' },
      ],
      [`/sandbox/api/users/${MAYA}/messages`, { type: 'teleport' }],
      ['/sandbox/api/users', { wa_id: 'abc' }],
    ];
    for (const [path, json] of cases) {
      const res = await call<{ error: string }>(sandbox.baseUrl, 'POST', path, {
        token: null,
        json,
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toEqual(expect.any(String));
    }
  });

  it('adds a simulated user', async () => {
    const res = await call<{ wa_id: string; name: string }>(
      sandbox.baseUrl,
      'POST',
      '/sandbox/api/users',
      {
        token: null,
        json: { name: 'Ana Lima', wa_id: '+55 11 98765-4321' },
      },
    );
    expect(res.json).toMatchObject({ wa_id: '5511987654321', name: 'Ana Lima' });
    expect(sandbox.store.users.has('5511987654321')).toBe(true);
  });
});
