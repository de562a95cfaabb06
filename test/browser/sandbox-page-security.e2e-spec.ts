import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { HELLO_WORLD_TEMPLATE } from '../../lib/sandbox/sandbox-options.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call } from '../sandbox/sandbox-http.js';
import { CHROMIUM, hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';

// The chat page under its Content-Security-Policy, in Debian's Chromium: it still draws everything
// (no CSP violation), and a template's `javascript:` URL button never becomes a link.
const TOKEN = 'page-security-token';
const PNID = '109283746501928';
const MAYA = '12025550147';

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sandbox chat page security (Chromium)',
  () => {
    let sandbox: WhatsAppSandbox;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`Chromium is required and missing at ${CHROMIUM}`);
      sandbox = await WhatsAppSandbox.start({
        appSecret: 'page-security-secret',
        accessToken: TOKEN,
        phoneNumberId: PNID,
        readAfterMs: false,
        // Seeded templates skip the Graph validation: the page itself must refuse the bad URL.
        templates: [
          HELLO_WORLD_TEMPLATE,
          {
            name: 'links',
            language: 'en_US',
            category: 'UTILITY',
            components: [
              { type: 'BODY', text: 'Your links' },
              {
                type: 'BUTTONS',
                buttons: [
                  { type: 'URL', text: 'Evil', url: 'javascript:alert(document.domain)' },
                  { type: 'URL', text: 'Data', url: 'data:text/html,<script>alert(1)</script>' },
                  { type: 'URL', text: 'Track', url: 'https://shop.example/track' },
                ],
              },
            ],
          },
        ],
      });
      browser = await openChromiumPage(pageErrors, { profilePrefix: 'wa-sandbox-csp-' });
      page = browser.page;
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
    });

    it('draws the chat under its CSP, styles included, without a violation', async () => {
      await page.goto(sandbox.chatUrl);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      await page.getByTestId('message-input').fill('hello');
      await page.getByTestId('send-button').click();
      await page.locator('[data-testid="message-bubble"][data-from="user"]').waitFor();
      // The avatars' colours are set through the CSSOM, which the CSP allows (a style attribute would not be).
      const background = await page
        .locator('[data-testid="user-tab"] .avatar')
        .first()
        .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
      expect(background).not.toBe('rgba(0, 0, 0, 0)');
      expect(pageErrors).toEqual([]);
    });

    it('renders only http(s) template URL buttons as links', async () => {
      const sent = await call(sandbox.baseUrl, 'POST', `/v26.0/${PNID}/messages`, {
        token: TOKEN,
        json: {
          messaging_product: 'whatsapp',
          to: MAYA,
          type: 'template',
          template: { name: 'links', language: { code: 'en_US' } },
        },
      });
      expect(sent.status).toBe(200);
      const buttons = page.locator('[data-testid="template-button"]');
      await buttons.nth(2).waitFor();
      const hrefs = await buttons.evaluateAll((els) => els.map((el) => el.getAttribute('href')));
      expect(hrefs).toEqual([null, null, 'https://shop.example/track']);
      expect(pageErrors).toEqual([]);
    });
  },
);
