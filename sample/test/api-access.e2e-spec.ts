import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FAKE_IDS, FakeGraphApi } from 'nestjs-whatsapp-cloud/testing';
import { request } from 'undici';
import { buildSample, ROOT, startSample, type SampleProcess } from './sample-process.js';

// `npm start` with Meta's credentials must not be an open relay once tunnelled: it listens on loopback
// unless HOST says otherwise, and POST /notify and POST /templates need SAMPLE_API_TOKEN.
const OUT = 'sample/dist/api-access-test';
const API_TOKEN = 'api-access-test-token-5f0c2a9e';
const ADMIN_TOKEN = 'api-access-test-admin-token-93b1';
const META_ENV = {
  WHATSAPP_ACCESS_TOKEN: 'EAAG-api-access-test-token',
  WHATSAPP_PHONE_NUMBER_ID: FAKE_IDS.phoneNumberId,
  WHATSAPP_BUSINESS_ACCOUNT_ID: FAKE_IDS.businessAccountId,
  WHATSAPP_APP_SECRET: 'api-access-test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'api-access-test-verify-token',
};
const LISTENING = /listening on port (\d+)/;
/** Port and bind address from the "listening" line. */
function listening(sample: SampleProcess): { port: number; address: string | undefined } {
  const match = /listening on port (\d+)(?: of (\S+):)?/.exec(sample.output());
  return { port: Number(match?.[1]), address: match?.[2] };
}
/** An address of this machine that is not loopback, to prove what the bind address exposes. */
const OUTSIDE_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && !a.internal && a.family === 'IPv4')?.address;

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function post(
  base: string,
  path: '/notify' | '/templates',
  body: object,
  authorization?: string,
): Promise<{ status: number; json: { message?: string }; wwwAuthenticate: unknown }> {
  const res = await request(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    json: (await res.body.json()) as { message?: string },
    wwwAuthenticate: res.headers['www-authenticate'],
  };
}

describe('sample REST routes and bind address (sample/main.ts)', () => {
  let graph: FakeGraphApi;
  const running: SampleProcess[] = [];

  beforeAll(async () => {
    await buildSample(OUT);
    graph = await FakeGraphApi.start({ accessToken: META_ENV.WHATSAPP_ACCESS_TOKEN });
  }, 90_000);
  afterAll(async () => {
    for (const sample of running) {
      if (sample.child.exitCode === null) sample.child.kill('SIGTERM');
      await sample.exited;
    }
    await graph?.close();
    rmSync(join(ROOT, OUT), { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv, readyWhen = LISTENING): Promise<SampleProcess> {
    const sample = await startSample({
      outDir: OUT,
      env: { ...env, WHATSAPP_BASE_URL: graph.baseUrl },
      readyWhen,
    });
    running.push(sample);
    return sample;
  }

  it('with Meta credentials and no SAMPLE_API_TOKEN: loopback only, the sending routes refused, the webhook answered', async () => {
    const sample = await start(META_ENV);
    const { port, address } = listening(sample);
    if (OUTSIDE_ADDRESS) expect(await reachable(OUTSIDE_ADDRESS, port)).toBe(false);
    const base = `http://127.0.0.1:${port}`;

    for (const authorization of [undefined, `Bearer ${API_TOKEN}`]) {
      const notify = await post(base, '/notify', { to: '12025550147' }, authorization);
      expect(notify.status).toBe(403);
      expect(notify.json.message).toMatch(/set SAMPLE_API_TOKEN/);
      const templates = await post(base, '/templates', { name: 'x', text: 'y' }, authorization);
      expect(templates.status).toBe(403);
    }
    expect(graph.sentMessages()).toHaveLength(0);
    expect(sample.output()).toContain('POST /notify and POST /templates are refused');
    // Account management too: no SAMPLE_ADMIN_TOKEN, no /admin, whatever the request carries.
    const admin = await request(`${base}/admin/api/profile`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(admin.statusCode).toBe(403);
    await admin.body.dump();
    expect(sample.output()).toContain('Account management (/admin) is refused');
    expect(address).toBe('127.0.0.1');

    const handshake = await request(
      `${base}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${META_ENV.WHATSAPP_VERIFY_TOKEN}&hub.challenge=42`,
    );
    expect([handshake.statusCode, await handshake.body.text()]).toEqual([200, '42']);
  });

  it('with SAMPLE_API_TOKEN: only the right bearer token sends; HOST=0.0.0.0 listens everywhere', async () => {
    const sample = await start({
      ...META_ENV,
      SAMPLE_API_TOKEN: API_TOKEN,
      SAMPLE_ADMIN_TOKEN: ADMIN_TOKEN,
      HOST: '0.0.0.0',
    });
    const { port, address } = listening(sample);
    if (OUTSIDE_ADDRESS) expect(await reachable(OUTSIDE_ADDRESS, port)).toBe(true);
    const base = `http://127.0.0.1:${port}`;

    for (const authorization of [
      undefined,
      'Bearer',
      'Bearer wrong-token',
      `Bearer ${API_TOKEN}x`,
      `Bearer ${API_TOKEN.slice(0, -1)}`,
      `Basic ${API_TOKEN}`,
      API_TOKEN,
    ]) {
      for (const path of ['/notify', '/templates'] as const) {
        const refused = await post(base, path, { to: '12025550147' }, authorization);
        expect([path, authorization, refused.status]).toEqual([path, authorization, 401]);
        expect(refused.wwwAuthenticate).toBe('Bearer');
      }
    }
    expect(graph.sentMessages()).toHaveLength(0);

    const sent = await post(base, '/notify', { to: '12025550147' }, `Bearer ${API_TOKEN}`);
    expect(sent.status).toBe(202);
    graph.expectSent({ to: '12025550147', type: 'template' });
    const created = await post(
      base,
      '/templates',
      { name: 'order_ready', text: 'Ready' },
      `Bearer ${API_TOKEN}`,
    );
    expect(created.status).toBe(201);
    // /admin takes SAMPLE_ADMIN_TOKEN only: the API token does not open it, nor the reverse.
    const profile = async (token: string) => {
      const res = await request(`${base}/admin/api/profile`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.dump();
      return res.statusCode;
    };
    expect([await profile(API_TOKEN), await profile(ADMIN_TOKEN)]).toEqual([401, 200]);
    expect(
      (await post(base, '/notify', { to: '12025550147' }, `Bearer ${ADMIN_TOKEN}`)).status,
    ).toBe(401);
    expect(sample.output()).toContain('Account management at http://127.0.0.1:');
    expect(sample.output()).not.toContain(API_TOKEN);
    expect(sample.output()).not.toContain(ADMIN_TOKEN);
    expect(address).toBe('0.0.0.0');
  });

  it('in sandbox mode the routes need no token, so `npm start` stays zero-config', async () => {
    const sample = await start({}, /chat with the bot at (http\S+)/);
    const { port, address } = listening(sample);
    const sent = await post(`http://127.0.0.1:${port}`, '/notify', { to: '12025550147' });
    expect(sent.status).toBe(202);
    expect(address).toBe('127.0.0.1');
    expect(sample.output()).toContain('open in sandbox mode');
    // Sandbox mode opens PGlite in a fresh temp dir first (initdb in WASM): up to a minute when loaded.
  }, 180_000);

  it('refuses a SAMPLE_API_TOKEN too short to be a secret', async () => {
    const clean: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
    for (const name of Object.keys(clean)) if (name.startsWith('WHATSAPP_')) delete clean[name];
    const failure = await promisify(execFile)(process.execPath, [join(OUT, 'main.js')], {
      cwd: ROOT,
      env: { ...clean, ...META_ENV, SAMPLE_API_TOKEN: 'short', PORT: '0' },
      timeout: 20_000, // a sample that starts anyway is killed, and the test fails instead of hanging
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr?.trim()).toMatch(/^SAMPLE_API_TOKEN must be at least 16 characters/);
  });

  it('refuses a short SAMPLE_ADMIN_TOKEN, and one equal to SAMPLE_API_TOKEN', async () => {
    const clean: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
    for (const name of Object.keys(clean)) if (name.startsWith('WHATSAPP_')) delete clean[name];
    const run = (tokens: NodeJS.ProcessEnv) =>
      promisify(execFile)(process.execPath, [join(OUT, 'main.js')], {
        cwd: ROOT,
        env: { ...clean, ...META_ENV, ...tokens, PORT: '0' },
        timeout: 20_000,
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
    const short = await run({ SAMPLE_ADMIN_TOKEN: 'short' });
    expect(short?.code).toBe(1);
    expect(short?.stderr?.trim()).toMatch(/^SAMPLE_ADMIN_TOKEN must be at least 16 characters/);
    const same = await run({ SAMPLE_API_TOKEN: API_TOKEN, SAMPLE_ADMIN_TOKEN: API_TOKEN });
    expect(same?.code).toBe(1);
    expect(same?.stderr?.trim()).toBe('SAMPLE_ADMIN_TOKEN must differ from SAMPLE_API_TOKEN');
    expect(same?.stderr).not.toContain(API_TOKEN);
  });
});
