import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildChildFixture } from '../redis/support/child-build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'test-app-secret';

describe('@opentelemetry/api stays an optional peer', () => {
  const built: string[] = [];
  afterAll(() => {
    for (const dir of built) rmSync(dir, { recursive: true, force: true });
  });

  it('the module boots and handles a signed webhook over HTTP with @opentelemetry/api unresolvable', () => {
    const compiled = buildChildFixture('lib/index.ts');
    const outDir = compiled.slice(0, -'lib/index.js'.length);
    built.push(outDir);
    const hooks = join(outDir, 'block-otel.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (/^@opentelemetry\\//.test(specifier)) throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}`,
    );
    const register = join(outDir, 'register-block-otel.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});`,
    );
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '1555', phone_number_id: 'PN' },
                messages: [
                  {
                    from: '1555',
                    id: 'wamid.x',
                    timestamp: '1',
                    type: 'text',
                    text: { body: 'hi' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    // Plain JavaScript in the child: decorators are applied as functions.
    const script = `
      import 'reflect-metadata';
      import { Injectable, Module } from '@nestjs/common';
      import { NestFactory } from '@nestjs/core';
      import { WhatsAppModule, OnWhatsAppMessage } from ${JSON.stringify('file://' + compiled)};
      let handled = 0;
      class H { on() { handled++; } }
      Injectable()(H);
      OnWhatsAppMessage('text')(H.prototype, 'on', Object.getOwnPropertyDescriptor(H.prototype, 'on'));
      class App {}
      Module({ imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: ${JSON.stringify(SECRET)} })], providers: [H] })(App);
      const app = await NestFactory.create(App, { rawBody: true, logger: false });
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const res = await fetch(url + '/whatsapp/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': ${JSON.stringify(signature)} },
        body: ${JSON.stringify(body)},
      });
      await app.close();
      let blocked = false;
      try { await import('@opentelemetry/api'); } catch { blocked = true; }
      console.log(JSON.stringify({ status: res.status, handled, blocked }));`;
    const result = spawnSync(
      process.execPath,
      ['--import', register, '--input-type=module', '-e', script],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual({ status: 200, handled: 1, blocked: true });
  });
});
