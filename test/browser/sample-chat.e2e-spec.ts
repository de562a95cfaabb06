import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { request } from 'undici';
import { REPLIES } from '../../sample/bot/replies.js';
import { MENU, PLANS } from '../../sample/bot/menus.js';
import {
  buildSample,
  ROOT,
  startSample,
  type SampleProcess,
} from '../../sample/test/sample-process.js';

// The sample bot in sandbox mode, driven through the chat page in Debian's Chromium.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * The README's screenshot. Written when missing or with UPDATE_SCREENSHOTS=1, so that a test run does
 * not rewrite a committed image (its clock times change every run); otherwise it goes to the temp dir.
 */
const SCREENSHOT = join(ROOT, 'docs/img/sandbox.png');

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI !== 'true') {
  console.warn(
    `\n*** SKIPPED test/browser: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set CHROMIUM_PATH. ***\n`,
  );
}

const bot = (page: Page, text: string) =>
  page.locator('[data-testid="message-bubble"][data-from="bot"]', { hasText: text });

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sample bot in the sandbox chat page (Chromium)',
  () => {
    let sample: SampleProcess | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    let profile: string | undefined;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (!hasChromium) {
        throw new Error(
          `Chromium is required for the browser test and missing at ${CHROMIUM}: .ci/run installs it with apt-get (apt-get install -y chromium)`,
        );
      }
      await buildSample();
      sample = await startSample();
      profile = mkdtempSync(join(tmpdir(), 'wa-sandbox-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1200, height: 1040 },
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      await page.goto(sample.ready[1]!);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      // The sample opens PGlite in a fresh temp dir (initdb in WASM): 5-10 s idle, up to a minute on a loaded machine.
    }, 240_000);

    afterAll(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      if (sample && sample.child.exitCode === null) {
        sample.child.kill('SIGKILL');
        await sample.exited;
      }
    });

    async function send(text: string): Promise<void> {
      await page.getByTestId('message-input').fill(text);
      await page.getByTestId('send-button').click();
    }

    it('answers "hi" and marks the message read (blue ticks)', async () => {
      await send('hi');
      await bot(page, REPLIES.greeting('Maya Ortiz').split('!')[0]!).waitFor();
      await page
        .locator(
          '[data-testid="message-bubble"][data-from="user"]:has-text("hi") [data-testid="message-ticks"][data-status="read"]',
        )
        .waitFor();
    });

    it('shows the menu buttons, and a tap gets its answer', async () => {
      await send('menu');
      const hours = page.locator(
        `[data-testid="interactive-button"][data-button-id="${MENU.hours}"]`,
      );
      await hours.waitFor();
      await hours.click();
      await bot(page, REPLIES.hours).waitFor();
    });

    it('opens the plans list and answers the picked row', async () => {
      await page
        .locator(`[data-testid="interactive-button"][data-button-id="${MENU.plans}"]`)
        .last()
        .click();
      const open = page.getByTestId('list-open-button').last();
      await open.waitFor();
      await open.click();
      await page.locator(`[data-testid="list-row"][data-row-id="${PLANS[1].id}"]`).click();
      await bot(page, `Great choice: ${PLANS[1].title}`).waitFor();
      // The bot marks every message read: the user's last message (the list pick) gets blue ticks too.
      await page
        .locator('[data-testid="message-bubble"][data-from="user"]')
        .last()
        .locator('[data-testid="message-ticks"][data-status="read"]')
        .waitFor();
    });

    it('saves a screenshot of the chat', async () => {
      const target =
        process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(SCREENSHOT)
          ? SCREENSHOT
          : join(tmpdir(), 'nestjs-whatsapp-cloud-sandbox.png');
      mkdirSync(join(target, '..'), { recursive: true });
      await page.mouse.move(0, 0); // no hover toolbar on a bubble
      await page.screenshot({ path: target });
      expect(existsSync(target)).toBe(true);
    });

    it('sends a photo from disk: the bot downloads it and answers its size and type', async () => {
      // A 1×1 PNG: the bot fetches it from the sandbox with the bearer token (media.download).
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
        'base64',
      );
      await page
        .getByTestId('file-input')
        .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
      await bot(page, REPLIES.image(png.length, 'image/png')).waitFor();
    });

    it('shares a location and gets it read back', async () => {
      await page.getByTestId('location-button').click();
      await page.getByTestId('location-latitude').fill('52.52');
      await page.getByTestId('location-longitude').fill('13.405');
      await page.getByTestId('location-name').fill('Berlin');
      await page.getByTestId('location-send').click();
      await bot(page, REPLIES.location(52.52, 13.405, 'Berlin')).waitFor();
    });

    it('POST /notify sends the hello_world template, rendered in the chat', async () => {
      const port = /listening on port (\d+)/.exec(sample!.output())?.[1];
      const answer = await request(`http://127.0.0.1:${port}/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: '12025550147' }),
      });
      const { messageId } = (await answer.body.json()) as { messageId: string };
      expect(answer.statusCode).toBe(202);
      await page
        .locator(
          `[data-testid="message-bubble"][data-message-id="${messageId}"][data-type="template"]`,
        )
        .getByTestId('template-header')
        .filter({ hasText: 'Hello World' })
        .waitFor();
    });

    it('POST /templates: the sandbox reviews the template and the bot logs the verdict', async () => {
      const port = /listening on port (\d+)/.exec(sample!.output())?.[1];
      const submit = async (name: string): Promise<number> => {
        const answer = await request(`http://127.0.0.1:${port}/templates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, text: 'Your order is ready for pickup.' }),
        });
        await answer.body.dump();
        return answer.statusCode;
      };
      expect(await submit('order_ready')).toBe(201);
      expect(await submit('order_reject_me')).toBe(201);
      // StatusHandlers.onTemplateStatus logs each message_template_status_update webhook.
      await sample!.waitForOutput(/Template order_ready \(en_US\): APPROVED/);
      await sample!.waitForOutput(/Template order_reject_me \(en_US\): REJECTED/);
    });

    it('GET /conversations/:user: history, delivery trail and window from the PGlite store, on the admin page', async () => {
      const base = `http://127.0.0.1:${/listening on port (\d+)/.exec(sample!.output())?.[1]}`;
      expect(sample!.output()).toMatch(/Message store: PGlite in \S+ \(removed on exit/);
      interface View {
        window: { windowOpen: boolean; lastInboundAt?: number };
        messages: Array<{
          direction: string;
          type: string;
          status: string;
          payload: { text?: { body?: string } };
          statuses: Array<{ status: string }>;
        }>;
      }
      const greeting = REPLIES.greeting('Maya Ortiz');
      // Statuses arrive as webhooks after the reply: poll (bounded) until the greeting's trail shows delivery.
      let view: View | undefined;
      for (let attempt = 0; attempt < 60; attempt++) {
        const answer = await request(`${base}/conversations/12025550147`);
        view = (await answer.body.json()) as View;
        expect(answer.statusCode).toBe(200);
        const reply = view.messages.find((m) => m.payload.text?.body === greeting);
        if (reply?.statuses.some((s) => s.status === 'delivered')) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(view!.window.windowOpen).toBe(true);
      const hi = view!.messages.find((m) => m.direction === 'in' && m.payload.text?.body === 'hi');
      expect(hi).toMatchObject({ type: 'text', status: 'received' });
      const reply = view!.messages.find((m) => m.payload.text?.body === greeting);
      expect(reply).toMatchObject({ direction: 'out', type: 'text' });
      expect(['delivered', 'read']).toContain(reply!.status);
      expect(reply!.statuses.map((s) => s.status).slice(0, 2)).toEqual(['sent', 'delivered']);
      expect(view!.messages.some((m) => m.direction === 'out' && m.type === 'template')).toBe(true);

      const admin = await context!.newPage();
      try {
        const violations: string[] = [];
        admin.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
        const loaded = await admin.goto(`${base}/admin/conversations/12025550147`);
        // History holds what customers wrote: no script may run on the page, its one style block may.
        expect(loaded?.headers()['content-security-policy']).toMatch(
          /^default-src 'none'; style-src 'sha256-/,
        );
        await admin.locator('[data-testid="window-state"][data-open="true"]').waitFor();
        expect(await admin.evaluate<string>('getComputedStyle(document.body).marginTop')).toBe(
          '24px',
        );
        expect(violations).toEqual([]);
        await admin
          .locator('[data-testid="conversation-message"][data-direction="in"]', { hasText: 'hi' })
          .first()
          .waitFor();
        const row = admin
          .locator('[data-testid="conversation-message"][data-direction="out"]', {
            hasText: greeting.split('!')[0]!,
          })
          .first();
        expect(await row.getByTestId('status-trail').textContent()).toMatch(/^sent .* → delivered/);
      } finally {
        await admin.close();
      }
    });

    // The chat page once let the chat column grow with the conversation, pushing the composer off screen.
    it('keeps the composer on screen in a long conversation', async () => {
      for (const word of ['one', 'two', 'three', 'four', 'five', 'six']) {
        await send(word);
        await bot(page, REPLIES.echo(word)).waitFor();
      }
      const box = await page.getByTestId('composer').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    });

    // The chat page once showed an empty reply banner: `display: flex` beat the `hidden` attribute.
    it('shows no element that has the hidden attribute', async () => {
      // A string, evaluated in the page: the tests are compiled without the DOM library.
      const shown = await page.evaluate<string[]>(`
        [...document.querySelectorAll('[hidden]')]
          .filter((el) => getComputedStyle(el).display !== 'none')
          .map((el) => el.dataset.testid ?? el.className)`);
      expect(shown).toEqual([]);
    });

    it('logged no error in the page', () => {
      expect(pageErrors).toEqual([]);
    });

    it('stops cleanly on Ctrl-C (SIGINT)', async () => {
      await context?.close();
      context = undefined;
      sample!.child.kill('SIGINT');
      expect(await sample!.exited).toBe(0);
      expect(sample!.output()).toContain('Stopped.');
    });
  },
);
