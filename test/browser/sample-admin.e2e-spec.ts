import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { REPLIES } from '../../sample/bot/replies.js';
import { buildSample, startSample, type SampleProcess } from '../../sample/test/sample-process.js';
import { hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';

// The sample's account management page (/admin) in Chromium, against the sandbox of `npm start`
// with SAMPLE_ADMIN_TOKEN set: log in with the token, update the business profile, create a QR code
// and see it listed, block the sandbox's user and see them listed. The sandbox answers the
// management endpoints like Meta (in memory; docs/sandbox.md).
const ADMIN_TOKEN = 'browser-admin-token-6a1f0e93c2';
const USER = '12025550147'; // the sandbox chat page's user (Maya Ortiz)

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sample /admin page against the sandbox (Chromium)',
  () => {
    let sample: SampleProcess | undefined;
    let browser: ChromiumPage | undefined;
    let page: Page;
    let base: string;
    const errors: string[] = [];

    beforeAll(async () => {
      await buildSample('sample/dist/admin-test');
      sample = await startSample({
        outDir: 'sample/dist/admin-test',
        env: { SAMPLE_ADMIN_TOKEN: ADMIN_TOKEN },
      });
      base = `http://127.0.0.1:${/listening on port (\d+)/.exec(sample.output())?.[1]}`;
      browser = await openChromiumPage(errors, { profilePrefix: 'wa-admin-chromium-' });
      page = browser.page;
      // The sample opens PGlite in a fresh temp dir (initdb in WASM): up to a minute when loaded.
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      if (sample && sample.child.exitCode === null) {
        sample.child.kill('SIGKILL');
        await sample.exited;
      }
    });

    it('prints where the page is and that it needs the token, never the token', () => {
      expect(sample!.output()).toContain(`Account management at ${base}/admin (log in with`);
      expect(sample!.output()).not.toContain(ADMIN_TOKEN);
    });

    it('the user writes first (Meta blocks only users who wrote in the last 24 hours)', async () => {
      await page.goto(sample!.ready[1]!);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      await page.getByTestId('message-input').fill('hi');
      await page.getByTestId('send-button').click();
      await page
        .locator('[data-testid="message-bubble"][data-from="bot"]', {
          hasText: REPLIES.greeting('Maya Ortiz').split('!')[0]!,
        })
        .waitFor();
    });

    it('asks for the token, refuses a wrong one, logs in with SAMPLE_ADMIN_TOKEN', async () => {
      const answer = await page.goto(`${base}/admin`);
      expect(answer?.status()).toBe(401);
      await page.getByTestId('login-token').fill('not-the-admin-token');
      await page.getByTestId('login-submit').click();
      expect(await page.getByTestId('error').textContent()).toContain('Wrong token');

      await page.getByTestId('login-token').fill(ADMIN_TOKEN);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('profile-form').waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin');
      expect(await page.getByTestId('logout').count()).toBe(1);
    });

    it('updates the business profile', async () => {
      await page.getByTestId('profile-about').fill('Fresh bread daily <b>since 1990</b>');
      await page.getByTestId('profile-description').fill('A small bakery in the sandbox.');
      await page.getByTestId('profile-email').fill('shop@bakery.example');
      await page.getByTestId('profile-website-1').fill('https://bakery.example');
      await page.getByTestId('profile-vertical').selectOption('RESTAURANT');
      await page.getByTestId('profile-save').click();
      await page
        .locator('[data-testid="notice"]', { hasText: 'Business profile saved.' })
        .waitFor();
      // Escaped: the markup is shown as text, not rendered.
      expect(await page.getByTestId('current-about').textContent()).toBe(
        'Fresh bread daily <b>since 1990</b>',
      );
      expect(await page.getByTestId('current-vertical').textContent()).toBe('RESTAURANT');
      expect(await page.getByTestId('current-email').textContent()).toBe('shop@bakery.example');
      expect(await page.getByTestId('website-link').getAttribute('href')).toBe(
        'https://bakery.example',
      );
      // The JSON side, with the bearer token, reads the same profile from the sandbox.
      const json = await request(`${base}/admin/api/profile`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(json.statusCode).toBe(200);
      expect(await json.body.json()).toMatchObject({
        about: 'Fresh bread daily <b>since 1990</b>',
        vertical: 'RESTAURANT',
      });
    });

    it('creates a QR code and sees it listed with its link and image', async () => {
      await page.getByTestId('qr-message-input').fill('I would like to order bread');
      await page.getByTestId('qr-format').selectOption('SVG');
      await page.getByTestId('qr-create').click();
      await page.locator('[data-testid="notice"]', { hasText: 'QR code created.' }).waitFor();
      const row = page.locator('[data-testid="qr-code"]', {
        hasText: 'I would like to order bread',
      });
      expect(await row.count()).toBe(1);
      expect(await row.getByTestId('qr-link').getAttribute('href')).toMatch(
        /^https:\/\/wa\.me\/message\/\w+$/,
      );
      expect(await row.getByTestId('qr-image').getAttribute('href')).toMatch(/^https:\/\/\S+/);

      const code = await row.getAttribute('data-code');
      const json = await request(`${base}/admin/api/qr-codes`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(await json.body.json()).toMatchObject({
        data: [{ code, prefilled_message: 'I would like to order bread' }],
      });
    });

    it('blocks the user and sees them listed, then unblocks them', async () => {
      await page.getByTestId('block-user-input').fill(USER);
      await page.getByTestId('block-submit').click();
      await page.locator('[data-testid="notice"]', { hasText: 'User blocked.' }).waitFor();
      const row = page.locator(`[data-testid="blocked-user"][data-user="${USER}"]`);
      expect(await row.count()).toBe(1);

      await row.getByTestId('unblock').click();
      await page.locator('[data-testid="notice"]', { hasText: 'User unblocked.' }).waitFor();
      expect(await page.locator('[data-testid="blocked-user"]').count()).toBe(0);
    });

    it("a number that never wrote is not blocked: Meta's per-user failure (131047, in Meta's 400 + 139100 answer) is a 502 page", async () => {
      await page.getByTestId('block-user-input').fill('15550001111');
      await page.getByTestId('block-submit').click();
      const error = page.locator('[data-testid="error"][data-status="502"][data-code="131047"]');
      await error.waitFor();
      expect(await error.textContent()).toContain('Meta did not block 15550001111 (131047');
      await page.goto(`${base}/admin`);
      expect(await page.locator('[data-testid="blocked-user"]').count()).toBe(0);
    });

    it('deletes the QR code; deleting it again is a 404 page with Meta 100/33', async () => {
      const row = page.locator('[data-testid="qr-code"]').first();
      const code = await row.getAttribute('data-code');
      await row.getByTestId('qr-delete').click();
      await page.locator('[data-testid="notice"]', { hasText: 'QR code deleted.' }).waitFor();
      expect(await page.locator('[data-testid="qr-code"]').count()).toBe(0);

      const again = await page.request.post(`${base}/admin/qr-codes/${code}/delete`, {
        headers: { origin: base },
        maxRedirects: 0,
      });
      expect(again.status()).toBe(404);
      expect(await again.text()).toMatch(/data-testid="error" data-status="404" data-code="100"/);
    });

    it('logs out: the page asks for the token again', async () => {
      await page.getByTestId('logout').click();
      await page.getByTestId('login-form').waitFor();
      const answer = await page.goto(`${base}/admin`);
      expect(answer?.status()).toBe(401);
    });

    it('logged no error in the page (no CSP violation: the page runs no script)', () => {
      // Chromium logs each error status it was answered (the login's 401, the failed block's 502).
      expect(errors.filter((e) => !/status of (401|502)\b/.test(e))).toEqual([]);
    });
  },
);
