import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Page } from 'playwright-core';
import {
  flowReplyOf,
  OnWhatsAppMessage,
  WhatsAppService,
  type InteractiveMessage,
} from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { CHROMIUM, hasChromium, openChromiumPage, type ChromiumPage } from './chromium-page.js';
import { startAppOnSandbox } from '../sandbox/app-on-sandbox.js';

// A navigate-only flow (no endpoint) with every component of the subset, one the sandbox does not
// know, ${data.x}/${form.x} bindings and a `complete` action, filled in through the chat page.
const SECRET = 'flow-form-secret';
const TOKEN = 'flow-form-token';
const MAYA = '12025550147';

const FLOW_JSON = {
  version: '7.2',
  screens: [
    {
      id: 'DETAILS',
      title: 'Your details',
      data: { colours: { type: 'array', __example__: [] } },
      layout: {
        type: 'SingleColumnLayout',
        children: [
          { type: 'TextHeading', text: 'Tell us about you' },
          { type: 'TextSubheading', text: 'It takes a minute' },
          { type: 'TextInput', name: 'name', label: 'Name', required: true },
          { type: 'TextArea', name: 'notes', label: 'Notes' },
          { type: 'Dropdown', name: 'colour', label: 'Colour', 'data-source': '${data.colours}' },
          {
            type: 'RadioButtonsGroup',
            name: 'size',
            label: 'Size',
            'data-source': [
              { id: 's', title: 'Small' },
              { id: 'l', title: 'Large' },
            ],
          },
          {
            type: 'CheckboxGroup',
            name: 'extras',
            label: 'Extras',
            'data-source': [
              { id: 'gift', title: 'Gift wrap' },
              { id: 'card', title: 'Card' },
            ],
          },
          { type: 'DatePicker', name: 'when', label: 'When' },
          { type: 'PhotoPicker', name: 'photo', label: 'A photo' },
          { type: 'OptIn', name: 'news', label: 'Send me news', required: true },
          {
            type: 'Footer',
            label: 'Next',
            'on-click-action': {
              name: 'navigate',
              next: { type: 'screen', name: 'SUMMARY' },
              payload: {
                name: '${form.name}',
                colour: '${form.colour}',
                size: '${form.size}',
                extras: '${form.extras}',
                when: '${form.when}',
              },
            },
          },
        ],
      },
    },
    {
      id: 'SUMMARY',
      title: 'Summary',
      terminal: true,
      layout: {
        type: 'SingleColumnLayout',
        children: [
          { type: 'TextBody', text: 'Thanks ${data.name}: ${data.size}, ${data.colour}' },
          {
            type: 'Footer',
            label: 'Send',
            'on-click-action': {
              name: 'complete',
              payload: {
                name: '${data.name}',
                size: '${data.size}',
                colour: '${data.colour}',
                extras: '${data.extras}',
                when: '${data.when}',
              },
            },
          },
        ],
      },
    },
  ],
};

@Injectable()
class FormBot {
  readonly replies: unknown[] = [];

  @OnWhatsAppMessage('interactive', { replyId: 'form-1' })
  done(message: InteractiveMessage): void {
    this.replies.push(flowReplyOf(message)?.response);
  }
}

(hasChromium || process.env.CI === 'true' ? describe : describe.skip)(
  'sandbox chat page: a flow form from its Flow JSON (Chromium)',
  () => {
    let sandbox: WhatsAppSandbox;
    let app: NestExpressApplication;
    let browser: ChromiumPage | undefined;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`Chromium is required and missing at ${CHROMIUM}`);
      sandbox = await WhatsAppSandbox.start({
        appSecret: SECRET,
        accessToken: TOKEN,
        readAfterMs: false,
        deliveredAfterMs: 0,
      });
      app = await startAppOnSandbox(sandbox, {
        module: {
          accessToken: TOKEN,
          appSecret: SECRET,
        },
        providers: [FormBot],
        logger: false,
      });
      browser = await openChromiumPage(errors, { profilePrefix: 'wa-flow-form-' });
      page = browser.page;
      await page.goto(`${sandbox.chatUrl}#${MAYA}`);
      await page.locator('[data-testid="sse-status"].live').waitFor();
      await page.getByTestId('message-input').fill('hi');
      await page.getByTestId('send-button').click();
      await page.locator('[data-testid="message-bubble"][data-from="user"]').first().waitFor();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      await app?.close();
    });

    it('renders the subset, names an unknown component, navigates with bindings, completes with an nfm_reply', async () => {
      const wa = app.get(WhatsAppService);
      const { id: flowId } = await wa.flows.create({
        name: 'form',
        categories: ['OTHER'],
        flow_json: FLOW_JSON,
      });
      await wa.flows.publish(flowId);
      await wa.messages.send({
        to: MAYA,
        type: 'interactive',
        interactive: {
          type: 'flow',
          body: { text: 'Fill in the form' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_id: flowId,
              flow_token: 'form-1',
              flow_cta: 'Open',
              flow_action: 'navigate',
              flow_action_payload: {
                screen: 'DETAILS',
                data: {
                  colours: [
                    { id: 'red', title: 'Red' },
                    { id: 'blue', title: 'Blue' },
                  ],
                },
              },
            },
          },
        },
      });
      await page.getByTestId('flow-cta-button').last().click();
      const dialog = page.getByTestId('flow-dialog');
      await dialog.locator('[data-testid="flow-title"][data-screen="DETAILS"]').waitFor();
      const unknown = dialog.getByTestId('flow-unsupported');
      expect(await unknown.getAttribute('data-component')).toBe('PhotoPicker');
      expect(await unknown.textContent()).toContain('PhotoPicker');

      await dialog.locator('input[name="name"]').fill('Ana');
      await dialog.locator('textarea[name="notes"]').fill('ring twice');
      await dialog.locator('select[name="colour"]').selectOption('blue');
      await dialog.locator('input[type="radio"][value="l"]').check();
      await dialog.locator('input[type="checkbox"][value="gift"]').check();
      await dialog.locator('input[type="checkbox"][value="card"]').check();
      await dialog.locator('input[name="when"]').fill('2026-12-24');
      // The opt-in is required: refused until ticked.
      await dialog.getByTestId('flow-footer').click();
      expect(await dialog.getByTestId('flow-error').textContent()).toContain('Send me news');
      await dialog.getByTestId('flow-optin').check();
      await dialog.getByTestId('flow-footer').click();

      await dialog.locator('[data-testid="flow-title"][data-screen="SUMMARY"]').waitFor();
      expect(await dialog.getByTestId('flow-text').textContent()).toBe('Thanks Ana: l, blue');
      await dialog.getByTestId('flow-footer').click();

      const deadline = Date.now() + 10_000;
      const bot = app.get(FormBot);
      while (bot.replies.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(bot.replies).toEqual([
        {
          name: 'Ana',
          size: 'l',
          colour: 'blue',
          extras: ['gift', 'card'],
          when: '2026-12-24',
          flow_token: 'form-1',
        },
      ]);
      expect(errors).toEqual([]);
    });
  },
);
