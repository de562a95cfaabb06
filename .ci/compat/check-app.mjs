// Boots a matrix cell's compiled app (node dist/main.js, as `npm run start:prod` does) and checks it from
// outside, over real HTTP: the GET handshake, a signed webhook whose decorated handler replies to the
// testing kit's FakeGraphApi, and 401 for a bad signature. Copied into the app, so that
// 'nestjs-whatsapp-cloud/testing' resolves to the installed tarball. Usage: node check-app.mjs express|fastify
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { FakeGraphApi, signWebhookBody, toMetaJson, webhook } from 'nestjs-whatsapp-cloud/testing';

const adapter = process.argv[2] ?? 'express';
const secrets = {
  token: 'compat-access-token',
  appSecret: 'compat-app-secret',
  verify: 'compat-verify',
};
const BOOT_TIMEOUT_MS = 60_000;

const graph = await FakeGraphApi.start({ accessToken: secrets.token });
const app = spawn(process.execPath, ['dist/main.js'], {
  env: {
    ...process.env,
    PORT: '0',
    HTTP_ADAPTER: adapter,
    WHATSAPP_ACCESS_TOKEN: secrets.token,
    WHATSAPP_APP_SECRET: secrets.appSecret,
    WHATSAPP_VERIFY_TOKEN: secrets.verify,
    WHATSAPP_BASE_URL: graph.baseUrl,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const failures = [];
function check(name, ok, detail) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${adapter}: ${name}${ok ? '' : ` (${detail})`}`);
  if (!ok) failures.push(name);
}

try {
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('no "listening on" line in 60 s')),
      BOOT_TIMEOUT_MS,
    );
    app.once('exit', (code) => reject(new Error(`the app exited with ${code} before listening`)));
    createInterface({ input: app.stdout }).on('line', (line) => {
      process.stdout.write(`    app: ${line}\n`);
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url.replace('[::1]', '127.0.0.1'));
      }
    });
  });
  const hook = `${base}/whatsapp/webhook`;

  const verify = await fetch(
    `${hook}?hub.mode=subscribe&hub.verify_token=${secrets.verify}&hub.challenge=4242`,
  );
  check(
    'GET handshake answers the challenge',
    verify.status === 200 && (await verify.text()) === '4242',
    verify.status,
  );
  const wrong = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
  check('GET with a wrong token is 403', wrong.status === 403, wrong.status);

  const body = toMetaJson(webhook.text({ body: 'ping' }));
  const post = (signature) =>
    fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
  const signed = await post(signWebhookBody(body, secrets.appSecret));
  check('signed POST is 200', signed.status === 200, signed.status);
  const sent = graph.sentMessages();
  check(
    'the decorated handler replied through the Graph API',
    sent.length === 1 && JSON.stringify(sent[0].text) === '{"body":"echo to 15551234567: ping"}',
    JSON.stringify(sent),
  );
  const forged = await post('sha256=' + '0'.repeat(64));
  check(
    'bad signature is 401, no handler runs',
    forged.status === 401 && graph.sentMessages().length === 1,
    forged.status,
  );
} catch (error) {
  check('boot', false, error instanceof Error ? error.message : String(error));
} finally {
  app.kill('SIGTERM');
  if (app.exitCode === null && app.signalCode === null) await once(app, 'exit');
  await graph.close();
}
process.exitCode = failures.length > 0 ? 1 : 0;
