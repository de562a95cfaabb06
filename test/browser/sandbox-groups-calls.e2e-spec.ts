import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { OpeningHours } from '../../sample/bot/opening-hours.js';
import { REPLIES } from '../../sample/bot/replies.js';
import { buildSample, startSample, type SampleProcess } from '../../sample/test/sample-process.js';
import { hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';

// Groups and calls in the sandbox chat page, with the sample bot (sandbox mode) as the app.
const bot = (page: Page, text: string) =>
  page.locator('[data-testid="message-bubble"][data-from="bot"]', { hasText: text });

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sandbox chat page: groups and calls with the sample bot (Chromium)',
  () => {
    let sample: SampleProcess | undefined;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      await buildSample('sample/dist/groups-calls-test');
      sample = await startSample({ outDir: 'sample/dist/groups-calls-test' });
      browser = await openChromiumPage(pageErrors, {
        profilePrefix: 'wa-sandbox-groups-',
        viewport: { width: 1200, height: 900 },
      });
      page = browser.page;
      await page.goto(sample.ready[1]!);
      await page.locator('[data-testid="sse-status"].live').waitFor();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (sample && sample.child.exitCode === null) {
        sample.child.kill('SIGKILL');
        await sample.exited;
      }
    });

    it('shows the group the bot created with two simulated members; a member message gets the reply in the group', async () => {
      await page.getByTestId('message-input').fill('group');
      await page.getByTestId('send-button').click();
      // groups.create answers a request_id; the invite link comes once group_lifecycle_update arrived.
      await bot(page, 'Share this link to invite people: https://chat.whatsapp.com/').waitFor();
      const tab = page.getByTestId('group-tab').first();
      await tab.waitFor();
      await tab.click();
      const members = page.getByTestId('group-members');
      await members.waitFor();
      const names = (await members.textContent())?.split(', ') ?? [];
      expect(names).toHaveLength(2);
      // The two members joining fired group_participants_update: the sample welcomes them in the group.
      await bot(page, REPLIES.groupWelcome(2)).waitFor();

      await page.getByTestId('group-sender').selectOption({ label: names[1]! });
      await page.getByTestId('message-input').fill('see you friday');
      await page.getByTestId('send-button').click();
      await page
        .locator('[data-testid="message-bubble"][data-from="user"]', { hasText: 'see you friday' })
        .getByTestId('group-author')
        .filter({ hasText: names[1]! })
        .waitFor();
      // The sample's inGroup handler answered with `return`: the reply is in the group chat.
      await bot(page, REPLIES.groupEcho(names[1], 'see you friday')).waitFor();
    });

    it('calls the business: @OnWhatsAppCall("connect") answers and the page shows it', async () => {
      const open = new OpeningHours().isOpen();
      await page.getByTestId('user-tab').first().click();
      await page.getByTestId('call-button').click();
      const bar = page.getByTestId('call-bar');
      await bar.waitFor();
      // Open hours: pre_accept + accept with an SDP answer; closed: reject and a message.
      const answered = open ? 'accepted' : 'rejected';
      await page.locator(`[data-testid="call-bar"][data-state="${answered}"]`).waitFor();
      expect(await bar.textContent()).not.toContain('null'); // absent buttons draw nothing
      if (open) {
        await page.getByTestId('call-hangup').click();
        await page.locator('[data-testid="call-bar"][data-state="ended"]').waitFor();
      } else {
        await bot(page, REPLIES.callClosed).waitFor();
      }
      expect(pageErrors).toEqual([]);
    });
  },
);
