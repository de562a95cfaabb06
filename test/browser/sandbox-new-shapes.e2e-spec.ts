import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OnWhatsAppMessage, WhatsAppService, type OpenMessage } from '../../lib/index.js';
import { HELLO_WORLD_TEMPLATE } from '../../lib/sandbox/sandbox-options.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { META_DOC_BODIES } from '../client/fixtures/meta-doc-bodies.js';
import { NEW_SHAPE_TEMPLATES } from '../sandbox/new-shape-templates.js';
import { CHROMIUM, hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';
import { gradientPng } from './solid-png.js';
import { startAppOnSandbox } from '../sandbox/app-on-sandbox.js';

// The 2025–26 shapes sent by a real Nest app through the real client, drawn by the chat page in
// Debian's Chromium under its CSP; taps travel back to the app's handlers as Meta's webhooks.
const SECRET = 'shapes-browser-secret';
const TOKEN = 'shapes-browser-token';
const MAYA = '12025550147';
const ROOT = join(import.meta.dirname, '../..');
/** Committed for docs/sandbox.md; rewritten only when missing or with UPDATE_SCREENSHOTS=1. */
const SCREENSHOT = join(ROOT, 'docs/img/sandbox-shapes.png');

interface Tap {
  interactive?: { type: string; button_reply?: { id: string; title: string } };
  button?: { payload: string; text: string };
  contacts?: Array<{ origin?: string; phones?: Array<{ wa_id?: string }> }>;
}

/** The app under test: answers carousel taps and shared contacts. */
@Injectable()
class ShapesBot {
  readonly taps: string[] = [];
  readonly shared: string[] = [];

  @OnWhatsAppMessage(['interactive', 'button'])
  onTap(message: Tap): string | undefined {
    const id = message.interactive?.button_reply?.id ?? message.button?.payload;
    if (id === undefined) return undefined;
    this.taps.push(id);
    return `You picked ${id}`;
  }

  @OnWhatsAppMessage('contacts')
  onContact(message: Tap): string {
    const card = message.contacts?.[0];
    this.shared.push(`${card?.origin}:${card?.phones?.[0]?.wa_id}`);
    return `Thanks, we will call +${card?.phones?.[0]?.wa_id}`;
  }
}

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sandbox chat page: the 2025–26 shapes (Chromium)',
  () => {
    let sandbox: WhatsAppSandbox;
    let app: NestExpressApplication;
    let wa: WhatsAppService;
    let bot: ShapesBot;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const pageErrors: string[] = [];
    const images: string[] = [];
    const bubble = (id: string) =>
      page.locator(`[data-testid="message-bubble"][data-message-id="${id}"]`);
    const send = async (message: OpenMessage): Promise<string> =>
      (await wa.messages.send({ ...message, to: MAYA })).messages[0]!.id;

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`Chromium is required and missing at ${CHROMIUM}`);
      sandbox = await WhatsAppSandbox.start({
        appSecret: SECRET,
        accessToken: TOKEN,
        readAfterMs: false,
        deliveredAfterMs: 0,
        templates: [HELLO_WORLD_TEMPLATE, ...NEW_SHAPE_TEMPLATES],
      });
      app = await startAppOnSandbox(sandbox, {
        module: {
          accessToken: TOKEN,
          appSecret: SECRET,
        },
        providers: [ShapesBot],
        logger: false,
        largeBodies: true,
      });
      wa = app.get(WhatsAppService);
      bot = app.get(ShapesBot);
      const colours: Array<[number, number, number]> = [
        [255, 138, 101],
        [83, 189, 235],
        [6, 207, 156],
      ];
      for (const rgb of colours) {
        const png = gradientPng(220, 130, rgb);
        images.push((await wa.media.upload({ file: png, mimeType: 'image/png' })).id);
      }

      browser = await openChromiumPage(pageErrors, {
        profilePrefix: 'wa-sandbox-shapes-',
        viewport: { width: 1200, height: 1040 },
      });
      page = browser.page;
      await page.goto(`${sandbox.chatUrl}#${MAYA}`);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      // The user writes first: the 24-hour window opens.
      await page.getByTestId('message-input').fill('Show me what you have');
      await page.getByTestId('send-button').click();
      await page.locator('[data-testid="message-bubble"][data-from="user"]').first().waitFor();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      await app?.close();
    });

    it("draws every other documented shape (Meta's bodies) without a page error", async () => {
      // Bodies with media links to example.com are left out: the page would load them (no network here).
      const drawn = META_DOC_BODIES.filter(([, body]) => !JSON.stringify(body).includes('"link"'));
      for (const [what, body] of drawn) {
        // The documented media ids become the images uploaded to the sandbox.
        const json = JSON.stringify(body).replace(
          /"(24230790383178\d|1602186516975000)"/g,
          () => `"${images[0]}"`,
        );
        const {
          messaging_product: _m,
          recipient_type: _r,
          to: _t,
          recipient: _u,
          ...message
        } = JSON.parse(json) as Record<string, unknown>;
        const id = await send(message as OpenMessage);
        await bubble(id).waitFor();
        expect([what, await bubble(id).textContent()]).not.toEqual([
          what,
          expect.stringContaining('[object'),
        ]);
        const unsupported = await bubble(id).getByTestId('unsupported-message').count();
        expect([what, unsupported]).toEqual([what, /future/.test(what) ? 1 : 0]);
      }
      expect(pageErrors).toEqual([]);
    });

    it('shows a type it does not know as "not supported in the sandbox", with its type', async () => {
      const id = await send({
        type: 'interactive',
        interactive: { type: 'holo_card', body: { text: 'Spin me' }, hologram: { depth: 3 } },
      });
      const note = bubble(id).getByTestId('unsupported-message');
      await note.waitFor();
      expect(await note.getAttribute('data-unsupported-type')).toBe('holo_card');
      expect(await note.textContent()).toContain('not supported in the sandbox');
    });

    it('draws a flow message as its CTA button, which opens the flow (run by the sandbox: test/browser/sample-flow)', async () => {
      const id = await send({
        type: 'interactive',
        interactive: {
          type: 'flow',
          header: { type: 'text', text: 'Book a table' },
          body: { text: 'Tap to book' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.',
              flow_id: '1',
              flow_cta: 'Book!',
              flow_action: 'navigate',
              flow_action_payload: { screen: 'BOOKING', data: { party: 2 } },
            },
          },
        },
      });
      const cta = bubble(id).getByTestId('flow-cta-button');
      await cta.waitFor();
      expect(await cta.textContent()).toBe('Book!');
      expect(await cta.isDisabled()).toBe(false);
    });

    it('draws a limited-time offer template with its expiration and copy-code button', async () => {
      const expires = Date.UTC(2027, 0, 15, 18, 0);
      const id = await send({
        type: 'template',
        template: {
          name: 'limited_time_offer_caribbean_pkg_2026',
          language: { code: 'en_US' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { id: images[2] } }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Maya' },
                { type: 'text', text: 'CARIBE25' },
              ],
            },
            {
              type: 'limited_time_offer',
              parameters: [
                { type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: expires } },
              ],
            },
            {
              type: 'button',
              sub_type: 'copy_code',
              index: 0,
              parameters: [{ type: 'coupon_code', coupon_code: 'CARIBE25' }],
            },
            {
              type: 'button',
              sub_type: 'url',
              index: 1,
              parameters: [{ type: 'text', text: 'n3mtql' }],
            },
          ],
        },
      });
      const lto = bubble(id).getByTestId('template-lto');
      await lto.waitFor();
      expect(await lto.textContent()).toContain('Expiring offer!');
      expect(await lto.getAttribute('data-expiration-ms')).toBe(String(expires));
      expect(await bubble(id).getByTestId('message-text').textContent()).toContain(
        'Good news, Maya! Use code CARIBE25',
      );
      const buttons = bubble(id).getByTestId('template-button');
      expect(await buttons.nth(0).getAttribute('data-copy-code')).toBe('CARIBE25');
      expect(await buttons.nth(1).getAttribute('href')).toBe(
        'https://awesomedestinations.example/offers?ref=n3mtql',
      );
    });

    it('draws request_contact_info as a button whose tap shares the contact with the app', async () => {
      const id = await send({
        type: 'interactive',
        interactive: {
          type: 'request_contact_info',
          body: { text: 'Please share your phone number so we can call you back.' },
          action: { name: 'request_contact_info' },
        },
      });
      const button = bubble(id).getByTestId('request-contact-button');
      await button.waitFor();
      await button.click();
      await page
        .locator('[data-testid="message-bubble"][data-from="bot"]', {
          hasText: `Thanks, we will call +${MAYA}`,
        })
        .waitFor();
      expect(bot.shared).toEqual([`contact_request:${MAYA}`]);
    });

    it('draws a media carousel as a swipeable row of cards; a card button reaches the handler', async () => {
      const id = await send({
        type: 'interactive',
        interactive: {
          type: 'carousel',
          body: { text: 'Our picks for you this week' },
          action: {
            cards: images.map((image, i) => ({
              card_index: i,
              type: 'button',
              header: { type: 'image', image: { id: image } },
              body: { text: ['*Coral* sneakers', '*Sky* jacket', '*Mint* backpack'][i] },
              action: {
                buttons: [
                  { type: 'quick_reply', quick_reply: { id: `pick-${i}`, title: 'I want this' } },
                ],
              },
            })),
          },
        },
      });
      const cards = bubble(id).getByTestId('carousel-card');
      await cards.nth(2).waitFor();
      expect(await cards.count()).toBe(3);
      // A row that scrolls sideways, not a column.
      const row = bubble(id).getByTestId('carousel');
      const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
      expect(second!.x).toBeGreaterThan(first!.x);
      expect(second!.y).toBe(first!.y);
      expect(
        await row.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).overflowX),
      ).toBe('auto');
      // The images loaded (naturalWidth > 0) from the sandbox.
      const widths = await bubble(id)
        .locator('img.card-media')
        .evaluateAll((els) =>
          els.map((el) => (el as unknown as { naturalWidth: number }).naturalWidth),
        );
      expect(widths).toEqual([220, 220, 220]);
      await cards
        .nth(1)
        .locator('[data-testid="carousel-card-button"][data-button-id="pick-1"]')
        .click();
      await page
        .locator('[data-testid="message-bubble"][data-from="bot"]', {
          hasText: 'You picked pick-1',
        })
        .waitFor();
      expect(bot.taps).toEqual(['pick-1']);
    });

    it('a quick reply on a template carousel card reaches the handler as a `button` with its payload', async () => {
      const template = page
        .locator('[data-testid="message-bubble"][data-type="template"]', {
          has: page.getByTestId('carousel'),
        })
        .first();
      await template
        .locator(
          '[data-testid="carousel-card"][data-card-index="1"] [data-testid="template-button"]',
        )
        .first()
        .click();
      await page
        .locator('[data-testid="message-bubble"][data-from="bot"]', {
          hasText: 'You picked 59NqSd-1',
        })
        .waitFor();
      expect(bot.taps).toEqual(['pick-1', '59NqSd-1']);
    });

    it('saves a screenshot of the shapes', async () => {
      const target =
        process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(SCREENSHOT)
          ? SCREENSHOT
          : join(tmpdir(), 'nestjs-whatsapp-cloud-sandbox-shapes.png');
      mkdirSync(join(target, '..'), { recursive: true });
      await page.mouse.move(0, 0);
      // The earlier shapes, for a look by hand (not committed).
      const list = page.getByTestId('message-list');
      for (const [i, top] of [0, 0.25, 0.5].entries()) {
        await list.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), top);
        await page.screenshot({ path: join(tmpdir(), `nestjs-whatsapp-cloud-shapes-${i}.png`) });
      }
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.screenshot({ path: target });
      expect(existsSync(target)).toBe(true);
    });

    it('logged no error and no CSP violation in the page', () => {
      expect(pageErrors).toEqual([]);
    });
  },
);
