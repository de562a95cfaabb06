import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createWebhookBuilder, FAKE_IDS, WhatsAppTestApp } from 'nestjs-whatsapp-cloud/testing';
import request from 'supertest';
import { AppModule } from '../app.module.js';
import { DeliveryLog } from '../bot/delivery-log.js';
import { MENU, PLANS, SHOP_LOCATION } from '../bot/menus.js';
import { REPLIES } from '../bot/replies.js';

// The sample bot's behaviour, through the public testing kit: real HTTP in, fake Graph API out.
const USER = { wa_id: '12025550147', name: 'Maya Ortiz' };
const API_TOKEN = 'bot-test-api-token-0123456789';
const webhook = createWebhookBuilder({ contact: { waId: USER.wa_id, name: USER.name } });

describe('sample bot', () => {
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    wa = await WhatsAppTestApp.create({
      imports: [AppModule.forRoot({ token: API_TOKEN, sandbox: false })],
    });
  });
  afterAll(() => wa.close());
  afterEach(() => wa.graph.reset());

  function lastSent(): Record<string, unknown> {
    const sent = wa.graph.sentMessages();
    expect(sent).not.toHaveLength(0);
    return sent[sent.length - 1]!;
  }

  it('greets by name, marking the message read with a typing indicator first', async () => {
    expect((await wa.receive(webhook.text({ body: 'hi' }))).status).toBe(200);
    const [read, reply] = wa.graph.requestsTo('POST', `/${FAKE_IDS.phoneNumberId}/messages`);
    expect(read?.json).toMatchObject({ status: 'read', typing_indicator: { type: 'text' } });
    expect(reply?.json).toMatchObject({
      to: USER.wa_id,
      type: 'text',
      text: { body: REPLIES.greeting(USER.name) },
    });
  });

  it('echoes other text and answers help', async () => {
    await wa.receive(webhook.text({ body: 'Is *this* on?' }));
    wa.graph.expectSent({ to: USER.wa_id, text: { body: REPLIES.echo('Is *this* on?') } });
    await wa.receive(webhook.text({ body: ' HELP ' }));
    expect(lastSent()).toMatchObject({ type: 'text', text: { body: REPLIES.help } });
  });

  it('sends the button menu, and answers each button', async () => {
    await wa.receive(webhook.text({ body: 'menu' }));
    const menu = wa.graph.expectSent({ type: 'interactive', interactive: { type: 'button' } });
    const ids = (
      menu.interactive as { action: { buttons: Array<{ reply: { id: string } }> } }
    ).action.buttons.map((b) => b.reply.id);
    expect(ids).toEqual([MENU.hours, MENU.address, MENU.plans]);

    const tap = (id: string) => wa.receive(webhook.buttonReply({ buttonId: id, title: 'x' }));
    await tap(MENU.hours);
    expect(lastSent()).toMatchObject({ type: 'text', text: { body: REPLIES.hours } });
    await tap(MENU.address);
    expect(lastSent()).toMatchObject({ type: 'location', location: SHOP_LOCATION });
    await tap(MENU.plans);
    expect(lastSent()).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
  });

  it('answers a pick in the plans list', async () => {
    await wa.receive(webhook.text({ body: 'plans' }));
    const list = wa.graph.expectSent({ interactive: { type: 'list' } });
    expect(JSON.stringify(list)).toContain(PLANS[1].id);
    await wa.receive(webhook.listReply({ rowId: PLANS[1].id, title: 'Growth' }));
    expect(lastSent()).toMatchObject({ text: { body: REPLIES.planChosen(PLANS[1].title) } });
  });

  it('downloads an image with the bearer token and answers its size and type', async () => {
    const bytes = Buffer.alloc(3210, 7);
    const media = wa.graph.store.addMedia(bytes, 'image/png');
    await wa.receive(webhook.image({ mediaId: media.id, mime_type: 'image/png', url: null }));
    expect(lastSent()).toMatchObject({ text: { body: REPLIES.image(3210, 'image/png') } });
    // Meta's flow: GET /{media-id} for a short-lived URL, then GET that URL with the bearer token.
    expect(wa.graph.requestsTo('GET', `/${media.id}`)).toHaveLength(1);
    const download = wa.graph.requests.find((r) => r.query.mid === media.id);
    expect(download?.headers.authorization).toBe(`Bearer ${WhatsAppTestApp.secrets.accessToken}`);
  });

  it('reads a shared location back', async () => {
    await wa.receive(webhook.location({ latitude: 52.52, longitude: 13.405, name: 'Berlin' }));
    expect(lastSent()).toMatchObject({ text: { body: REPLIES.location(52.52, 13.405, 'Berlin') } });
  });

  it('says what it cannot read yet', async () => {
    await wa.receive(webhook.sticker());
    expect(lastSent()).toMatchObject({ text: { body: REPLIES.unsupported } });
  });

  it('keeps the latest status of each sent message, and the failures', async () => {
    const log = wa.get(DeliveryLog);
    await wa.receive(webhook.status('delivered', { id: 'wamid.out-a' }));
    await wa.receive(webhook.status('read', { id: 'wamid.out-a' }));
    await wa.receive(
      webhook.status('failed', {
        id: 'wamid.out-b',
        errors: [{ code: 131047, title: 'Re-engagement message' }],
      }),
    );
    expect(log.statuses.get('wamid.out-a')).toBe('read');
    expect(log.statuses.get('wamid.out-b')).toBe('failed');
    expect(log.failures).toContainEqual({
      messageId: 'wamid.out-b',
      code: 131047,
      title: 'Re-engagement message',
    });
    expect(wa.graph.sentMessages()).toHaveLength(0); // statuses are never answered
  });

  it('records template review results', async () => {
    await wa.receive(
      webhook.event('message_template_status_update', {
        event: 'APPROVED',
        message_template_id: 594425479261596,
        message_template_name: 'order_shipped',
        message_template_language: 'en_US',
        reason: 'NONE',
      }),
    );
    expect(wa.get(DeliveryLog).templates.get('order_shipped/en_US')).toBe('APPROVED');
  });

  /** The REST routes, called with the API token (sample/test/api-access.e2e-spec.ts covers without). */
  function api(path: '/notify' | '/templates', body: object) {
    return request(wa.app.getHttpServer())
      .post(path)
      .set('authorization', `Bearer ${API_TOKEN}`)
      .send(body);
  }

  it('POST /notify sends a template, and explains a bad request or a refusal by Meta', async () => {
    const ok = await api('/notify', { to: USER.wa_id });
    expect(ok.status).toBe(202);
    const sent = wa.graph.expectSent({
      to: USER.wa_id,
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(sent).toBeDefined();
    expect(ok.body.messageId).toMatch(/^wamid\./);

    expect((await api('/notify', { to: '+1 (202)' })).status).toBe(400);

    wa.graph.failNext({
      status: 404,
      error: { code: 132001, message: 'Template name does not exist in the translation' },
    });
    const refused = await api('/notify', { to: USER.wa_id, template: 'nope' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 132001 });
  });

  it('POST /templates submits a template for review, with Meta-shaped components', async () => {
    const created = await api('/templates', { name: 'order_ready', text: 'Ready!' });
    expect(created.status).toBe(201);
    const [submitted] = wa.graph.requestsTo(
      'POST',
      `/${FAKE_IDS.businessAccountId}/message_templates`,
    );
    expect(submitted?.json).toEqual({
      name: 'order_ready',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Ready!' }],
    });
    expect(created.body).toEqual({ id: expect.any(String), status: expect.any(String) });
    expect((await api('/templates', { name: 'Order Ready', text: 'x' })).status).toBe(400);
    expect((await api('/templates', { name: 'ok', text: ' ' })).status).toBe(400);
  });
});
