import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { call } from '../sandbox/sandbox-http.js';
import { WebhookReceiver } from '../sandbox/webhook-receiver.js';
import { CHROMIUM, hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';

// The chat page's business picker with two businesses (tenants): the person picks the business the
// simulated user talks to; what they type reaches that business's webhook, its replies show there only.
const SECRET = 'tenants-browser-secret';
const A = { token: 'browser-token-a', phone: '109283746501928', waba: '184736291047562' };
const B = { token: 'browser-token-b', phone: '200000000000002', waba: '300000000000003' };
const MAYA = '12025550147';

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sandbox chat page: several businesses (Chromium)',
  () => {
    let sandbox: WhatsAppSandbox;
    let single: WhatsAppSandbox;
    let receiver: WebhookReceiver;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const pageErrors: string[] = [];
    const bubble = (from: 'user' | 'bot', text: string) =>
      page.locator(`[data-testid="message-bubble"][data-from="${from}"]`, { hasText: text });

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`Chromium is required and missing at ${CHROMIUM}`);
      receiver = await WebhookReceiver.start(SECRET);
      sandbox = await WhatsAppSandbox.start({
        appSecret: SECRET,
        webhookUrl: receiver.url,
        accessToken: A.token,
        verifiedName: 'Shop A',
        businesses: [
          {
            phoneNumberId: B.phone,
            businessAccountId: B.waba,
            accessToken: B.token,
            verifiedName: 'Shop <b>B</b>',
          },
        ],
        users: [{ wa_id: MAYA, name: 'Maya Ortiz' }],
        readAfterMs: false,
      });
      single = await WhatsAppSandbox.start({ appSecret: SECRET });
      browser = await openChromiumPage(pageErrors, {
        profilePrefix: 'wa-sandbox-tenants-',
        viewport: { width: 1200, height: 900 },
      });
      page = browser.page;
      page.setDefaultTimeout(20_000);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      await single?.close();
      await receiver?.close();
    });

    it('shows no picker with one business', async () => {
      await page.goto(single.chatUrl);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      expect(await page.getByTestId('business-picker').isHidden()).toBe(true);
      expect(await page.getByTestId('business-name').textContent()).toBe('Sandbox Business');
    });

    it("switches business: a message typed to B reaches B's webhook, B's reply shows under B only", async () => {
      await page.goto(sandbox.chatUrl);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      const picker = page.getByTestId('business-picker');
      expect(await picker.isVisible()).toBe(true);
      expect(await page.getByTestId('business-name').textContent()).toBe('Shop A');
      // Names are text, never markup.
      expect(await picker.locator('option').allTextContents()).toEqual([
        'Shop A (+15557771234)',
        'Shop <b>B</b> (+15550000002)',
      ]);

      await picker.selectOption(B.phone);
      expect(await page.getByTestId('business-name').textContent()).toBe('Shop <b>B</b>');
      expect(await page.getByTestId('business-number').textContent()).toContain(B.phone);
      await page.getByTestId('message-input').fill('hello shop B');
      await page.getByTestId('send-button').click();
      await receiver.waitFor(() =>
        receiver.messages().some((m) => (m.text as { body: string }).body === 'hello shop B'),
      );
      const post = receiver.received.find((r) => r.raw.includes('hello shop B'));
      expect(post?.signatureValid).toBe(true);
      const entry = post?.json.entry[0];
      expect(entry?.id).toBe(B.waba);
      expect(entry?.changes[0]?.value.metadata).toEqual({
        display_phone_number: '15550000002',
        phone_number_id: B.phone,
      });

      // B answers with its own token; the bubble is in B's chat with Maya.
      const reply = await call(sandbox.baseUrl, 'POST', `/v23.0/${B.phone}/messages`, {
        token: B.token,
        json: { messaging_product: 'whatsapp', to: MAYA, type: 'text', text: { body: 'B here' } },
      });
      expect(reply.status).toBe(200);
      await bubble('bot', 'B here').waitFor();

      // Back to A: B's conversation is not shown; a message typed now goes to A.
      await picker.selectOption(A.phone);
      await page.getByTestId('empty-chat').waitFor();
      expect(await bubble('bot', 'B here').count()).toBe(0);
      await page.getByTestId('message-input').fill('hello shop A');
      await page.getByTestId('send-button').click();
      await receiver.waitFor(() => receiver.received.some((r) => r.raw.includes('hello shop A')));
      const toA = receiver.received.find((r) => r.raw.includes('hello shop A'));
      expect(toA?.json.entry[0]?.id).toBe(A.waba);
      expect(pageErrors).toEqual([]);
    });
  },
);
