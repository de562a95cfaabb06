import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium unless CHROMIUM_PATH names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface ChromiumPage {
  page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * A headless Chromium page in a throw-away profile. Uncaught page errors, console errors and every
 * CSP violation (turned into a console error before any page script runs) are pushed to `errors`.
 */
export async function openChromiumPage(
  errors: string[],
  options: { profilePrefix: string; viewport?: { width: number; height: number } },
): Promise<ChromiumPage> {
  const profile = mkdtempSync(join(tmpdir(), options.profilePrefix));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      ...(options.viewport ? { viewport: options.viewport } : {}),
    })
    .catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return { page, close };
}
