import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { REPLIES } from '../../sample/bot/replies.js';
import { buildSample, startSample, type SampleProcess } from '../../sample/test/sample-process.js';
import { hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';

// The sample's booking flow, end to end: the bot creates and publishes the flow through the client
// in the sandbox, the chat page opens it from the flow message, INIT and data_exchange go to the
// sample's Flows endpoint encrypted and signed as WhatsApp does, completion sends the nfm_reply.
(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sample booking flow in the sandbox chat page (Chromium)',
  () => {
    let sample: SampleProcess | undefined;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      await buildSample('sample/dist/flow-test');
      sample = await startSample({ outDir: 'sample/dist/flow-test' });
      browser = await openChromiumPage(errors, { profilePrefix: 'wa-flow-chromium-' });
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

    it('books an appointment through the flow form', async () => {
      await page.getByTestId('message-input').fill('book');
      await page.getByTestId('send-button').click();
      const cta = page.getByTestId('flow-cta-button').last();
      await cta.waitFor();
      await cta.click();

      // INIT went to the endpoint: its dates fill the dropdown bound to ${data.dates}.
      const dialog = page.getByTestId('flow-dialog');
      await dialog.locator('[data-testid="flow-title"][data-screen="APPOINTMENT"]').waitFor();
      const select = dialog.locator('select[name="date"]');
      const dates = await select
        .locator('option')
        .evaluateAll((options) =>
          options.map((o) => (o as unknown as { value: string }).value).filter(Boolean),
        );
      expect(dates).toHaveLength(3);

      // A required field left empty is refused on the page, as WhatsApp does.
      await dialog.getByTestId('flow-footer').click();
      expect(await dialog.getByTestId('flow-error').textContent()).toContain('Required');

      await select.selectOption(dates[1]!);
      await dialog.locator('input[name="name"]').fill('Maya');
      await dialog.getByTestId('flow-footer').click();

      // data_exchange: the endpoint answered CONFIRM with a summary bound to ${data.summary}.
      await dialog.locator('[data-testid="flow-title"][data-screen="CONFIRM"]').waitFor();
      expect(await dialog.getByTestId('flow-text').first().textContent()).toMatch(/^Maya, /);

      // Back returns to the dates (on the page: CONFIRM does not ask for refresh_on_back).
      await dialog.getByTestId('flow-back').click();
      await dialog.locator('[data-testid="flow-title"][data-screen="APPOINTMENT"]').waitFor();
      await dialog.locator('select[name="date"]').selectOption(dates[1]!);
      await dialog.locator('input[name="name"]').fill('Maya');
      await dialog.getByTestId('flow-footer').click();
      await dialog.locator('[data-testid="flow-title"][data-screen="CONFIRM"]').waitFor();

      // Book: the endpoint completes; the sandbox sends the nfm_reply; the bot confirms.
      await dialog.getByTestId('flow-footer').click();
      await page
        .locator('[data-testid="message-bubble"][data-from="bot"]', {
          hasText: REPLIES.booked(dates[1]!),
        })
        .waitFor();
      expect(await page.getByTestId('flow-dialog').count()).toBe(0);

      // The flow was created and published through the client, in the sandbox's Graph API.
      const messageId = await page
        .locator(
          '[data-testid="message-bubble"][data-from="bot"]:has([data-testid="flow-cta-button"])',
        )
        .last()
        .getAttribute('data-message-id');
      const opened = (await (
        await request(new URL(`/sandbox/api/flows/message/${messageId}`, sample!.ready[1]!).href)
      ).body.json()) as { flow: { name: string; status: string } };
      expect(opened.flow).toMatchObject({ name: 'sample_booking', status: 'PUBLISHED' });
      expect(errors).toEqual([]);
    });

    it('a used flow token gets 427: the form says the flow is closed', async () => {
      // The same flow message again: its token was completed, so INIT answers 427.
      await page.getByTestId('flow-cta-button').last().click();
      const closed = page.getByTestId('flow-dialog').getByTestId('flow-closed');
      await closed.waitFor();
      await expect(closed.textContent()).resolves.toContain('no longer available');
    });
  },
);
