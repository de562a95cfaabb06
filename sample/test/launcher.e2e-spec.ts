import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  FAKE_IDS,
  FakeGraphApi,
  signWebhookBody,
  toMetaJson,
  webhook,
} from 'nestjs-whatsapp-cloud/testing';
import { request } from 'undici';
import { REPLIES } from '../bot/replies.js';
import { buildSample, ROOT, startSample } from './sample-process.js';

// `npm start`'s Meta mode, with a fake Graph API standing in for graph.facebook.com (WHATSAPP_BASE_URL):
// the launcher hands the four variables to the app through ConfigService, and nothing secret is printed.
// Sandbox mode is driven end to end by test/browser/sample-chat.e2e-spec.ts.
const OUT = 'sample/dist/launcher-test';
const META_ENV = {
  WHATSAPP_ACCESS_TOKEN: 'EAAG-launcher-test-token',
  WHATSAPP_PHONE_NUMBER_ID: FAKE_IDS.phoneNumberId,
  WHATSAPP_APP_SECRET: 'launcher-test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'launcher-test-verify-token',
};

function run(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const clean: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const name of Object.keys(clean)) if (name.startsWith('WHATSAPP_')) delete clean[name];
  return promisify(execFile)(process.execPath, [join(OUT, 'main.js')], {
    cwd: ROOT,
    env: { ...clean, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

describe('npm start launcher (sample/main.ts)', () => {
  beforeAll(() => buildSample(OUT), 90_000);
  afterAll(() => rmSync(join(ROOT, OUT), { recursive: true, force: true }));

  it('talks to the configured Graph API with the given credentials', async () => {
    const graph = await FakeGraphApi.start({ accessToken: META_ENV.WHATSAPP_ACCESS_TOKEN });
    const sample = await startSample({
      outDir: OUT,
      env: { ...META_ENV, WHATSAPP_BASE_URL: graph.baseUrl },
      readyWhen: /listening on port (\d+)/,
    });
    try {
      const url = `http://127.0.0.1:${sample.ready[1]}/whatsapp/webhook`;
      const handshake = await request(
        `${url}?hub.mode=subscribe&hub.verify_token=${META_ENV.WHATSAPP_VERIFY_TOKEN}&hub.challenge=8675309`,
      );
      expect([handshake.statusCode, await handshake.body.text()]).toEqual([200, '8675309']);

      const body = toMetaJson(webhook.text({ body: 'hi' }));
      const post = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody(body, META_ENV.WHATSAPP_APP_SECRET),
        },
        body,
      });
      await post.body.dump();
      expect(post.statusCode).toBe(200);
      graph.expectSent({ to: '15551234567', text: { body: REPLIES.greeting('Test User') } });

      const output = sample.output();
      expect(output).toContain('Talking to Meta');
      for (const secret of [META_ENV.WHATSAPP_ACCESS_TOKEN, META_ENV.WHATSAPP_APP_SECRET]) {
        expect(output).not.toContain(secret);
      }
    } finally {
      sample.child.kill('SIGTERM');
      await graph.close();
    }
    expect(await sample.exited).toBe(0);
  });

  it('names the missing variables when only some are set', async () => {
    const { code, output } = await run({ WHATSAPP_ACCESS_TOKEN: 'x', WHATSAPP_APP_SECRET: 'y' });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'WHATSAPP_ACCESS_TOKEN is set, so the sample talks to Meta, but WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_VERIFY_TOKEN are missing (unset WHATSAPP_ACCESS_TOKEN to use the local sandbox)',
    );
  });

  it('refuses a PORT that is not a port number', async () => {
    const { code, output } = await run({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(output.trim()).toBe('PORT must be a port number (0-65535), got "eighty"');
  });
});
